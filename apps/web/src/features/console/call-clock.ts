/**
 * A call's whole length and its hold time, across Hold and Resume. The phone's state only says when a line
 * entered its current state (`since` resets on every hold), so the console remembers, per line, when the
 * call was answered and how long it has been held. A page opened mid-call starts from what it sees.
 */
import type { LineView } from '@linedeck/contract';

/** States of a call that is up (talking or held): the whole-call timer runs through them. */
const UP_STATES: ReadonlySet<string> = new Set(['connected', 'onhold']);

export interface CallClock {
  /** Who the call is with: another number on the line is another call. */
  number: string;
  /** When the call was answered (ms, server clock like `since`). */
  upSince: number;
  /** Hold time of the holds that are over (ms). */
  heldMs: number;
  /** When the hold now under way began (ms), undefined when the call is not on hold. */
  heldSince?: number | undefined;
  /** The state and `since` seen last: the same state with another `since` is a call not seen ending. */
  lastState: string;
  lastSince: number;
}

/** When the line entered its state; unknown, the time it was first seen in it. */
function sinceMs(line: LineView, previous: CallClock | undefined, now: number): number {
  const parsed = line.since ? Date.parse(line.since) : Number.NaN;
  if (!Number.isNaN(parsed)) return parsed;
  return previous?.lastState === line.state ? previous.lastSince : now;
}

/** The clock after seeing `line`: undefined while no call is up on it. Pure, so rendering twice agrees. */
export function nextClock(
  previous: CallClock | undefined,
  line: LineView,
  now: number,
): CallClock | undefined {
  if (!UP_STATES.has(line.state)) return undefined;
  const since = sinceMs(line, previous, now);
  const onHold = line.state === 'onhold';
  const sameCall =
    previous !== undefined &&
    previous.number === line.remoteNumber &&
    !(previous.lastState === line.state && previous.lastSince !== since);
  if (!sameCall) {
    return {
      number: line.remoteNumber,
      upSince: since,
      heldMs: 0,
      heldSince: onHold ? since : undefined,
      lastState: line.state,
      lastSince: since,
    };
  }
  if (previous.lastState === line.state) return previous;
  if (onHold) return { ...previous, heldSince: since, lastState: line.state, lastSince: since };
  const held = previous.heldSince === undefined ? 0 : Math.max(0, since - previous.heldSince);
  return {
    ...previous,
    heldMs: previous.heldMs + held,
    heldSince: undefined,
    lastState: line.state,
    lastSince: since,
  };
}

export interface CallTimes {
  /** The whole call so far, holds included. */
  callMs: number;
  /** The hold under way, when the call is on hold. */
  holdingMs?: number | undefined;
  /** All hold time so far, the hold under way included. */
  heldMs: number;
}

/** The timers to show at `now` (the clock's times are on the server's clock, as `since` is). */
export function callTimes(clock: CallClock, now: number): CallTimes {
  const holding = clock.heldSince === undefined ? undefined : Math.max(0, now - clock.heldSince);
  return {
    callMs: Math.max(0, now - clock.upSince),
    holdingMs: holding,
    heldMs: clock.heldMs + (holding ?? 0),
  };
}

const clocks = new Map<string, CallClock>();

/** The clock of one line of one phone, brought up to date with what the line shows now. */
export function lineClock(phoneId: string, line: LineView, now: number): CallClock | undefined {
  const key = `${phoneId}:${line.line}`;
  const clock = nextClock(clocks.get(key), line, now);
  if (clock) clocks.set(key, clock);
  else clocks.delete(key);
  return clock;
}
