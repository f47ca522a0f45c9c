/**
 * Do Not Disturb and call forward in words, read-only: a person at the console or a wall needs to see
 * at a glance why a phone does not ring. `null` means LineDeck does not know (passcode-only firmware
 * without trusted pushes): nothing is shown then, rather than a guess.
 */
import type { ForwardSettingView, PhoneState } from '@linedeck/contract';
import { dndIsStatus } from './status.ts';

const CONDITION: Record<string, string> = { always: '', busy: ' when busy', noanswer: ' when not answered' };

/** "Forwarding to 2000", "Forwarding to 2000 when busy", "Forwarding on"; undefined when off or unknown. */
export function forwardText(forward: ForwardSettingView | null | undefined): string | undefined {
  if (!forward || forward.mode === 'off') return undefined;
  const number = forward.number.trim();
  if (forward.mode === 'on' || !number) return 'Forwarding on';
  return `Forwarding to ${number}${CONDITION[forward.mode] ?? ''}`;
}

/** The same for a wall tile, short enough to sit beside the status: "Fwd 2000", "Fwd on". */
export function forwardShort(forward: ForwardSettingView | null | undefined): string | undefined {
  if (!forward || forward.mode === 'off') return undefined;
  const number = forward.number.trim();
  return forward.mode === 'on' || !number ? 'Fwd on' : `Fwd ${number}`;
}

/**
 * What to show beside a phone's status: "Do not disturb" and/or the forward text, in that order. DND is
 * left out where it already is the status (an available phone with DND on, lib/status.ts shownStatus).
 */
export function dndForwardTexts(
  state: (Pick<PhoneState, 'dnd' | 'forward'> & Partial<Pick<PhoneState, 'status'>>) | undefined,
): string[] {
  if (!state) return [];
  const forward = forwardText(state.forward);
  const dnd = state.dnd === true && !(state.status && dndIsStatus({ status: state.status, dnd: true }));
  return [dnd ? 'Do not disturb' : undefined, forward].filter((t): t is string => !!t);
}
