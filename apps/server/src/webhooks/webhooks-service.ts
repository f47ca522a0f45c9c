/**
 * Webhooks as the routes and the event sources use them. `emit` writes one outbox row per enabled
 * webhook subscribed to the event, in the order events were emitted, then wakes the dispatcher; a call's
 * events are not emitted but written with the call (`callDeliveries`, call-outbox.ts). The signing
 * secret is made here, sealed before it is stored, and answered only by `create` and `rotateSecret`.
 */
import { randomUUID } from 'node:crypto';
import {
  type Call,
  type CreateWebhookBody,
  type UpdateWebhookBody,
  WEBHOOK_TEST_EVENT,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryEvent,
  type WebhookEvent,
  type WebhookPayload,
  type WebhookWithSecret,
} from '@linedeck/contract';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../store/crypto.ts';
import { BLOCKED_ADDRESS_MESSAGE, blockedAddressIn } from './webhook-address-guard.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';
import { newWebhookSecret } from './webhook-signature.ts';
import type { NewDelivery, WebhookRecord, WebhooksRepository } from './webhooks-repository.ts';

export interface WebhooksOptions {
  repository: WebhooksRepository;
  box: SecretBox;
  dispatcher: WebhookDispatcher;
  logger: Logger;
  now?: () => Date;
}

/** A URL whose host is an address no webhook may go to: a clear error before anything is stored. */
function refuseBlockedAddress(url: string): void {
  if (blockedAddressIn(url) === null) return;
  throw new AppError('invalid_input', BLOCKED_ADDRESS_MESSAGE, {
    issues: [{ path: 'url', message: BLOCKED_ADDRESS_MESSAGE }],
  });
}

export class Webhooks {
  /** Every webhook, kept in memory: `emit` runs for every call change and must not read the store first. */
  private hooks: WebhookRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly options: WebhooksOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async load(): Promise<void> {
    this.hooks = await this.options.repository.list();
  }

  /** Whether any webhook would be sent to (the dispatcher reads the outbox only then). */
  anyEnabled(): boolean {
    return this.hooks.some((w) => w.enabled);
  }

  async list(): Promise<Webhook[]> {
    return Promise.all(this.hooks.map((w) => this.view(w)));
  }

  async get(id: string): Promise<Webhook> {
    return this.view(this.find(id));
  }

  async create(body: CreateWebhookBody, createdBy: string | null): Promise<WebhookWithSecret> {
    refuseBlockedAddress(body.url);
    const record: WebhookRecord = {
      id: randomUUID(),
      url: body.url,
      events: body.events,
      enabled: body.enabled ?? true,
      createdBy,
      createdAt: this.now().toISOString(),
    };
    const secret = newWebhookSecret();
    await this.options.repository.insert(record, this.options.box.seal(secret, record.id));
    await this.load();
    return { webhook: await this.view(record), secret };
  }

  async update(id: string, change: UpdateWebhookBody): Promise<Webhook> {
    this.find(id);
    if (change.url !== undefined) refuseBlockedAddress(change.url);
    await this.options.repository.update(id, change, this.now().toISOString());
    await this.load();
    // Deliveries that waited while it was disabled are due now.
    if (change.enabled) this.options.dispatcher.kick();
    return this.get(id);
  }

  async rotateSecret(id: string): Promise<WebhookWithSecret> {
    const record = this.find(id);
    const secret = newWebhookSecret();
    await this.options.repository.setSecret(id, this.options.box.seal(secret, id), this.now().toISOString());
    return { webhook: await this.view(record), secret };
  }

  async remove(id: string): Promise<void> {
    this.find(id);
    await this.options.repository.remove(id);
    await this.load();
  }

  async deliveries(id: string, limit: number): Promise<WebhookDelivery[]> {
    this.find(id);
    return this.options.repository.deliveries(id, limit);
  }

