/**
 * Conference as a flow: CONF (the call goes on hold, a line opens) → digits, SEND → wait for the answer
 * → CONF joins the held and the new call (both lines `conf`). The flow stays `joined` until the
 * conference ends (`.../conference/end`, or the parties leave: flow-routes.ts watches); a party can be
 * dropped (`.../conference/drop`), the phone ending that line only. Failures undo (consult-steps.ts).
 */
import type { CallFlow, ConferenceBody, LineView } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import { cancelFlow, type FlowContext, failFlow, startConsultation, waitForAnswer } from './consult-steps.ts';
import { FlowFailure, lineOf, stateOf } from './flow-phone.ts';

export async function runConference(
  ctx: FlowContext,
  body: ConferenceBody,
  before: readonly LineView[],
): Promise<CallFlow> {
  const { board, run, phone } = ctx;
  try {
    const consultLine = await startConsultation(ctx, 'CONF', body.line, body.number, before);
    if (consultLine === null) {
      // Instant firmware: CONF only marked the call; pressed again it takes the mark off.
      const after = await phone.lines();
      if (lineOf(after, body.line)?.conference) await phone.keys(['CONF']);
      throw new FlowFailure(
        'not_available',
        "This phone's Conference key does not call a new party: a conference cannot be set up from here.",
      );
    }
    const outcome = await waitForAnswer(ctx, consultLine, ctx.ringMs);
    if (outcome === 'cancel') return await cancelFlow(ctx);
    board.update(run, { stage: 'completing' });
    await phone.keys(['CONF']);
    const parties = [body.line, consultLine];
    const joined = await phone.until(
      (ls) =>
        parties.every((l) => stateOf(ls, l) === 'connected' && lineOf(ls, l)?.conference) ? true : undefined,
      phone.timing.settleMs,
    );
    if (!joined.value) throw new FlowFailure('refused', 'The phone did not join the calls.');
    return board.update(run, {
      stage: 'joined',
      conferenceLines: parties,
      message: `Conference with ${body.number}.`,
    });
  } catch (err) {
    return failFlow(ctx, err);
  }
}

/** Ends every party of a joined conference; one being set up is cancelled (the caller is back). */
export async function endConference(ctx: FlowContext): Promise<CallFlow> {
  const { run, phone, board } = ctx;
  if (run.flow.stage !== 'joined') return cancelFlow(ctx);
  const parties = run.flow.conferenceLines;
  for (const line of parties) {
    if (stateOf(await phone.lines(), line) !== 'idle') await phone.operate('endcall', line);
  }
  const ended = await phone.until(
    (ls) => (parties.every((l) => stateOf(ls, l) === 'idle') ? true : undefined),
    phone.timing.settleMs,
  );
  if (!ended.value) {
    const message = 'The phone did not end every call of the conference: check the phone.';
    board.fail(run, 'refused', message);
    throw new AppError('rejected', message, { phoneId: phone.id });
  }
  return board.update(run, { stage: 'done', conferenceLines: [], message: 'The conference ended.' });
}

/** Drops the party on `line`; with one party left the call with them goes on as a plain call. */
export async function dropParty(ctx: FlowContext, line: number): Promise<CallFlow> {
  const { run, phone, board } = ctx;
  if (run.flow.stage !== 'joined' || !run.flow.conferenceLines.includes(line)) {
    throw new AppError('rejected', `Line ${line} is not a party of this conference.`, { phoneId: phone.id });
  }
  await phone.operate('endcall', line);
  const gone = await phone.until(
    (ls) => (stateOf(ls, line) === 'idle' ? ls : undefined),
    phone.timing.settleMs,
  );
  const after = gone.value;
  if (!after) {
    throw new AppError('rejected', `The phone did not end the call on line ${line}.`, { phoneId: phone.id });
  }
  const left = run.flow.conferenceLines.filter((l) => l !== line && stateOf(after, l) !== 'idle');
  if (left.length >= 2) return board.update(run, { conferenceLines: left });
  return board.update(run, {
    stage: 'done',
    conferenceLines: [],
    message:
      left.length === 1 ? `Line ${line} left; the call on line ${left[0]} goes on.` : 'The conference ended.',
  });
}
