/**
 * Commands to a phone: make a call, a phone operation, keys, a system
 * operation. They go through the phone's queue (ahead of polls) and are
 * NEVER retried: a retried make_call can dial twice (architecture, error
 * model). An identical command for the same phone within 1.5 s is answered
 * from the first one and not sent again, so a double click never dials twice.
 */
import type { CommandResult, KeysBody, MakeCallBody, OperationBody, SystemBody } from '@linedeck/contract';
import { AppError, fromCtiError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
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
}

export type CommandKind = 'call' | 'operation' | 'keys' | 'system';

interface Recent {
  at: number;
  promise: Promise<CommandResult>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Commands {
  private readonly recent = new Map<string, Recent>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly dedupeMs: number;
  private readonly confirmMs: number;
  private readonly confirmPollMs: number;

  constructor(private readonly options: CommandsOptions) {
    this.dedupeMs = options.dedupeMs ?? 1500;
    this.confirmMs = options.confirmMs ?? 3000;
    this.confirmPollMs = options.confirmPollMs ?? 150;
  }

  makeCall(phoneId: string, body: MakeCallBody): Promise<CommandResult> {
    return this.once(phoneId, 'call', body, async (entry) => {
      const before = new Map(this.options.cache.lines(phoneId).map((l) => [l.line, l.state]));
      const answer = await this.send(entry, () =>
        entry.client.makeCall(body.number, body.account === undefined ? {} : { account: body.account }),
      );
      const confirmed = await this.confirmCall(entry, body.number, before);
      return { ok: true, body: answer.body, confirmed };
    });
  }

  operation(phoneId: string, body: OperationBody): Promise<CommandResult> {
    return this.once(phoneId, 'operation', body, async (entry) => {
      const answer = await this.send(entry, () =>
        entry.client.phoneOperation(body.command, body.line === undefined ? {} : { line: body.line }),
      );
      return { ok: true, body: answer.body };
    });
  }

  keys(phoneId: string, body: KeysBody): Promise<CommandResult> {
    return this.once(phoneId, 'keys', body, async (entry) => {
      const answer = await this.send(entry, () => entry.client.sendKeys(body.keys));
      return { ok: true, body: answer.body };
    });
  }

  /** REBOOT or RESET, only when `confirm` is the phone's name: never one stray click. */
  system(phoneId: string, body: SystemBody): Promise<CommandResult> {
    const record = this.options.registry.get(phoneId);
    if (body.confirm.trim() !== record.name) {
      return Promise.reject(
        new AppError(
          'confirmation_mismatch',
          `To ${body.request.toLowerCase()} this phone, type its name exactly.`,
          {
            phoneId,
          },
        ),
      );
    }
    return this.once(phoneId, 'system', body, async (entry) => {
      // RESET needs the admin passcode: a 401 to it with a working user passcode is no reason to stop polling.
      const answer = await this.send(entry, () => entry.client.sysOperation(body.request), {
        authStopsPolling: body.request !== 'RESET',
      });
      return { ok: true, body: answer.body };
    });
  }

  /** Resolves when every command started so far has settled (clean shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private once(
    phoneId: string,
    kind: CommandKind,
    body: unknown,
    run: (entry: PhoneEntry) => Promise<CommandResult>,
  ): Promise<CommandResult> {
    const entry = this.options.registry.entry(phoneId);
    const now = Date.now();
    this.sweep(now);
    const key = `${phoneId}\u0000${kind}\u0000${JSON.stringify(body)}`;
    const recent = this.recent.get(key);
    if (recent && now - recent.at < this.dedupeMs) {
      this.options.logger.info(
        { phoneId, kind },
        'identical command within the double-click window: not sent again',
      );
      return recent.promise.then((result) => ({ ...result, deduplicated: true }));
    }
    if (entry.poller.mode === 'auth_stopped') {
      // The stored passcode was refused: another try would count towards the phone's lockout.
      return Promise.reject(
        new AppError(
          'phone_auth_failed',
          'The phone refused the stored passcode: update it, or run a test.',
          {
            phoneId,
          },
        ),
      );
    }
    const promise = run(entry);
    this.recent.set(key, { at: now, promise });
    this.inFlight.add(promise);
    promise.then(
      () => this.inFlight.delete(promise),
      () => this.inFlight.delete(promise),
    );
    return promise;
  }

  private sweep(now: number): void {
    for (const [key, r] of this.recent) if (now - r.at >= this.dedupeMs) this.recent.delete(key);
  }

  /** One command through the queue; CTI failures become API errors. Never retried. */
  private async send<T>(
    entry: PhoneEntry,
    task: () => Promise<T>,
    options: { authStopsPolling?: boolean } = {},
  ): Promise<T> {
    try {
      const result = await entry.queue.command(task);
      entry.poller.kick();
      return result;
    } catch (err) {
      if (!isCtiError(err)) throw err;
      if (err.code === 'auth_failed' && options.authStopsPolling === false) {
        throw new AppError(
          'phone_auth_failed',
          "The phone refused: RESET needs the phone's admin passcode, and the stored one is not it.",
          { phoneId: entry.id, cause: err },
        );
      }
      const appError = fromCtiError(err, entry.id);
      if (err.code === 'auth_failed') entry.poller.authFailed(appError.message);
      throw appError;
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
