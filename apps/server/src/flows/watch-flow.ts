/**
 * A flow waiting for the person (an attended transfer talking to the target, a joined conference)
 * follows what the phone shows between requests: the target or the caller may hang up, the parties may
 * leave. Pure reading: no key is sent from here, the phone already did what it does.
 */
import type { LineView } from '@linedeck/contract';
import type { FlowBoard, FlowRun } from './flow-board.ts';
import { stateOf } from './flow-phone.ts';

export function watchFlow(board: FlowBoard, run: FlowRun, lines: readonly LineView[]): void {
  const { flow } = run;
  if (flow.stage === 'talking') {
    const caller = stateOf(lines, flow.line);
    const target = stateOf(lines, flow.consultLine);
    if (caller === 'idle') {
      board.fail(run, 'caller_left', `The caller hung up; the call with ${flow.number} goes on.`);
    } else if (target === 'idle' || target === 'failed') {
      const where =
        caller === 'connected' ? 'the caller is back' : `the caller is on hold on line ${flow.line}`;
      board.fail(run, 'target_left', `${flow.number} hung up before the transfer; ${where}.`);
    }
    return;
  }
  if (flow.stage === 'joined') {
    const left = flow.conferenceLines.filter((l) => stateOf(lines, l) !== 'idle');
    if (left.length >= 2) return;
    const message =
      left.length === 1
        ? `The conference ended; the call on line ${left[0]} goes on.`
        : 'The conference ended.';
    board.update(run, { stage: 'done', conferenceLines: [], message });
  }
}
