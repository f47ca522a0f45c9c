/**
 * Who is on a line, as every screen shows it: the contact's name (the server looks callers up in the
 * contacts) wins, then the name the phone shows, then the number. One place, so the console, the fleet,
 * the wall and the pop-up never disagree.
 */
import type { CallerContact } from '@linedeck/contract';

export interface CallerParts {
  remoteName: string;
  remoteNumber: string;
  contact?: CallerContact | null | undefined;
}

/** The caller's name when anyone knows it, else ''. */
export function callerName(line: CallerParts): string {
  return line.contact?.name || line.remoteName;
}

/** The headline for a line: name, else number, else "Unknown caller". */
export function callerLabel(line: CallerParts): string {
  return callerName(line) || line.remoteNumber || 'Unknown caller';
}

/** What goes under the headline: the contact's company and the number, when not already shown. */
export function callerDetail(line: CallerParts): string {
  const parts = [line.contact?.company ?? '', callerName(line) ? line.remoteNumber : ''];
  return parts.filter(Boolean).join(' · ');
}

/** One line of text ("Ada Lovelace, Acme (+4930123456)"), for notifications and screen readers. */
export function callerText(line: CallerParts): string {
  const name = callerName(line);
  const who = name && line.contact?.company ? `${name}, ${line.contact.company}` : name;
  if (who && line.remoteNumber) return `${who} (${line.remoteNumber})`;
  return who || line.remoteNumber || 'Unknown caller';
}
