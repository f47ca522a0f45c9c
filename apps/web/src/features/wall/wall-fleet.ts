/**
 * The wall's fleet bar: ringing now and the longest ring now from the line states the wall already
 * has, missed and answered today from `GET /api/calls/today` (counts only: what a display key may
 * read). Pure, so the figures are tested without a browser.
 */
import type { CallsToday, PhoneState } from '@linedeck/contract';
import { hasCurrentData } from '../../lib/status.ts';
import { elapsedMs } from '../../lib/time.ts';

export interface FleetFigures {
  ringing: number;
  /** How long the longest-ringing call has rung (ms), undefined when none rings. */
  longestRingMs: number | undefined;
  /** Undefined until today's counts are known (or when the server does not give them). */
  missedToday: number | undefined;
  answeredToday: number | undefined;
}

export function fleetFigures(
  phoneIds: readonly string[],
  stateById: ReadonlyMap<string, PhoneState>,
  today: CallsToday | undefined,
  now: number,
): FleetFigures {
  let ringing = 0;
  let longest: number | undefined;
  let missed = 0;
  let answered = 0;
  for (const id of phoneIds) {
    const state = stateById.get(id);
    // An offline phone's last ringing line may long have stopped: it does not ring "now".
    if (state && hasCurrentData(state.status)) {
      for (const line of state.lines) {
        if (line.state !== 'ringing') continue;
        ringing++;
        const rung = elapsedMs(line.since, now);
        if (rung !== undefined) longest = Math.max(longest ?? 0, rung);
      }
    }
    missed += today?.phones[id]?.missed ?? 0;
    answered += today?.phones[id]?.answered ?? 0;
  }
  return {
    ringing,
    longestRingMs: longest,
    missedToday: today ? missed : undefined,
    answeredToday: today ? answered : undefined,
  };
}

/** How many lines ring on these phones: when it drops, a call just ended and today's counts moved. */
export function ringingLines(states: readonly PhoneState[] | undefined): number {
  let n = 0;
  for (const state of states ?? []) for (const line of state.lines) if (line.state === 'ringing') n++;
  return n;
}