  /** "Send test event": one `webhook.test` delivery, whatever the webhook subscribes to. */
  async sendTest(id: string): Promise<WebhookDelivery> {
    const record = this.find(id);
    if (!record.enabled) throw new AppError('rejected', 'The webhook is disabled: enable it to send.');
    const delivery = this.delivery(record.id, WEBHOOK_TEST_EVENT, {
      message: 'A test event from LineDeck: the signature checks out if your receiver accepts this.',
    });
    return this.enqueueNow(delivery);
  }

  /** "Redeliver": the same body as a new delivery (its own id and day of retries). */
  async redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    const record = this.find(id);
    const original = await this.options.repository.delivery(id, deliveryId);
    if (!original) throw new AppError('not_found', 'No such delivery.');
    if (!record.enabled) throw new AppError('rejected', 'The webhook is disabled: enable it to send.');
    return this.enqueueNow({
      id: randomUUID(),
      webhookId: id,
      event: original.event,
      payload: original.payload,
      createdAt: this.now().toISOString(),
      redeliveryOf: original.redeliveryOf ?? original.id,
    });
  }

  /** An event happened: queued for each enabled subscriber. Never throws, never waits. */
  emit(event: WebhookEvent, data: Record<string, unknown>): void {
    const targets = this.hooks.filter((w) => w.enabled && w.events.includes(event));
    if (targets.length === 0) return;
    const rows = targets.map((w) => this.delivery(w.id, event, data));
    this.writing = this.writing
      .then(() => this.options.repository.enqueue(rows))
      .then(
        () => this.options.dispatcher.kick(),
        (err: Error) =>
          this.options.logger.error({ err: err.message, event }, 'webhooks: writing to the outbox failed'),
      );
  }

  /**
   * The deliveries of a call's milestones, for each enabled webhook subscribed to them, not yet written
   * (`written`: what the caller knows it wrote; the outbox's unique key drops any other repeat): the
   * journal writes them in the call's own transaction (call-outbox.ts).
   */
  callDeliveries(
    call: Call,
    events: readonly WebhookEvent[],
    written?: (webhookId: string, event: WebhookEvent) => boolean,
  ): NewDelivery[] {
    const rows: NewDelivery[] = [];
    // One time for the milestones of one save: the outbox then orders them by the call (ringing before
    // missed before ended), never by which row happened to get the later millisecond.
    const at = this.now();
    for (const event of events)
      for (const w of this.hooks)
        if (w.enabled && w.events.includes(event) && !written?.(w.id, event))
          rows.push({ ...this.delivery(w.id, event, { call }, at), callId: call.id });
    return rows;
  }

  /** Every emitted event is in the outbox. */
  idle(): Promise<void> {
    return this.writing;
  }

  private delivery(
    webhookId: string,
    event: WebhookDeliveryEvent,
    data: Record<string, unknown>,
    at: Date = this.now(),
  ): NewDelivery {
    const occurredAt = at.toISOString();
    const payload: WebhookPayload = { event, occurredAt, webhookId, data };
    return { id: randomUUID(), webhookId, event, payload: JSON.stringify(payload), createdAt: occurredAt };
  }

  private async enqueueNow(delivery: NewDelivery): Promise<WebhookDelivery> {
    await this.options.repository.enqueue([delivery]);
    this.options.dispatcher.kick();
    const stored = await this.options.repository.delivery(delivery.webhookId, delivery.id);
    if (!stored) throw new AppError('internal', 'The delivery was not stored.');
    const { payload: _, ...shown } = stored;
    return shown;
  }

  private find(id: string): WebhookRecord {
    const record = this.hooks.find((w) => w.id === id);
    if (!record) throw new AppError('not_found', 'No such webhook.');
    return record;
  }

  private async view(record: WebhookRecord): Promise<Webhook> {
    const [last] = await this.options.repository.deliveries(record.id, 1);
    return {
      ...record,
      lastDelivery: last
        ? {
            id: last.id,
            event: last.event,
            state: last.state,
            statusCode: last.statusCode,
            error: last.error,
            createdAt: last.createdAt,
          }
        : null,
    };
  }
}
