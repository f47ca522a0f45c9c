/**
 * Webhooks: LineDeck POSTs signed JSON to a URL when calls, phones and campaigns change
 * (apps/server/src/webhooks/). Documented for people in docs/integrations.md ("Webhooks").
 */
import { z } from 'zod';
import { WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT } from './vocabulary.ts';

export { WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT } from './vocabulary.ts';

export const webhookEventSchema = z.enum(WEBHOOK_EVENTS);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookDeliveryEventSchema = z.enum([...WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT]);
export type WebhookDeliveryEvent = z.infer<typeof webhookDeliveryEventSchema>;

/** http(s) only, and no user:password in it: a credential there would be shown back in every list. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'An http:// or https:// URL.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    } catch {
      return true;
    }
  }, 'No user name or password in the URL (the signature proves the sender).');

const eventsSchema = z
  .array(webhookEventSchema)
  .min(1, 'Choose at least one event.')
  .max(WEBHOOK_EVENTS.length)
  .refine((events) => new Set(events).size === events.length, 'Name each event once.');

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export const webhookDeliveryStateSchema = z.enum(WEBHOOK_DELIVERY_STATES);
export type WebhookDeliveryState = z.infer<typeof webhookDeliveryStateSchema>;

/** One POST of one event to one webhook, with its attempts so far. */
export const webhookDeliverySchema = z.object({
  /** Also sent as `X-LineDeck-Delivery`: a receiver de-duplicates on it (delivery is at least once). */
  id: z.string(),
  webhookId: z.string(),
  event: webhookDeliveryEventSchema,
  state: webhookDeliveryStateSchema,
  /** Attempts made so far (0 before the first). */
  attempt: z.number().int().nonnegative(),
  /** The last attempt's HTTP status, null when none answered (refused, timed out) or none was made. */
  statusCode: z.number().int().nullable(),
  /** Why the last attempt failed, null when it did not. */
  error: z.string().nullable(),
  /** When the next attempt is due (ISO), null once delivered or failed. */
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  /** The delivery this one sends again ("Redeliver"), null for an original. */
  redeliveryOf: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(webhookEventSchema),
  enabled: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** The newest delivery, null before the first. */
  lastDelivery: webhookDeliverySchema
    .pick({ id: true, event: true, state: true, statusCode: true, error: true, createdAt: true })
    .nullable(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) });
export type WebhookList = z.infer<typeof webhookListSchema>;

export const createWebhookBodySchema = z.strictObject({
  url: webhookUrlSchema,
  events: eventsSchema,
  enabled: z.boolean().optional(),
});
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z
  .strictObject({
    url: webhookUrlSchema.optional(),
    events: eventsSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Change at least one of url, events, enabled.');
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

/** The create (and rotate-secret) answer: the signing secret, shown this once and never again. */
export const webhookWithSecretSchema = z.object({ webhook: webhookSchema, secret: z.string() });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const WEBHOOK_DELIVERIES_PAGE_MAX = 200;
export const webhookDeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(WEBHOOK_DELIVERIES_PAGE_MAX).optional(),
});
export const webhookDeliveryListSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });
export type WebhookDeliveryList = z.infer<typeof webhookDeliveryListSchema>;

/** The JSON body of every POST (`data` depends on the event; see docs/integrations.md). */
export const webhookPayloadSchema = z.object({
  event: webhookDeliveryEventSchema,
  /** When it happened (ISO, the server's clock). */
  occurredAt: z.string(),
  webhookId: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
