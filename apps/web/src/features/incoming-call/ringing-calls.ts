/**
 * Which phones a user watches for incoming calls, and the calls ringing on them: pure functions,
 * so the rules are tested without a browser.
 */
import type { CallerContact, Phone, PhoneState, PhoneStatus, SessionUser } from '@linedeck/contract';
import { callerLabel } from '../../lib/caller.ts';
import { canControl } from '../../lib/permissions.ts';

export interface RingingCall {
  /** One ring of one line: a new call on the same line (a new `since` or caller) is a new key. */
  key: string;
  phoneId: string;
  phoneName: string;
  line: number;
  remoteName: string;
  remoteNumber: string;
  /** The contact the server matched to the number, when any. */
  contact?: CallerContact | null | undefined;
}

/**
 * The phones whose calls pop up: the user's assigned phones; without any, the phone whose console
 * is open. Only phones the user may answer on (viewers watch nothing).
 */
export function watchedPhoneIds(user: SessionUser, consolePhoneId: string | undefined): string[] {
  if (user.role === 'viewer') return [];
  const candidates = user.phoneIds.length > 0 ? user.phoneIds : consolePhoneId ? [consolePhoneId] : [];
  return candidates.filter((id) => canControl(user, id));
}

/**
 * Statuses in which the last known lines are not the phone's now: an offline phone's ringing line
 * may long have stopped, and no Answer can reach an unreachable or refused phone.
 */
const CANNOT_ANSWER: ReadonlySet<PhoneStatus> = new Set(['offline', 'unauthorized', 'unknown']);

/**
 * Every ringing line of the given states, oldest phone order kept. Once the phone list is known, a
 * phone no longer in it (removed, or no longer visible to this user) rings no more.
 */
export function ringingCalls(
  states: readonly (PhoneState | undefined)[],
  phones: readonly Phone[] | undefined,
): RingingCall[] {
  const names = new Map((phones ?? []).map((p) => [p.id, p.name]));
  const calls: RingingCall[] = [];
  for (const state of states) {
    if (!state || CANNOT_ANSWER.has(state.status)) continue;
    if (phones && !names.has(state.phoneId)) continue;
    for (const line of state.lines) {
      if (line.state !== 'ringing') continue;
      calls.push({
        key: `${state.phoneId}:${line.line}:${line.since ?? ''}:${line.remoteNumber}`,
        phoneId: state.phoneId,
        phoneName: names.get(state.phoneId) ?? 'Phone',
        line: line.line,
        remoteName: line.remoteName,
        remoteNumber: line.remoteNumber,
        ...(line.contact ? { contact: line.contact } : {}),
      });
    }
  }
  return calls;
}

/** The calls for the pop-up: not those of the phone whose console is on screen, which shows them itself. */
export function popupCalls(calls: readonly RingingCall[], consolePhoneId: string | undefined): RingingCall[] {
  return calls.filter((c) => c.phoneId !== consolePhoneId);
}

/** The tab's title while calls ring ("Ringing: Ada Lovelace · LineDeck"), or undefined when none does. */
export function ringingTitle(calls: readonly RingingCall[]): string | undefined {
  const first = calls[0];
  if (!first) return undefined;
  const more = calls.length > 1 ? ` and ${calls.length - 1} more` : '';
  return `Ringing: ${callerLabel(first)}${more} · LineDeck`;
}

/** "Ada Lovelace (+4930123456)", "+4930123456" or "Unknown caller". */
export { callerText } from '../../lib/caller.ts';

/** Keeps only the keys still in `current` (dismissed or notified calls are forgotten once they stop ringing). */
export function keepCurrent(keys: ReadonlySet<string>, current: readonly RingingCall[]): Set<string> {
  const live = new Set(current.map((c) => c.key));
  return new Set([...keys].filter((k) => live.has(k)));
}
