/**
 * The status row of a line card: what a transfer or conference is doing on it, how long it has been on
 * hold, or that its call ended. One sentence, so the card's layout never depends on the state.
 */
import type { CallFlow, LineView } from '@linedeck/contract';
import { formatDuration } from '../../lib/time.ts';
import { flowFinished, flowProgress, flowRunning, targetLabel } from '../call-flows/flow-text.ts';
import type { CallTimes } from './call-clock.ts';

/**
 * free: no flow runs on the phone (Transfer… and Add to call… are offered); other: a flow runs on other
 * lines (one flow per phone); caller: the held caller's line of the running flow; consult: the line the
 * phone opened for the target; member: a line of a conference that is up.
 */
export type LineRole = { kind: 'free' | 'other' | 'caller' | 'consult' | 'member' };

export function lineRole(flow: CallFlow | null | undefined, line: number): LineRole {
  if (!flowRunning(flow)) return { kind: 'free' };
  if (flow.stage === 'joined' && flow.conferenceLines.includes(line)) return { kind: 'member' };
  if (flow.line === line) return { kind: 'caller' };
  if (flow.consultLine === line) return { kind: 'consult' };
  return { kind: 'other' };
}

/** Transfer… and Add to call… are offered on a connected or held line while no flow runs on the phone. */
export function offersFlows(role: LineRole, line: LineView): boolean {
  return role.kind === 'free' && (line.state === 'connected' || line.state === 'onhold');
}

export interface LineStatus {
  text: string;
  tone: 'normal' | 'bad';
  /** Progress and outcomes are announced as they change; timers are not (they tick every second). */
  live: boolean;
}

interface LineStatusInput {
  line: LineView;
  ended: boolean;
  role: LineRole;
  flow: CallFlow | null | undefined;
  lines: readonly LineView[];
  times: CallTimes | undefined;
}

export function lineStatusText({ line, ended, role, flow, lines, times }: LineStatusInput): LineStatus {
  const quiet = (text: string): LineStatus => ({ text, tone: 'normal', live: false });
  const outcome = flow && flowFinished(flow) && flow.line === line.line;
  if (ended && !outcome) return quiet('Call ended');
  if (flow && role.kind === 'caller') {
    return { text: flowProgress(flow, targetLabel(flow, lines)), tone: 'normal', live: true };
  }
  if (flow && role.kind === 'consult') {
    return quiet(
      flow.kind === 'transfer'
        ? `Called to take over the call on line ${flow.line}`
        : `Being added to the call on line ${flow.line}`,
    );
  }
  if (role.kind === 'member') return quiet('In the conference');
  // A finished flow stays in the phone's state for a few seconds: its outcome shows on the caller's line.
  if (flow && outcome) {
    return {
      text: flowProgress(flow, targetLabel(flow, lines)),
      tone: flow.stage === 'failed' ? 'bad' : 'normal',
      live: true,
    };
  }
  if (line.state === 'onhold' && times?.holdingMs !== undefined) {
    const before = times.heldMs - times.holdingMs;
    const total = before > 0 ? ` · held ${formatDuration(times.heldMs)} in all` : '';
    return quiet(`On hold for ${formatDuration(times.holdingMs)}${total}`);
  }
  if (line.state === 'onhold') return quiet('On hold');
  if (times && times.heldMs > 0) return quiet(`Held ${formatDuration(times.heldMs)} in all`);
  return quiet('');
}
