/**
 * The webhooks part as server.ts starts it: store, service, event sources, the writer of the calls'
 * deliveries and the outbox's dispatcher.
 */
import type { WriteWithCalls } from '../calls/calls-repository.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../store/crypto.ts';
import type { Db } from '../store/schema.ts';
import { callOutbox } from './call-outbox.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.ts';
import { createWebhookSources, type WebhookSources } from './webhook-sources.ts';
import { createWebhooksRepository } from './webhooks-repository.ts';
import { Webhooks } from './webhooks-service.ts';

/** Tuning for tests: a short tick and backoff, names of their own. */
export type WebhooksTuning = Pick<
  WebhookDispatcherOptions,
  'tickMs' | 'timeoutMs' | 'retry' | 'keepMs' | 'lookup'
>;

export interface WebhooksPart {
  webhooks: Webhooks;
  sources: WebhookSources;
  /** For the calls repository (`writeWith`): a call's deliveries are written in the call's own save. */
  callOutbox: WriteWithCalls;
  dispatcher: WebhookDispatcher;
  /** Waits for what was emitted to be in the outbox and for the attempts in flight. */
  close(): Promise<void>;
}

export async function startWebhooks(options: {
  db: Db;
  box: SecretBox;
  logger: Logger;
  phoneName(id: string): string | undefined;
  onOutcome?: WebhookDispatcherOptions['onOutcome'];
  tuning?: WebhooksTuning | undefined;
}): Promise<WebhooksPart> {
  const repository = createWebhooksRepository(options.db);
  const dispatcher = new WebhookDispatcher({
    repository,
    box: options.box,
    logger: options.logger,
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    // Asked at each pass, by when `webhooks` below exists (start() comes after load()).
    anyEnabled: () => webhooks.anyEnabled(),
    ...options.tuning,
  });
  const webhooks = new Webhooks({ repository, box: options.box, dispatcher, logger: options.logger });
  await webhooks.load();
  const sources = createWebhookSources(webhooks, { phoneName: options.phoneName });
  // Deliveries the previous run left pending go out now.
  dispatcher.start();
  return {
    webhooks,
    sources,
    callOutbox: callOutbox(webhooks, dispatcher),
    dispatcher,
    async close() {
      await webhooks.idle();
      await dispatcher.close();
    },
  };
}
