/**
 * The steps transfer.ts and conference.ts share: take the call, let the phone open a line for the target
 * (XFER or CONF), dial, wait for the answer, and undo. Each step checks what line status shows after it:
 * a phone's "complete" to a key proves nothing. Firmware differs in what XFER and CONF do (field notes);
 * when no new line opens the flow knows it is on "instant" firmware and says what it cannot do there.
 */
import type { CallFlow, LineView } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type FlowBoard, type FlowRequest, type FlowRun, isFinished } from './flow-board.ts';
import { FlowFailure, type FlowPhone, stateOf } from './flow-phone.ts';

export interface FlowContext {
  phone: FlowPhone;
  board: FlowBoard;
  run: FlowRun;
  logger: Logger;
  /** How long a target may ring. */
  ringMs: number;
  /** Blind transfer: how long to watch the target's line for a quick "busy" before handing over. */
  blindCheckMs: number;
  /** Tells the call journal, just before the key that hands a call over, who transfers it where. */
  intendTransfer: (target: string, line: number) => { done(ok: boolean): void } | undefined;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** The call on `line` made the active one (a held call is resumed first); else no_call. */
async function takeCall(ctx: FlowContext, line: number, lines: readonly LineView[]) {
  const state = stateOf(lines, line);
  if (state === 'connected') return lines;
  if (state !== 'onhold') throw new FlowFailure('no_call', `There is no established call on line ${line}.`);
  await ctx.phone.keys([`LINE${line}`]);
  const resumed = await ctx.phone.until(
    (ls) => (stateOf(ls, line) === 'connected' ? ls : undefined),
    ctx.phone.timing.settleMs,
  );
  if (!resumed.value)
    throw new FlowFailure('refused', `The phone did not take the call on line ${line} back.`);
  return resumed.value;
}

/**
 * XFER or CONF: on consult firmware the call goes on hold and a free line starts dialing; answers that
 * line, or null when the call stayed as it was and no line opened (instant firmware: XFER waits for
 * digits, CONF only marks the call). Anything else is a refusal (the undo puts the call back).
 */
export async function openConsultation(
  ctx: FlowContext,
  key: 'XFER' | 'CONF',
  line: number,
  before: readonly LineView[],
): Promise<number | null> {
  const free = new Set(before.filter((l) => l.state === 'idle').map((l) => l.line));
  await ctx.phone.keys([key]);
  const opened = await ctx.phone.until((ls) => {
    if (stateOf(ls, line) !== 'onhold') return undefined;
    return ls.find((l) => free.has(l.line) && l.state === 'dialing')?.line;
  }, ctx.phone.timing.settleMs);
  if (opened.value !== undefined) return opened.value;
  const unchanged = opened.lines.every((l) =>
    l.line === line ? l.state === 'connected' : free.has(l.line) === (l.state === 'idle'),
  );
  if (unchanged) return null;
  throw new FlowFailure(
    'refused',
    `The phone did not open a line for the ${key === 'XFER' ? 'transfer' : 'conference'}.`,
  );
}

/** The target's digits, as keys: the keypad has no "+", so the contract allows digits, * and # only. */
export function digitKeys(number: string): string[] {
  return [...number];
}

/**
 * How a transfer and a conference begin: the call on `line` taken, `key` pressed for a new line and
 * `number` dialled on it (stages `dialing`, then `ringing`). Answers that line, or null when the key
 * opened none (instant firmware), with nothing dialled.
 */
export async function startConsultation(
  ctx: FlowContext,
  key: 'XFER' | 'CONF',
  line: number,
  number: string,
  before: readonly LineView[],
): Promise<number | null> {
  const lines = await takeCall(ctx, line, before);
  const consultLine = await openConsultation(ctx, key, line, lines);
  if (consultLine === null) return null;
  ctx.board.update(ctx.run, { consultLine, stage: 'dialing' });
  await dialTarget(ctx, number, consultLine);
  ctx.board.update(ctx.run, { stage: 'ringing' });
  return consultLine;
}

/** Digits and SEND on the consultation line; answers the state the line moved to. */
async function dialTarget(ctx: FlowContext, number: string, consultLine: number): Promise<string> {
  await ctx.phone.keys([...digitKeys(number), 'SEND']);
  const moved = await ctx.phone.until((ls) => {
    const state = stateOf(ls, consultLine);
    return state === 'dialing' ? undefined : state;
  }, ctx.phone.timing.settleMs);
  if (!moved.value) throw new FlowFailure('refused', `The phone did not dial ${number}.`);
  if (moved.value === 'failed') throw new FlowFailure('target_busy', `${number} is busy.`);
  if (moved.value === 'idle') throw new FlowFailure('target_left', `The phone could not call ${number}.`);
  return moved.value;
}

/**
 * Waits until the target answers (`answered`), the person asks to complete or cancel, or gives up with
 * the reason: busy, not answering within ringMs, the target or the caller gone.
 */
export async function waitForAnswer(
  ctx: FlowContext,
  consultLine: number,
  ms: number,
): Promise<'answered' | NonNullable<FlowRequest>> {
  const { run } = ctx;
  const { line, number } = run.flow;
  const result = await ctx.phone.until(
    (ls) => {
      const target = stateOf(ls, consultLine);
      if (stateOf(ls, line) === 'idle') throw new FlowFailure('caller_left', 'The caller hung up.');
      if (target === 'failed') throw new FlowFailure('target_busy', `${number} is busy.`);
      if (target === 'idle') throw new FlowFailure('target_left', `${number} did not take the call.`);
      return target === 'connected' ? 'answered' : undefined;
    },
    ms,
    () => run.request !== null,
  );
  if (run.request !== null) return run.request;
  if (result.value) return result.value;
  throw new FlowFailure('no_answer', `${number} did not answer within ${seconds(ms)} s.`);
}

/**
 * Puts the calls back as they were: the consultation line ended, the caller on their line in the state
 * the flow found them (talking or held). Answers false when the phone would not (logged, never thrown:
 * the original failure is what the person needs to hear).
 */
export async function undo(ctx: FlowContext): Promise<boolean> {
  const { phone, run } = ctx;
  const { consultLine, line } = run.flow;
  const settle = phone.timing.settleMs;
  try {
    let lines = await phone.lines();
    if (consultLine !== null && stateOf(lines, consultLine) !== 'idle') {
      await phone.operate('endcall', consultLine);
      lines = (await phone.until((ls) => (stateOf(ls, consultLine) === 'idle' ? ls : undefined), settle))
        .lines;
    }
    const now = stateOf(lines, line);
    if (now === 'onhold' && run.initialState === 'connected') {
      await phone.keys([`LINE${line}`]);
      lines = (await phone.until((ls) => (stateOf(ls, line) === 'connected' ? ls : undefined), settle)).lines;
    } else if (now === 'connected' && run.initialState === 'onhold') {
      await phone.operate('holdcall', line);
      lines = (await phone.until((ls) => (stateOf(ls, line) === 'onhold' ? ls : undefined), settle)).lines;
    }
    const back = stateOf(lines, line);
    return back === run.initialState || back === 'idle';
  } catch (err) {
    ctx.logger.warn({ err, phoneId: phone.id, flow: run.flow.id }, 'flow: could not undo');
    return false;
  }
}

/** Ends a flow that went wrong: undo, show why, and answer the request with it. */
export async function failFlow(ctx: FlowContext, err: unknown): Promise<never> {
  // Already told (a cancel that could not bring the caller back): nothing more to undo or say.
  if (isFinished(ctx.run.flow)) throw err;
  const restored = await undo(ctx);
  const note = restored ? '' : ' The calls may not be as they were: check the phone.';
  if (err instanceof FlowFailure) {
    ctx.board.fail(ctx.run, err.reason, `${err.message}${note}`);
    const code = err.reason === 'not_available' ? 'not_available' : 'rejected';
    throw new AppError(code, `${err.message}${note}`, { phoneId: ctx.phone.id });
  }
  const message = err instanceof Error ? err.message : String(err);
  ctx.board.fail(ctx.run, 'unreachable', `${message}${note}`);
  throw err;
}

/** Back to the caller: the consultation call ends, the caller is as the flow found them. */
export async function cancelFlow(ctx: FlowContext): Promise<CallFlow> {
  if (await undo(ctx)) {
    return ctx.board.update(ctx.run, { stage: 'cancelled', message: 'Back to the caller.' });
  }
  const message = 'The phone did not bring the caller back: check the phone.';
  ctx.board.fail(ctx.run, 'refused', message);
  throw new AppError('rejected', message, { phoneId: ctx.phone.id });
}
