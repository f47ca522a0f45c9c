/**
 * Webhooks (webhooks/webhooks-repository.ts): each webhook with its signing secret sealed by the store's
 * secret box, and the outbox: one row per delivery (the event's JSON body as it is sent, its attempts,
 * when the next is due, its state). The outbox is also the delivery log; the dispatcher prunes finished
 * rows after a while.
 *
 * `webhook_outbox_due` serves the dispatcher's read of due rows; `webhook_outbox_log` a webhook's log.
 */
import type { StoreMigration } from './types.ts';

export const webhooks: StoreMigration = {
  name: '013-webhooks',
  async up(db) {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('redelivery_of', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('webhook_outbox_due')
      .on('webhook_outbox')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_outbox_log')
      .on('webhook_outbox')
      .columns(['webhook_id', 'created_at'])
      .execute();
  },
};
