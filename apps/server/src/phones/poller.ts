/**
 * One poller per phone: line status and phone status every interval, accounts
 * (and, with a session login, DND and forward) every 30 s and at start, all
 * through the phone's queue (so commands go first). An unreachable phone backs
 * off exponentially up to 30 s and shows `offline`. A refused credential STOPS
 * polling at its first refusal of any kind: newer firmware locks the account
 * after 5 wrong tries (field notes), so we never retry it on our own; a
 * credential change builds a new poller, a successful test calls `resume()`.
 */
import type { AuthFailure, CtiClient } from '@linedeck/cti';
import { AppError, fromCtiError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { backoffDelay } from './backoff.ts';
import { readFlags } from './flags.ts';
import { type PhoneQueue, QueueClosedError } from './phone-queue.ts';
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
  private readonly accountsIntervalMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: PollerOptions) {
    this.accountsIntervalMs = options.accountsIntervalMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  start(): void {
    if (this.mode === 'running') return;
    this.mode = 'running';
    this.schedule(0);
  }

  /** Polls as soon as the queue allows (after a command, to show its effect quickly). */
  kick(): void {
    if (this.mode !== 'running') return;
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

  /** The delay the next poll will wait, from the failure count. */
  nextDelay(): number {
    return backoffDelay(this.failures, { baseMs: this.options.intervalMs, maxMs: this.maxBackoffMs });
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    if (this.mode !== 'running' || this.current) return;
    this.current = this.pollOnce();
    await this.current;
    this.current = undefined;
    if (this.mode !== 'running') return;
    const delay = this.kickPending ? 0 : this.nextDelay();
    this.kickPending = false;
    this.schedule(delay);
  }

  private async pollOnce(): Promise<void> {
    const { phoneId, client, queue, cache, logger } = this.options;
    try {
      const accountsDue = Date.now() - this.lastAccountsAt >= this.accountsIntervalMs;
      // Each read checks the mode first: a poller stopped mid-poll (phone removed, credential changed)
      // must not send the rest of its reads with a client that has been closed.
      const read = <T>(key: string, task: () => Promise<T>): Promise<T> =>
        queue.poll(key, () => (this.mode === 'running' ? task() : Promise.reject(new QueueClosedError())));
      const lines = await read('lines', () => client.getLineStatus());
      const phone = await read('phone', () => client.getPhoneStatus());
      const accounts = accountsDue ? await read('accounts', () => client.getAccounts()) : undefined;
      // Asked after the first reads: a `detect` phone knows its scheme only once it has been contacted.
      const flags =
        accountsDue && client.scheme === 'session'
          ? await read('flags', () => readFlags(client, { phoneId, logger }))
          : undefined;
      if (accountsDue) this.lastAccountsAt = Date.now();
      if (this.mode !== 'running') return;
      cache.applyPoll(phoneId, { lines, phoneStatus: phone.rawStatus ?? phone.status, accounts });
      if (flags) cache.applyFlags(phoneId, flags);
      this.failures = 0;
    } catch (err) {
      if (err instanceof QueueClosedError || this.mode !== 'running') return;
      // The phone client's auth stop answers before sending: the state already says why.
      if (err instanceof AppError && err.code === 'phone_auth_failed') {
        this.mode = 'auth_stopped';
        return;
      }
      if (isCtiError(err)) {
        const appError = fromCtiError(err, phoneId);
        cache.applyError(phoneId, {
          code: appError.code,
          message: appError.message,
          ...(appError.auth ? { auth: appError.auth } : {}),
        });
        if (err.code === 'auth_failed') {
          this.mode = 'auth_stopped';
          logger.warn({ phoneId }, `${appError.message} Polling stopped until the credential changes.`);
          return;
        }
      } else {
        cache.applyError(phoneId, { code: 'internal', message: 'Reading the phone failed unexpectedly.' });
        logger.error({ phoneId, err }, 'poll failed unexpectedly');
      }
      this.failures++;
    }
  }
}
