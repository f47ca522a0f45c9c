/**
 * Which phones a user watches for incoming calls, and the calls ringing on them: pure functions,
 * so the rules are tested without a browser.
 */
import type { CallerContact, Phone, PhoneState, SessionUser } from '@linedeck/contract';
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

/** Every ringing line of the given states, oldest phone order kept. */
export function ringingCalls(
  states: readonly (PhoneState | undefined)[],
  phones: readonly Phone[] | undefined,
): RingingCall[] {
  const names = new Map((phones ?? []).map((p) => [p.id, p.name]));
  const calls: RingingCall[] = [];
  for (const state of states) {
    if (!state) continue;
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

/** "Ada Lovelace (+4930123456)", "+4930123456" or "Unknown caller". */
export { callerText } from '../../lib/caller.ts';

/** Keeps only the keys still in `current` (dismissed or notified calls are forgotten once they stop ringing). */
export function keepCurrent(keys: ReadonlySet<string>, current: readonly RingingCall[]): Set<string> {
  const live = new Set(current.map((c) => c.key));
  return new Set([...keys].filter((k) => live.has(k)));
}
