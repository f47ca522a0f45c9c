/**
 * One poller per phone: line status every interval, accounts (and, with a
 * session login, DND and forward) every 30 s and at start, all through the
 * phone's queue (so commands go first). The phone status word is read in the
 * same poll whenever it can tell something new (phone-status-cadence.ts): the
 * lines changed, a command or push woke the poller, the last poll failed, or
 * `phoneStatusEvery` polls went by; otherwise the last word stands. An
 * unreachable phone backs off exponentially up to 30 s and shows `offline`. A
 * refused credential STOPS polling at its first refusal of any kind: newer
 * firmware locks the account after 5 wrong tries (field notes), so we never
 * retry it on our own; a credential change builds a new poller, a successful
 * test calls `resume()`.
 */
import type { AuthFailure, CtiClient } from '@linedeck/cti';
import { AppError, fromCtiError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { backoffDelay } from './backoff.ts';
import { readFlags } from './flags.ts';
import { type PhoneQueue, QueueClosedError } from './phone-queue.ts';
import { PhoneStatusCadence } from './phone-status-cadence.ts';
import type { StateCache } from './state-cache.ts';

export type PollClient = Pick<
  CtiClient,
  'getLineStatus' | 'getPhoneStatus' | 'getAccounts' | 'getDnd' | 'getForward' | 'scheme'
>;

export interface PollerOptions {
  phoneId: string;
  client: PollClient;
  queue: PhoneQueue;
  cache: StateCache;
  logger: Logger;
  intervalMs: number;
  accountsIntervalMs?: number;
  maxBackoffMs?: number;
  /** Read the phone status word at least every this many polls (5: every 5 s at 1 Hz). */
  phoneStatusEvery?: number;
  /** Told each poll's duration and error code (metrics); one call per poll, nothing when absent. */
  observer?: { onPoll(seconds: number, errorCode: string | null): void };
}

export type PollerMode = 'idle' | 'running' | 'auth_stopped' | 'stopped';

export class Poller {
  mode: PollerMode = 'idle';
  /** Consecutive failed polls; drives the backoff. */
  failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;
  private kickPending = false;
  private lastAccountsAt = Number.NEGATIVE_INFINITY;
  /**
   * Phones started together (a boot, a network blip they all recovered from) would stay in step: every
   * poll of the fleet in the same tick, a burst that stalls the event loop and keeps thousands of
   * requests' objects alive at once. The first good poll after such a start is followed by one shorter
   * wait (a random part of the interval): the phase spreads, and no poll ever comes later than before.
   */
  private inStep = true;
  /** When the poll now waiting (or running) was meant to start. */
  private plannedAt = 0;
  private readonly accountsIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly status: PhoneStatusCadence;

  constructor(private readonly options: PollerOptions) {
    this.accountsIntervalMs = options.accountsIntervalMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.status = new PhoneStatusCadence(options.phoneStatusEvery ?? 5);
  }

  start(): void {
    if (this.mode === 'running') return;
    this.mode = 'running';
    this.schedule(0);
  }

  /** Polls as soon as the queue allows (after a command, to show its effect quickly). */
  kick(): void {
    if (this.mode !== 'running') return;
    // Whatever woke us (a command, a push: registered, DND...) may have changed the status word too.
    this.status.invalidate();
    if (this.current) {
      this.kickPending = true;
      return;
    }
    this.schedule(0);
  }

  /** Starts again after an auth stop (new passcode, successful test), with accounts re-read. */
  resume(): void {
    if (this.mode === 'stopped') return;
    this.failures = 0;
    this.lastAccountsAt = Number.NEGATIVE_INFINITY;
    this.status.invalidate();
    this.mode = 'running';
    this.kick();
  }

  /**
   * The phone refused the credential (a poll, command, test or passthrough saw it): stop polling now
   * rather than spend another of the phone's few tries before the lockout.
   */
  authFailed(message: string, auth?: AuthFailure): void {
    if (this.mode === 'stopped') return;
    this.mode = 'auth_stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    this.options.cache.applyError(this.options.phoneId, {
      code: 'phone_auth_failed',
      message,
      ...(auth ? { auth } : {}),
    });
  }

  /** Stops for good and waits for a poll in flight to settle. */
  async stop(): Promise<void> {
    this.mode = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  /**
   * The next poll one interval after this one was planned, not after it ended: a timer that fired late
   * (a busy tick fires every timer due in it at once) would otherwise carry its lateness into every later
   * poll, and phones served in the same busy tick would fall back into step. A poll that took most of the
   * interval (a slow phone) still gets a full interval of rest.
   */
  private onGrid(): number {
    const { intervalMs } = this.options;
    const wait = this.plannedAt + intervalMs - Date.now();
    return wait >= intervalMs / 4 ? wait : intervalMs;
  }

  /** After a start in step with others: a random part of the interval, once. */
  private spread(): number {
    this.inStep = false;
    return Math.floor(Math.random() * this.options.intervalMs);
  }

  /** The delay the next poll will wait, from the failure count. */
  nextDelay(): number {
    return backoffDelay(this.failures, { baseMs: this.options.intervalMs, maxMs: this.maxBackoffMs });
  }

  private schedule(delay: number): void {
    this.plannedAt = Date.now() + delay;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.fire, delay);
  }

  /** One function for every timer of this poller: a new closure per poll would live its whole second. */
  private readonly fire = (): void => {
    this.timer = undefined;
    void this.tick();
  };

  private async tick(): Promise<void> {
    if (this.mode !== 'running' || this.current) return;
    this.current = this.pollOnce();
    await this.current;
    this.current = undefined;
    if (this.mode !== 'running') return;
    const delay = this.kickPending
      ? 0
      : this.failures > 0
        ? this.nextDelay()
        : this.inStep
          ? this.spread()
          : this.onGrid();
    this.kickPending = false;
    this.schedule(delay);
  }

  private async pollOnce(): Promise<void> {
    const { observer } = this.options;
    if (!observer) {
      await this.read();
      return;
    }
    const started = performance.now();
    const code = await this.read();
    observer.onPoll((performance.now() - started) / 1000, code);
  }

  /** One poll; answers the error code of a failed one (null when it succeeded or was cut short). */
  private async read(): Promise<string | null> {
    const { phoneId, client, queue, cache, logger } = this.options;
    try {
      const accountsDue = Date.now() - this.lastAccountsAt >= this.accountsIntervalMs;
      // Each read checks the mode first: a poller stopped mid-poll (phone removed, credential changed)
      // must not send the rest of its reads with a client that has been closed.
      const read = <T>(key: string, task: () => Promise<T>): Promise<T> =>
        queue.poll(key, () => (this.mode === 'running' ? task() : Promise.reject(new QueueClosedError())));
      const lines = await read('lines', () => client.getLineStatus());
      const phone = this.status.due(lines) ? await read('phone', () => client.getPhoneStatus()) : undefined;
      const accounts = accountsDue ? await read('accounts', () => client.getAccounts()) : undefined;
      // Asked after the first reads: a `detect` phone knows its scheme only once it has been contacted.
      const flags =
        accountsDue && client.scheme === 'session'
          ? await read('flags', () => readFlags(client, { phoneId, logger }))
          : undefined;
      if (accountsDue) this.lastAccountsAt = Date.now();
      if (this.mode !== 'running') return null;
      cache.applyPoll(phoneId, {
        lines,
        ...(phone ? { phoneStatus: phone.rawStatus ?? phone.status } : {}),
        accounts,
      });
      if (flags) cache.applyFlags(phoneId, flags);
      this.status.read(lines, phone !== undefined);
      this.failures = 0;
      return null;
    } catch (err) {
      // After a failure nothing is known: the next good poll reads the word again.
      this.status.invalidate();
      if (err instanceof QueueClosedError || this.mode !== 'running') return null;
      // The phone client's auth stop answers before sending: the state already says why.
      if (err instanceof AppError && err.code === 'phone_auth_failed') {
        this.mode = 'auth_stopped';
        return 'phone_auth_failed';
      }
      let code = 'internal';
      if (isCtiError(err)) {
        const appError = fromCtiError(err, phoneId);
        cache.applyError(phoneId, {
          code: appError.code,
          message: appError.message,
          ...(appError.auth ? { auth: appError.auth } : {}),
        });
        code = appError.code;
        if (err.code === 'auth_failed') {
          this.mode = 'auth_stopped';
          logger.warn({ phoneId }, `${appError.message} Polling stopped until the credential changes.`);
          return code;
        }
      } else {
        cache.applyError(phoneId, { code: 'internal', message: 'Reading the phone failed unexpectedly.' });
        logger.error({ phoneId, err }, 'poll failed unexpectedly');
      }
      this.failures++;
      this.inStep = true;
      return code;
    }
  }
}
