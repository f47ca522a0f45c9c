/**
 * Sends the outbox: every tick it reads the due deliveries of enabled webhooks, POSTs each (at most 10 s,
 * redirects not followed: a 3xx is a failure, so a receiver cannot bounce the signed body elsewhere), and
 * writes the outcome. A failed attempt is due again after an exponential backoff with jitter, until the
 * delivery is a day old; then it is marked failed. A row leaves `pending` only once its outcome is
 * written, so a crash mid-send sends it again at the next start: delivery is at least once. Nothing is
 * sent to a link-local, multicast or "this network" address, written in the URL or resolved from its
 * name (webhook-address-guard.ts).
 */
import { Agent, fetch } from 'undici';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../store/crypto.ts';
import {
  BlockedAddressError,
  blockedAddressIn,
  guardedLookup,
  type Lookup,
} from './webhook-address-guard.ts';
import { signDelivery } from './webhook-signature.ts';
import type { DueDelivery, WebhooksRepository } from './webhooks-repository.ts';

export interface RetryPolicy {
  /** The wait after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A delivery this old when an attempt fails is given up (failed). */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  giveUpAfterMs: 24 * 3_600_000,
};

export interface WebhookDispatcherOptions {
  repository: WebhooksRepository;
  box: SecretBox;
  logger: Logger;
  /** Counts each attempt's outcome (`delivered`, `failed`: retried later, `gave_up`). */
  onOutcome?: (outcome: 'delivered' | 'failed' | 'gave_up') => void;
  tickMs?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Finished deliveries are kept this long in the log (default 14 days). */
  keepMs?: number;
  now?: () => Date;
  /** How names are resolved (default `dns.lookup`); tests give names of their own. */
  lookup?: Lookup;
  /**
   * Whether any webhook is enabled (the service knows, in memory): without one there is nothing to
   * send, and the tick reads nothing, so a server without webhooks asks its database nothing each second.
   */
  anyEnabled?: () => boolean;
}

const BATCH = 20;
const PRUNE_EVERY_MS = 3_600_000;
const ERROR_MAX = 300;

/** The wait before attempt `attempts + 1`, with ±20 % jitter so receivers that came back are not stampeded. */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random = Math.random): number {
  const exact = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
  return Math.round(exact * (0.8 + 0.4 * random()));
}

/** A failed fetch's reason without the URL (a URL may hold a token in its path or query). */
function reason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.name === 'TimeoutError') return 'timed out';
  if (err instanceof BlockedAddressError) return err.message;
  if (e.cause instanceof BlockedAddressError) return e.cause.message;
  const text = e.cause?.code ?? e.cause?.message ?? e.message ?? 'request failed';
  return String(text).slice(0, ERROR_MAX);
}

export class WebhookDispatcher {
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private lastPruneMs = 0;
  /** Connections whose names resolve through the address guard. */
  private readonly agent: Agent;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? (() => new Date());
    this.agent = new Agent({ connect: { lookup: guardedLookup(options.lookup) } });
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.tickMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now (a new delivery need not wait for the tick); one pass at a time. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Stops taking new passes and waits for the one in flight (its outcomes are written). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
    await this.agent.close();
  }

  private async pass(): Promise<void> {
    if (this.options.anyEnabled && !this.options.anyEnabled()) return;
    try {
      for (;;) {
        const due = await this.options.repository.due(this.now().toISOString(), BATCH);
        // Webhooks in parallel, each one's deliveries one after another in the outbox's order: a
        // receiver hears a call's ringing before its missed, not whichever POST happened to land first.
        const byWebhook = new Map<string, DueDelivery[]>();
        for (const d of due) {
          const list = byWebhook.get(d.webhookId);
          if (list) list.push(d);
          else byWebhook.set(d.webhookId, [d]);
        }
        await Promise.all(
          [...byWebhook.values()].map(async (list) => {
            for (const delivery of list) await this.attempt(delivery);
          }),
        );
        if (due.length < BATCH || this.closed) break;
      }
      await this.prune();
    } catch (err) {
      this.options.logger.error({ err: (err as Error).message }, 'webhooks: reading the outbox failed');
    }
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const { repository, box, logger } = this.options;
    const webhook = await repository.get(delivery.webhookId);
    const sealed = await repository.sealedSecret(delivery.webhookId);
    if (!webhook || !sealed) return;
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const attempts = delivery.attempts + 1;
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const blocked = blockedAddressIn(webhook.url);
      if (blocked !== null) throw new BlockedAddressError(blocked);
      const response = await fetch(webhook.url, {
        dispatcher: this.agent,
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LineDeck-Webhooks',
          'x-linedeck-event': delivery.event,
          'x-linedeck-delivery': delivery.id,
          'x-linedeck-timestamp': String(timestamp),
          'x-linedeck-signature': signDelivery(box.open(sealed, webhook.id), timestamp, delivery.payload),
        },
        body: delivery.payload,
      });
      statusCode = response.status;
      // Only the status matters; reading nothing of the body frees the connection.
      await response.body?.cancel().catch(() => {});
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (err) {
      error = reason(err);
    }
    const at = this.now();
    const result = { attempts, statusCode, error, at: at.toISOString() };
    if (error === null) {
      await repository.delivered(delivery.id, result);
      this.options.onOutcome?.('delivered');
      return;
    }
    const ageMs = at.getTime() - Date.parse(delivery.createdAt);
    const giveUp = ageMs >= this.retry.giveUpAfterMs;
    const nextMs = Math.min(
      at.getTime() + retryDelayMs(this.retry, attempts),
      Date.parse(delivery.createdAt) + this.retry.giveUpAfterMs,
    );
    await repository.attemptFailed(delivery.id, result, giveUp ? null : new Date(nextMs).toISOString());
    this.options.onOutcome?.(giveUp ? 'gave_up' : 'failed');
    logger.warn(
      { webhookId: webhook.id, host: new URL(webhook.url).host, delivery: delivery.id, attempts, error },
      giveUp ? 'webhook delivery failed for a day: given up' : 'webhook delivery failed; retried later',
    );
  }

  private async prune(): Promise<void> {
    const nowMs = this.now().getTime();
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) return;
    this.lastPruneMs = nowMs;
    const before = new Date(nowMs - (this.options.keepMs ?? 14 * 86_400_000)).toISOString();
    const removed = await this.options.repository.prune(before);
    if (removed > 0) this.options.logger.info({ removed }, 'webhooks: old deliveries pruned from the log');
  }
}
