/**
 * The call list's rules as pure functions: what a pasted line means, and which entry is done, current
 * or next. Calls are never placed by themselves: the panel only offers the next one (docs/user-guide.md).
 */
import { checkDialNumber } from '../../lib/dial-number.ts';

export interface CallListEntry {
  /** What the person knows the number by: a contact's name, the label pasted before it, or the number. */
  label: string;
  number: string;
  /** Passed over with "Skip" rather than dialled. */
  skipped?: boolean;
}

export interface CallListState {
  entries: CallListEntry[];
  /** Index of the entry "Call next" dials. */
  next: number;
  /** Index of the entry dialled last, or null before the first call. */
  current: number | null;
}

export const EMPTY_LIST: CallListState = { entries: [], next: 0, current: null };

export interface Refused {
  line: number;
  text: string;
  reason: string;
}

/**
 * One number per line, optionally after a label and a comma, semicolon or tab ("Ada, +49 30 1234567").
 * Lines that cannot be dialled are refused with the dialler's reason.
 */
export function parseCallList(text: string): { entries: CallListEntry[]; refused: Refused[] } {
  const entries: CallListEntry[] = [];
  const refused: Refused[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const whole = checkDialNumber(line);
    if (whole.ok) {
      entries.push({ label: whole.number, number: whole.number });
      return;
    }
    const cut = Math.max(line.lastIndexOf(','), line.lastIndexOf(';'), line.lastIndexOf('\t'));
    const labelled = cut > 0 ? checkDialNumber(line.slice(cut + 1)) : undefined;
    if (labelled?.ok) {
      entries.push({ label: line.slice(0, cut).trim() || labelled.number, number: labelled.number });
      return;
    }
    refused.push({ line: i + 1, text: line, reason: (labelled && !labelled.ok ? labelled : whole).reason });
  });
  return { entries, refused };
}

export type EntryStatus = 'done' | 'skipped' | 'current' | 'next' | 'waiting';

/** `phoneBusy`: a call is up on the phone, so the entry dialled last is still the current one. */
export function entryStatus(list: CallListState, index: number, phoneBusy: boolean): EntryStatus {
  if (index === list.current) return phoneBusy ? 'current' : 'done';
  if (list.entries[index]?.skipped) return 'skipped';
  if (index < list.next) return 'done';
  return index === list.next ? 'next' : 'waiting';
}

export function dialled(list: CallListState): CallListState {
  return { ...list, current: list.next, next: list.next + 1 };
}

export function skipped(list: CallListState): CallListState {
  if (list.next >= list.entries.length) return list;
  const entries = list.entries.map((e, i) => (i === list.next ? { ...e, skipped: true } : e));
  return { ...list, entries, next: list.next + 1 };
}

export function appended(list: CallListState, entries: readonly CallListEntry[]): CallListState {
  return { ...list, entries: [...list.entries, ...entries] };
}
