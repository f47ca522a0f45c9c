/**
 * DND and call forward. With a session login the config API reads and writes them (every write read
 * back: phones answer success for writes they ignore). Passcode-only firmware has no such API: DND is
 * the DND key, a toggle, so it is pressed only when the known state (from the Action URL) differs;
 * forward is not available there (field notes, "Config API").
 */
import type { CommandResult, DndBody, ForwardBody, PhoneState } from '@linedeck/contract';
import type { CtiClient, ForwardSetting } from '@linedeck/cti';
import { AppError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';

type Flags = { dnd: boolean | null; forward: PhoneState['forward'] };

/** Codes that mean "this phone cannot tell": the flag stays unknown, the poll itself is fine. */
const UNKNOWN_CODES = new Set(['not_supported', 'malformed', 'rejected', 'http_status']);

/**
 * DND and forward of a session phone, for the poller. Auth and network failures are the poll's;
 * a flag the firmware cannot report is null (unknown), as is forward where no P-values are known.
 */
export async function readFlags(
  client: Pick<CtiClient, 'getDnd' | 'getForward'>,
  context: { phoneId: string; logger: Logger },
): Promise<Flags> {
  const read = async <T>(what: string, task: () => Promise<T | null>): Promise<T | null> => {
    try {
      return await task();
    } catch (err) {
      if (!isCtiError(err) || !UNKNOWN_CODES.has(err.code)) throw err;
      if (err.code !== 'not_supported') {
        context.logger.debug({ phoneId: context.phoneId, code: err.code }, `${what} could not be read`);
      }
      return null;
    }
  };
  const dnd = await read('DND', () => client.getDnd());
  const forward = await read('call forward', () => client.getForward());
  return { dnd, forward };
}

export const FLAG_TEXT = {
  dndUnknown: 'DND state unknown: set up the Action URL so the phone reports DND, or use a session login.',
  forwardUnavailable: "Call forward is not available with this phone's firmware or credentials.",
  notKept: (what: string) =>
    `The phone answered success but did not keep ${what} (read back differently): it may be locked in the phone's settings.`,
} as const;

export interface FlagContext {
  phoneId: string;
  client: Pick<CtiClient, 'scheme' | 'setDnd' | 'setForward' | 'sendKeys'>;
  /** The DND state as known now (cache: config API or a trusted push); null = unknown. */
  knownDnd: boolean | null;
  /** Sends one request through the phone's queue, with the commands' error mapping. */
  send: <T>(task: () => Promise<T>) => Promise<T>;
  applyFlags: (flags: Partial<Flags>) => void;
}

export async function changeDnd(ctx: FlagContext, body: DndBody): Promise<CommandResult> {
  if (ctx.client.scheme === 'session') {
    await withNotKept(ctx, 'DND', () => ctx.send(() => ctx.client.setDnd(body.on)));
    ctx.applyFlags({ dnd: body.on });
    return { ok: true, body: { dnd: body.on } };
  }
  // The DND key toggles: pressed blind, it could switch DND off when asked to switch it on.
  if (ctx.knownDnd === null)
    throw new AppError('not_available', FLAG_TEXT.dndUnknown, { phoneId: ctx.phoneId });
  if (ctx.knownDnd === body.on) return { ok: true, body: { dnd: body.on } };
  await ctx.send(() => ctx.client.sendKeys(['DND']));
  ctx.applyFlags({ dnd: body.on });
  return { ok: true, body: { dnd: body.on } };
}

export async function changeForward(ctx: FlagContext, body: ForwardBody): Promise<CommandResult> {
  const unavailable = () =>
    new AppError('not_available', FLAG_TEXT.forwardUnavailable, { phoneId: ctx.phoneId });
  if (ctx.client.scheme !== 'session') throw unavailable();
  const setting: ForwardSetting = { mode: body.mode, number: body.mode === 'off' ? '' : (body.number ?? '') };
  try {
    await withNotKept(ctx, 'the call forward', () => ctx.send(() => ctx.client.setForward(setting)));
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_available') throw unavailable();
    throw err;
  }
  ctx.applyFlags({ forward: setting });
  return { ok: true, body: { forward: setting } };
}

/** A write the read-back contradicts says so in words, not only as a code. */
async function withNotKept<T>(ctx: FlagContext, what: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_applied') {
      throw new AppError('not_applied', FLAG_TEXT.notKept(what), { phoneId: ctx.phoneId, cause: err });
    }
    throw err;
  }
}
