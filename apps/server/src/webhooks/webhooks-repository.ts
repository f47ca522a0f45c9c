/**
 * Webhooks and their outbox (store/migrations/013): SQL only, the same on SQLite and Postgres. Times are
 * ISO text in UTC, so text order is time order. The sealed secret is read only by `sealedSecret`: every
 * other read leaves it out, so nothing that lists webhooks can carry it.
 */
import {
  WEBHOOK_DELIVERY_STATES,
  type Webhook,
  type WebhookDelivery,
  webhookDeliveryEventSchema,
  webhookEventSchema,
} from '@linedeck/contract';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../store/schema.ts';

export interface WebhookRecord {
  id: string;
  url: string;
  events: Webhook['events'];
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
}

/** A delivery to write: the body is final (it is what is signed and sent). */
export interface NewDelivery {
  id: string;
  webhookId: string;
  event: WebhookDelivery['event'];
  payload: string;
  createdAt: string;
  redeliveryOf?: string | null;
  /** The call a call.* event is about: at most one delivery per (webhook, call, event). */
  callId?: string | null;
}

export interface DueDelivery {
  id: string;
  webhookId: string;
  event: WebhookDelivery['event'];
  payload: string;
  attempts: number;
  createdAt: string;
}

export interface AttemptResult {
  attempts: number;
  statusCode: number | null;
  error: string | null;
  at: string;
}

const webhookRow = z.object({
  id: z.string(),
  url: z.string(),
  events: z.string().transform((s) => z.array(webhookEventSchema).parse(JSON.parse(s))),
  enabled: z.coerce.number().transform((n) => n === 1),
  created_by: z.string().nullable(),
  created_at: z.string(),
});

const deliveryRow = z.object({
  id: z.string(),
  webhook_id: z.string(),
  event: webhookDeliveryEventSchema,
  state: z.enum(WEBHOOK_DELIVERY_STATES),
  attempts: z.coerce.number().int(),
  next_attempt_at: z.string().nullable(),
  status_code: z.coerce.number().int().nullable(),
  error: z.string().nullable(),
  redelivery_of: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
});

const DELIVERY_COLUMNS = [
  'id',
  'webhook_id',
  'event',
  'state',
  'attempts',
  'next_attempt_at',
  'status_code',
  'error',
  'redelivery_of',
  'created_at',
  'delivered_at',
] as const;

