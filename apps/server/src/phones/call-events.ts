/**
 * Pure diff of two line lists into call events (ringing, answered, held,
 * resumed, ended, missed, dialing). Polling sees snapshots, not transitions,
 * so a call that rang and stopped between two polls is invisible: that is a
 * known limit, the Action URL push (issue later) fills it in.
 */
import type { CallEvent, LineView } from '@linedeck/contract';
import {
  HELD_STATES,
  IDLE_STATES,
  OUTGOING_STATES,
  RINGING_STATES,
  TALKING_STATES,
} from './state-mapping.ts';

type Phase = 'idle' | 'ringing' | 'outgoing' | 'talking' | 'held' | 'other';

function phaseOf(line: LineView | undefined): Phase {
  if (!line) return 'idle';
  if (IDLE_STATES.has(line.state)) return 'idle';
  if (RINGING_STATES.has(line.state)) return 'ringing';
  if (OUTGOING_STATES.has(line.state)) return 'outgoing';
  if (TALKING_STATES.has(line.state)) return 'talking';
  if (HELD_STATES.has(line.state)) return 'held';
  return 'other';
}

/** The event for one line going from `before` to `after`, or null when nothing call-worthy happened. */
export function transitionEvent(before: Phase, after: Phase): CallEvent['kind'] | null {
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
  for (const n of numbers) {
    const prev = before.get(n);
    const cur = after.get(n);
    const kind = transitionEvent(phaseOf(prev), phaseOf(cur));
    if (!kind) continue;
    // When a call ends the line is blank again: name the call by what the line showed before.
    const remoteName = cur?.remoteName || prev?.remoteName || '';
    const remoteNumber = cur?.remoteNumber || prev?.remoteNumber || '';
    events.push({ phoneId: context.phoneId, line: n, kind, remoteName, remoteNumber, at: context.at });
  }
  return events;
}
