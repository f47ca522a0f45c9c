/**
 * Commands to a phone: make a call, a phone operation, keys, a system
 * operation. They go through the phone's queue (ahead of polls) and are
 * NEVER retried: a retried make_call can dial twice (architecture, error
 * model). An identical command for the same phone within 1.5 s is answered
 * from the first one and not sent again, so a double click never dials twice.
 * A command that comes with an `Idempotency-Key` is deduplicated by that key
 * instead (same principal, phone and key within 1.5 s): a client that names
 * each intent can repeat a body on purpose (DTMF "100", Resume after Hold).
 */
import type {
  CommandResult,
  DndBody,
  ForwardBody,
  KeysBody,
  MakeCallBody,
  OperationBody,
  SystemBody,
} from '@linedeck/contract';
import { CONFIG_KEYS } from '@linedeck/cti';
import { AppError, authFailureOf, fromCtiError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { changeDnd, changeForward, type FlagContext } from './flags.ts';
import { QueueClosedError } from './phone-queue.ts';
import type { PhoneEntry, Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';
import { IDLE_STATES, OUTGOING_STATES, TALKING_STATES } from './state-mapping.ts';

export interface CommandsOptions {
  registry: Registry;
  cache: StateCache;
  logger: Logger;
  /** Window in which an identical command is answered from the first (1.5 s). */
  dedupeMs?: number;
  /** How long make_call watches line status for the call to start (3 s). */
  confirmMs?: number;
  /** Pause between line reads while confirming. */
  confirmPollMs?: number;
  /** Told each command's outcome (`ok`, `deduplicated` or the error code): metrics. */
  observer?: { onCommand(kind: CommandKind, outcome: string): void };
}

export type CommandKind = 'call' | 'operation' | 'keys' | 'system' | 'dnd' | 'forward' | 'click_to_dial';

/** The client's own name for one intent (the `Idempotency-Key` header), scoped to who sent it. */
export interface Idempotency {
  /** Who sent it (a user, an API token, a display key): keys of different principals never meet. */
  principal: string;
  key: string;
}

interface Recent {
  at: number;
  /** Kind and body: a key reused for another command is refused, not answered with the wrong result. */
  command: string;
  promise: Promise<CommandResult>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Commands {
  /** Commands without a key, by phone, kind and body (the double-click guard). */
  private readonly recent = new Map<string, Recent>();
  /** Commands with an Idempotency-Key, by principal, phone and key; they never meet the body guard. */
  private readonly recentByKey = new Map<string, Recent>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private sweptAt = Number.NEGATIVE_INFINITY;
  private readonly dedupeMs: number;
  private readonly confirmMs: number;
  private readonly confirmPollMs: number;

  constructor(private readonly options: CommandsOptions) {
    this.dedupeMs = options.dedupeMs ?? 1500;
    this.confirmMs = options.confirmMs ?? 3000;
    this.confirmPollMs = options.confirmPollMs ?? 150;
  }

  makeCall(phoneId: string, body: MakeCallBody, idempotency?: Idempotency): Promise<CommandResult> {
    return this.once(phoneId, 'call', body, idempotency, async (entry) => {
      const before = new Map(this.options.cache.lines(phoneId).map((l) => [l.line, l.state]));
      const answer = await this.send(entry, () =>
        entry.client.makeCall(body.number, body.account === undefined ? {} : { account: body.account }),
      );
      const confirmed = await this.confirmCall(entry, body.number, before);
      return { ok: true, body: answer.body, confirmed };
    });
  }

  operation(phoneId: string, body: OperationBody, idempotency?: Idempotency): Promise<CommandResult> {
    return this.once(phoneId, 'operation', body, idempotency, async (entry) => {
      const answer = await this.send(entry, () =>
        entry.client.phoneOperation(body.command, body.line === undefined ? {} : { line: body.line }),
      );
      return { ok: true, body: answer.body };
    });
  }

  keys(phoneId: string, body: KeysBody, idempotency?: Idempotency): Promise<CommandResult> {
    return this.once(phoneId, 'keys', body, idempotency, async (entry) => {
      const answer = await this.send(entry, () => entry.client.sendKeys(body.keys));
      return { ok: true, body: answer.body };
    });
  }

  /**
   * REBOOT or RESET, only when `confirm` is the phone's name: never one stray click. A phone that drops
   * the connection instead of answering REBOOT is going down: the client answers `rebooting`, a success.
   */
  system(phoneId: string, body: SystemBody, idempotency?: Idempotency): Promise<CommandResult> {
    const mismatch = this.confirmMismatch(phoneId, body.confirm, body.request.toLowerCase());
    if (mismatch) return Promise.reject(mismatch);
    return this.once(phoneId, 'system', body, idempotency, async (entry) => {
      const answer = await this.send(entry, () => entry.client.sysOperation(body.request), {
        reset: body.request === 'RESET',
      });
      return { ok: true, body: answer.body };
    });
  }

  /** DND on or off (flags.ts: config API with a session, the DND key otherwise). */
  dnd(phoneId: string, body: DndBody, idempotency?: Idempotency): Promise<CommandResult> {
    return this.once(phoneId, 'dnd', body, idempotency, (entry) => changeDnd(this.flagContext(entry), body));
  }

  /** Call forward (session phones only: no P-values, no forward). */
  forward(phoneId: string, body: ForwardBody, idempotency?: Idempotency): Promise<CommandResult> {
    return this.once(phoneId, 'forward', body, idempotency, (entry) =>
      changeForward(this.flagContext(entry), body),
    );
  }

  /** The diagnosis' one-click fix: Click-To-Dial (P1561) on, read back. Needs the phone's name too. */
  enableClickToDial(phoneId: string, confirm: string): Promise<CommandResult> {
    const mismatch = this.confirmMismatch(phoneId, confirm, 'change Click-To-Dial on');
    if (mismatch) return Promise.reject(mismatch);
    return this.once(phoneId, 'click_to_dial', { on: true }, undefined, async (entry) => {
      if (entry.client.scheme !== 'session') {
        throw new AppError(
          'not_available',
          "Click-To-Dial can only be switched on with a session login; enable it in the phone's web page (Phone Settings → Call Settings → Click-To-Dial Feature).",
          { phoneId },
        );
      }
      try {
        await this.send(entry, () => entry.client.setConfig({ [CONFIG_KEYS.clickToDial.key]: '1' }));
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_applied') {
          throw new AppError(
            'not_applied',
            'The phone answered success but kept Click-To-Dial off: enable it in its web page.',
            { phoneId, cause: err },
          );
        }
        throw err;
      }
      return { ok: true, body: { clickToDial: true } };
    });
  }

  private confirmMismatch(phoneId: string, confirm: string, what: string): AppError | undefined {
    const record = this.options.registry.get(phoneId);
    if (confirm.trim() === record.name) return undefined;
    return new AppError('confirmation_mismatch', `To ${what} this phone, type its name exactly.`, {
      phoneId,
    });
  }

  private flagContext(entry: PhoneEntry): FlagContext {
    const { cache } = this.options;
    return {
      phoneId: entry.id,
      client: entry.client,
      knownDnd: cache.get(entry.id)?.dnd ?? null,
      send: (task) => this.send(entry, task),
      applyFlags: (flags) => cache.applyFlags(entry.id, flags),
    };
  }

  /** Resolves when every command started so far has settled (clean shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private once(
    phoneId: string,
    kind: CommandKind,
    body: unknown,
    idempotency: Idempotency | undefined,
    run: (entry: PhoneEntry) => Promise<CommandResult>,
  ): Promise<CommandResult> {
    const entry = this.options.registry.entry(phoneId);
    const now = Date.now();
    this.sweep(now);
    const command = `${kind}\u0000${JSON.stringify(body)}`;
    // With a key, the key alone says whether this is the same intent: an identical body under a new key is
    // sent. Without one, an identical body is (the double-click guard, unchanged for scripts and old clients).
    const [recentMap, key] = idempotency
      ? [this.recentByKey, `${phoneId}\u0000${idempotency.principal}\u0000${idempotency.key}`]
      : [this.recent, `${phoneId}\u0000${command}`];
    const recent = recentMap.get(key);
    if (recent && now - recent.at < this.dedupeMs) {
      if (recent.command !== command) {
        return Promise.reject(
          new AppError(
            'invalid_input',
            'This Idempotency-Key was just used for another command: send a new key with each new command.',
            { phoneId },
          ),
        );
      }
      this.options.logger.info(
        { phoneId, kind, idempotencyKey: idempotency?.key },
        idempotency
          ? 'same Idempotency-Key within the window: answered from the first, not sent again'
          : 'identical command within the double-click window: not sent again',
      );
      this.options.observer?.onCommand(kind, 'deduplicated');
      return recent.promise.then((result) => ({ ...result, deduplicated: true }));
    }
    // The stored credential was refused: another try would count towards the phone's lockout. (The phone
    // client checks again when the command's turn comes: a poll ahead of it in the queue may be refused.)
    const stopped = entry.client.stoppedError();
    if (stopped) {
      this.options.observer?.onCommand(kind, stopped.code);
      return Promise.reject(stopped);
    }
    const promise = run(entry);
    recentMap.set(key, { at: now, command, promise });
    this.inFlight.add(promise);
    const observer = this.options.observer;
    promise.then(
      () => {
        this.inFlight.delete(promise);
        observer?.onCommand(kind, 'ok');
      },
      (err: unknown) => {
        this.inFlight.delete(promise);
        observer?.onCommand(kind, err instanceof AppError ? err.code : 'internal');
      },
    );
    return promise;
  }

  private sweep(now: number): void {
    // Memory hygiene only (an old entry is never answered from: `once` checks its age), so once per window
    // is enough, not a walk of both maps on every command.
    if (now - this.sweptAt < this.dedupeMs) return;
    this.sweptAt = now;
    for (const map of [this.recent, this.recentByKey]) {
      for (const [key, r] of map) if (now - r.at >= this.dedupeMs) map.delete(key);
    }
  }

  /**
   * One command through the queue; CTI failures become API errors. Never retried. An auth failure has
   * already stopped the phone (its client did, before answering us).
   */
  private async send<T>(
    entry: PhoneEntry,
    task: () => Promise<T>,
    options: { reset?: boolean } = {},
  ): Promise<T> {
    try {
      const result = await entry.queue.command(task);
      entry.poller.kick();
      return result;
    } catch (err) {
      if (!isCtiError(err)) throw err;
      if (err.code === 'auth_failed' && options.reset && authFailureOf(err).reason === 'refused') {
        // RESET needs the admin password: a bare refusal with a working user password stops nothing.
        throw new AppError(
          'phone_auth_failed',
          "The phone refused: RESET needs the phone's admin passcode, and the stored one is not it.",
          { phoneId: entry.id, cause: err },
        );
      }
      throw fromCtiError(err, entry.id);
    }
  }

  /**
   * A phone's "success" to make_call does not prove the call started (field
   * notes: Click-To-Dial off, keypad locked...). Watch line status until a line
   * dials or talks to this number, or a line that was idle starts a call.
   */
  private async confirmCall(
    entry: PhoneEntry,
    number: string,
    before: Map<number, string>,
  ): Promise<boolean> {
    const deadline = Date.now() + this.confirmMs;
    while (Date.now() < deadline) {
      try {
        const lines = await entry.queue.poll('lines', () => entry.client.getLineStatus());
        this.options.cache.applyPoll(entry.id, { lines });
        const started = lines.some((l) => {
          const state = String(l.state);
          if (!OUTGOING_STATES.has(state) && !TALKING_STATES.has(state)) return false;
          if (l.remoteNumber && l.remoteNumber === number) return true;
          const was = before.get(l.line);
          return was === undefined || IDLE_STATES.has(was);
        });
        if (started) return true;
      } catch (err) {
        if (err instanceof QueueClosedError) return false;
        // A failed read does not undo the phone's "success"; keep watching until the deadline.
      }
      await sleep(Math.min(this.confirmPollMs, Math.max(0, deadline - Date.now())));
    }
    return false;
  }
}