function toRecord(row: unknown): WebhookRecord {
  const r = webhookRow.parse(row);
  return {
    id: r.id,
    url: r.url,
    events: r.events,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function toDelivery(row: unknown): WebhookDelivery {
  const r = deliveryRow.parse(row);
  return {
    id: r.id,
    webhookId: r.webhook_id,
    event: r.event,
    state: r.state,
    attempt: r.attempts,
    statusCode: r.status_code,
    error: r.error,
    nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
    redeliveryOf: r.redelivery_of,
  };
}

export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;

export function createWebhooksRepository(db: Db) {
  const webhookColumns = ['id', 'url', 'events', 'enabled', 'created_by', 'created_at'] as const;
  return {
    async list(): Promise<WebhookRecord[]> {
      const rows = await db.selectFrom('webhooks').select(webhookColumns).orderBy('created_at').execute();
      return rows.map(toRecord);
    },

    async get(id: string): Promise<WebhookRecord | null> {
      const row = await db
        .selectFrom('webhooks')
        .select(webhookColumns)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async insert(webhook: WebhookRecord, sealedSecret: string): Promise<void> {
      await db
        .insertInto('webhooks')
        .values({
          id: webhook.id,
          url: webhook.url,
          events: JSON.stringify(webhook.events),
          enabled: webhook.enabled ? 1 : 0,
          secret_sealed: sealedSecret,
          created_by: webhook.createdBy,
          created_at: webhook.createdAt,
          updated_at: webhook.createdAt,
        })
        .execute();
    },

    async update(
      id: string,
      change: Partial<Pick<WebhookRecord, 'url' | 'events' | 'enabled'>>,
      at: string,
    ): Promise<void> {
      await db
        .updateTable('webhooks')
        .set({
          ...(change.url !== undefined ? { url: change.url } : {}),
          ...(change.events !== undefined ? { events: JSON.stringify(change.events) } : {}),
          ...(change.enabled !== undefined ? { enabled: change.enabled ? 1 : 0 } : {}),
          updated_at: at,
        })
        .where('id', '=', id)
        .execute();
    },

    async setSecret(id: string, sealedSecret: string, at: string): Promise<void> {
      await db
        .updateTable('webhooks')
        .set({ secret_sealed: sealedSecret, updated_at: at })
        .where('id', '=', id)
        .execute();
    },

    async sealedSecret(id: string): Promise<string | null> {
      const row = await db
        .selectFrom('webhooks')
        .select('secret_sealed')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.secret_sealed ?? null;
    },

    async remove(id: string): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        // Explicitly: SQLite enforces the cascade only with foreign keys on.
        await tx.deleteFrom('webhook_outbox').where('webhook_id', '=', id).execute();
        const result = await tx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    async enqueue(deliveries: readonly NewDelivery[]): Promise<void> {
      await enqueueDeliveries(db, deliveries);
    },

    /**
     * Pending deliveries due by `at`, of enabled webhooks only (a disabled one's wait), oldest first. A
     * call's milestones saved together share their time: their order is the call's (ringing, answered,
     * missed, ended), not the database's whim.
     */
    async due(at: string, limit: number): Promise<DueDelivery[]> {
      const rows = await db
        .selectFrom('webhook_outbox as o')
        .innerJoin('webhooks as w', 'w.id', 'o.webhook_id')
        .select(['o.id', 'o.webhook_id', 'o.event', 'o.payload', 'o.attempts', 'o.created_at'])
        .where('o.state', '=', 'pending')
        .where('o.next_attempt_at', '<=', at)
        .where('w.enabled', '=', 1)
        .orderBy('o.next_attempt_at')
        .orderBy('o.created_at')
        .orderBy(MILESTONE_ORDER)
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        event: webhookDeliveryEventSchema.parse(r.event),
        payload: r.payload,
        attempts: Number(r.attempts),
        createdAt: r.created_at,
      }));
    },

    async delivered(id: string, result: AttemptResult): Promise<void> {
      await db
        .updateTable('webhook_outbox')
        .set({
          state: 'delivered',
          attempts: result.attempts,
          status_code: result.statusCode,
          error: null,
          next_attempt_at: null,
          delivered_at: result.at,
          finished_at: result.at,
        })
        .where('id', '=', id)
        .execute();
    },

    /** A failed attempt: due again at `nextAttemptAt`, or given up (failed) when that is null. */
    async attemptFailed(id: string, result: AttemptResult, nextAttemptAt: string | null): Promise<void> {
      await db
        .updateTable('webhook_outbox')
        .set({
          state: nextAttemptAt ? 'pending' : 'failed',
          attempts: result.attempts,
          status_code: result.statusCode,
          error: result.error,
          next_attempt_at: nextAttemptAt,
          finished_at: nextAttemptAt ? null : result.at,
        })
        .where('id', '=', id)
        .execute();
    },

    async deliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
      const rows = await db
        .selectFrom('webhook_outbox')
        .select(DELIVERY_COLUMNS)
        .where('webhook_id', '=', webhookId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },

    async delivery(webhookId: string, id: string): Promise<(WebhookDelivery & { payload: string }) | null> {
      const row = await db
        .selectFrom('webhook_outbox')
        .select([...DELIVERY_COLUMNS, 'payload'])
        .where('webhook_id', '=', webhookId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { ...toDelivery(row), payload: row.payload } : null;
    },

    /** Delivered and failed rows finished before `before` go; pending ones always stay. */
    async prune(before: string): Promise<number> {
      const result = await db
        .deleteFrom('webhook_outbox')
        .where('state', '!=', 'pending')
        .where('finished_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Rows per INSERT: well under SQLite's 32,766 and Postgres' 65,535 parameters (14 columns a row). */
const ENQUEUE_CHUNK = 500;

/**
 * Writes deliveries as pending, due now, on `db` (the store or a transaction: the journal writes a call's
 * deliveries in the call's transaction). A call delivery already written for its webhook, call and
 * event is skipped (store/migrations/018). Answers how many rows were written.
 */
/** A call's milestones in the order they happen; any other event after them (it never ties with one). */
const MILESTONE_ORDER = sql<number>`case o.event when 'call.ringing' then 0 when 'call.answered' then 1 when 'call.missed' then 2 when 'call.ended' then 3 else 4 end`;

export async function enqueueDeliveries(db: Db, deliveries: readonly NewDelivery[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < deliveries.length; i += ENQUEUE_CHUNK) {
    const result = await db
      .insertInto('webhook_outbox')
      .values(
        deliveries.slice(i, i + ENQUEUE_CHUNK).map((d) => ({
          id: d.id,
          webhook_id: d.webhookId,
          event: d.event,
          payload: d.payload,
          state: 'pending',
          attempts: 0,
          next_attempt_at: d.createdAt,
          status_code: null,
          error: null,
          redelivery_of: d.redeliveryOf ?? null,
          created_at: d.createdAt,
          delivered_at: null,
          finished_at: null,
          call_id: d.callId ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['webhook_id', 'call_id', 'event']).doNothing())
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}
