/**
 * A transfer or conference in words, from the phone's `flow` (packages/contract flows.ts): which lines it
 * involves, what it is doing now ("Transferring to Ada Lovelace… ringing") and what a failure means.
 */
import type { CallFlow, FlowFailureReason, FlowStage, LineView } from '@linedeck/contract';
import { callerName } from '../../lib/caller.ts';

/** As FINISHED_FLOW_STAGES in the contract, typed here: the web imports no zod schemas at run time. */
const FINISHED_STAGES: ReadonlySet<FlowStage> = new Set<FlowStage>(['done', 'cancelled', 'failed']);

/** A flow still under way (not done, cancelled or failed). */
export function flowRunning(flow: CallFlow | null | undefined): flow is CallFlow {
  return !!flow && !FINISHED_STAGES.has(flow.stage);
}

/** A flow that has ended (done, cancelled, failed): shown for a few seconds with its outcome. */
export function flowFinished(flow: CallFlow): boolean {
  return FINISHED_STAGES.has(flow.stage);
}

/** A conference that is up: the lines that form it. */
export function conferenceLines(flow: CallFlow | null | undefined): number[] {
  if (flow?.kind !== 'conference' || flow.stage !== 'joined') return [];
  return flow.conferenceLines.length > 1 ? [...flow.conferenceLines].sort((a, b) => a - b) : [];
}

/**
 * Names people gave a target in this browser's dialogs (a contact, a phone), by the number dialled:
 * the flow carries only the number until the target's line shows who answered.
 */
const targetNames = new Map<string, string>();

export function rememberTargetName(number: string, name: string): void {
  if (name && name !== number) targetNames.set(number, name);
}

/** Who the flow calls: the name its line shows, else the name chosen in the dialog, else the number. */
export function targetLabel(flow: CallFlow, lines: readonly LineView[]): string {
  const consult = flow.consultLine === null ? undefined : lines.find((l) => l.line === flow.consultLine);
  return (consult && callerName(consult)) || targetNames.get(flow.number) || flow.number;
}

const FAILURE_TEXT: Record<FlowFailureReason, string> = {
  no_call: 'There is no call on that line to hand on.',
  target_busy: 'The number is busy.',
  no_answer: 'Nobody answered.',
  target_left: 'They hung up before the transfer was completed.',
  caller_left: 'The caller hung up.',
  refused: 'The phone did not do what LineDeck asked.',
  not_confirmed: 'The phone asked for a confirmation on its screen that nobody gave.',
  not_available: 'This phone cannot do that with its firmware.',
  unreachable: 'The phone stopped answering.',
};

/** Why a flow failed, in words: the server's own sentence when it gave one. */
export function failureText(flow: Pick<CallFlow, 'reason' | 'message'>): string {
  return flow.message || (flow.reason ? FAILURE_TEXT[flow.reason] : 'It did not work.');
}

/** What the flow on a caller's line is doing, for the line's status row. */
export function flowProgress(flow: CallFlow, target: string): string {
  const transfer = flow.kind === 'transfer';
  const doing = transfer ? `Transferring to ${target}…` : `Adding ${target} to the call…`;
  switch (flow.stage) {
    case 'holding':
      return `${doing} putting the caller on hold`;
    case 'dialing':
      return `${doing} dialling`;
    case 'ringing':
      return `${doing} ringing`;
    case 'talking':
      return transfer
        ? `${target} answered: complete the transfer or go back to the caller`
        : `${doing} answered`;
    case 'completing':
      return transfer ? `${doing} handing over` : `${doing} joining`;
    case 'joined':
      return `Conference with ${target}`;
    case 'done':
      return transfer ? `Transferred to ${target}` : `${target} joined the call`;
    case 'cancelled':
      return flow.message || 'Back to the caller.';
    case 'failed':
      return `${transfer ? 'Transfer' : 'Adding to the call'} failed: ${failureText(flow)}`;
  }
}
