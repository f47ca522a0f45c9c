/**
 * `webhook_outbox.call_id`: the call a call.* delivery is about (null for every other event, and for a
 * redelivery, which is a copy asked for by hand). The unique key on (webhook, call, event) is the rule
 * "each milestone once per call and webhook": the journal writes a call's milestones in the call's own
 * transaction and the key drops those written before, whichever run wrote them. Nulls never collide
 * (SQLite and Postgres alike), so other events are not limited.
 */
import type { StoreMigration } from './types.ts';

export const webhookOutboxCallEvents: StoreMigration = {
  name: '018-webhook-outbox-call-events',
  async up(db) {
    await db.schema.alterTable('webhook_outbox').addColumn('call_id', 'text').execute();
    await db.schema
      .createIndex('webhook_outbox_call_event')
      .unique()
      .on('webhook_outbox')
      .columns(['webhook_id', 'call_id', 'event'])
      .execute();
  },
};
