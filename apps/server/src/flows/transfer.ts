/**
 * Transfer as a flow, one key at a time, each checked against line status:
 *   XFER (the call goes on hold, a line opens) → digits, SEND (the target rings) →
 *   blind: XFER at once (after a short look for "busy"); attended: wait for the answer, then the
 *   person completes (XFER) or goes back to the caller (the consultation call ends).
 * On instant firmware (XFER, digits, SEND hands over at once) a blind transfer is those keys and an
 * attended one is not available. Every failure undoes what the flow did (consult-steps.ts).
 */
import type { CallFlow, LineView, TransferBody } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import {
  cancelFlow,
  digitKeys,
  type FlowContext,
  failFlow,
  startConsultation,
  waitForAnswer,
} from './consult-steps.ts';
import { FlowFailure, stateOf } from './flow-phone.ts';

export async function runTransfer(
  ctx: FlowContext,
  body: TransferBody,
  before: readonly LineView[],
): Promise<CallFlow> {
  const { board, run, phone } = ctx;
  try {
    const consultLine = await startConsultation(ctx, 'XFER', body.line, body.number, before);
    if (consultLine === null) return await instantTransfer(ctx, body);
    if (body.mode === 'blind') {
      // A busy target answers within moments: better said now than heard by the caller.
      const quick = await phone.until((ls) => {
        const state = stateOf(ls, consultLine);
        return state === 'calling' ? undefined : state;
      }, ctx.blindCheckMs);
      if (quick.value === 'failed') throw new FlowFailure('target_busy', `${body.number} is busy.`);
      return await handOver(ctx);
    }
    const outcome = await waitForAnswer(ctx, consultLine, ctx.ringMs);
    if (outcome === 'cancel') return await cancelFlow(ctx);
    if (outcome === 'complete') return await handOver(ctx);
    return board.update(run, {
      stage: 'talking',
      message: `${body.number} answered: complete the transfer, or go back to the caller.`,
    });
  } catch (err) {
    return failFlow(ctx, err);
  }
}

/** XFER with the target rung or answered: the caller goes to the target, both lines free up. */
async function handOver(ctx: FlowContext): Promise<CallFlow> {
  const { board, run, phone } = ctx;
  const { line, number } = run.flow;
  const consultLine = run.flow.consultLine;
  board.update(run, { stage: 'completing' });
  const intent = ctx.intendTransfer(number, line);
  let ok = false;
  try {
    await phone.keys(['XFER']);
    const done = await phone.until(
      (ls) => (stateOf(ls, line) === 'idle' && stateOf(ls, consultLine) === 'idle' ? true : undefined),
      phone.timing.settleMs,
    );
    ok = done.value === true;
  } finally {
    intent?.done(ok);
  }
  if (!ok) throw new FlowFailure('refused', 'The phone did not hand the call over.');
  return board.update(run, { stage: 'done', message: `Transferred to ${number}.` });
}

/** Instant firmware: XFER already waits for the digits, and SEND hands the call over. */
async function instantTransfer(ctx: FlowContext, body: TransferBody): Promise<CallFlow> {
  const { board, run, phone } = ctx;
  if (body.mode === 'attended') {
    // XFER again leaves transfer mode, as the handset's Cancel does.
    await phone.keys(['XFER']);
    throw new FlowFailure(
      'not_available',
      'This phone hands a call over as soon as the number is sent: only a blind transfer works on it.',
    );
  }
  board.update(run, { stage: 'dialing' });
  const intent = ctx.intendTransfer(body.number, body.line);
  let ok = false;
  try {
    await phone.keys([...digitKeys(body.number), 'SEND']);
    const gone = await phone.until(
      (ls) => (stateOf(ls, body.line) === 'idle' ? true : undefined),
      phone.timing.settleMs,
    );
    ok = gone.value === true;
  } finally {
    intent?.done(ok);
  }
  if (!ok) {
    await phone.keys(['XFER']).catch(() => undefined);
    throw new FlowFailure('refused', 'The phone did not hand the call over.');
  }
  return board.update(run, { stage: 'done', message: `Transferred to ${body.number}.` });
}

/** `.../transfer/complete`: the target answered (or still rings: then it is handed over ringing). */
export async function completeTransfer(ctx: FlowContext): Promise<CallFlow> {
  const { run, phone } = ctx;
  try {
    const lines = await phone.lines();
    if (stateOf(lines, run.flow.line) === 'idle') {
      // Nothing to undo: the call with the target goes on, as the person is in it.
      const message = `The caller hung up before the transfer; the call with ${run.flow.number} goes on.`;
      ctx.board.fail(run, 'caller_left', message);
      throw new AppError('rejected', message, { phoneId: phone.id });
    }
    const target = stateOf(lines, run.flow.consultLine);
    if (target !== 'connected' && target !== 'calling') {
      throw new FlowFailure('target_left', `${run.flow.number} is no longer on the line.`);
    }
    return await handOver(ctx);
  } catch (err) {
    return failFlow(ctx, err);
  }
}

export { cancelFlow as cancelTransfer };
