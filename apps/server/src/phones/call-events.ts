/**
 * Pure diff of two line lists into call events (ringing, answered, held,
 * resumed, ended, missed, dialing). Polling sees snapshots, not transitions,
 * so a call that rang and stopped between two polls is invisible: that is a
 * known limit, which the phone's Action URL push (action-url-hook.ts) fills in.
 */
import type { CallEvent, LineView } from '@linedeck/contract';
import {
  anotherCaller,
  HELD_STATES,
  IDLE_STATES,
  OUTGOING_STATES,
  RINGING_STATES,
  TALKING_STATES,
} from './state-mapping.ts';

export type LinePhase = 'idle' | 'ringing' | 'outgoing' | 'talking' | 'held' | 'other';

export function phaseOf(line: LineView | undefined): LinePhase {
  if (!line) return 'idle';
  if (IDLE_STATES.has(line.state)) return 'idle';
  if (RINGING_STATES.has(line.state)) return 'ringing';
  if (OUTGOING_STATES.has(line.state)) return 'outgoing';
  if (TALKING_STATES.has(line.state)) return 'talking';
  if (HELD_STATES.has(line.state)) return 'held';
  return 'other';
}

/** The event for one line going from `before` to `after`, or null when nothing call-worthy happened. */
export function transitionEvent(before: LinePhase, after: LinePhase): CallEvent['kind'] | null {
  if (before === after) return null;
  switch (after) {
    case 'ringing':
      return 'ringing';
    case 'outgoing':
      return before === 'idle' ? 'dialing' : null;
    case 'talking':
      if (before === 'held') return 'resumed';
      return before === 'other' ? null : 'answered';
    case 'held':
      return before === 'talking' || before === 'other' ? 'held' : null;
    case 'idle':
      return before === 'ringing' ? 'missed' : 'ended';
    default:
      // Into a state we do not know (conference, transferred...): say nothing rather than guess.
      return null;
  }
}

export function diffCalls(
  previous: readonly LineView[],
  next: readonly LineView[],
  context: { phoneId: string; at: string },
): CallEvent[] {
  const before = new Map(previous.map((l) => [l.line, l]));
  const after = new Map(next.map((l) => [l.line, l]));
  const numbers = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  const events: CallEvent[] = [];
  const push = (n: number, kind: CallEvent['kind'], shown: LineView | undefined, endedIn?: string) => {
    const event: CallEvent = {
      phoneId: context.phoneId,
      line: n,
      kind,
      remoteName: shown?.remoteName ?? '',
      remoteNumber: shown?.remoteNumber ?? '',
      at: context.at,
    };
    if (typeof shown?.account === 'number') event.account = shown.account;
    if (endedIn !== undefined) event.endedIn = endedIn;
    events.push(event);
  };
  for (const n of numbers) {
    const prev = before.get(n);
    const cur = after.get(n);
    const from = phaseOf(prev);
    const to = phaseOf(cur);
    if (from === to) {
      // Same phase on both reads: ringing or calling out both times, when a caller changed.
      if (!prev || !cur || !anotherCaller(prev, cur)) continue;
      // The phone reused the line for the next caller between two polls: two calls, not one.
      push(n, to === 'ringing' ? 'missed' : 'ended', prev, prev?.state);
      push(n, to === 'ringing' ? 'ringing' : 'dialing', cur);
      continue;
    }
    const kind = transitionEvent(from, to);
    if (!kind) continue;
    if (kind === 'missed' || kind === 'ended') {
      // When a call ends the line is blank again: name the call by what the line showed before. A line
      // left in `failed` says how it ended; otherwise the state it was in last does.
      const endedIn = cur && cur.state !== 'idle' ? cur.state : (prev?.state ?? 'idle');
      push(n, kind, shownOf(prev, cur), endedIn);
    } else {
      push(n, kind, shownOf(prev, cur));
    }
  }
  return events;
}

/** The caller as the newer read shows it, each field falling back to the older read. */
function shownOf(prev: LineView | undefined, cur: LineView | undefined): LineView | undefined {
  if (!cur || !prev) return cur ?? prev;
  return {
    ...cur,
    remoteName: cur.remoteName || prev.remoteName,
    remoteNumber: cur.remoteNumber || prev.remoteNumber,
    account: cur.account ?? prev.account,
  };
}
