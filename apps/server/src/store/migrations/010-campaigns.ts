/**
 * Campaigns (campaigns/campaigns-repository.ts): the campaign with its rules, its entries (one row per
 * number to call, with where it is in the work and its last attempt), and the do-not-call list (each
 * number as given plus the two keys numbers are matched on: E.164 and digits).
 *
 * `campaign_entries_claim` serves the claim every dial starts with (campaign, state, position): the
 * dialer takes the first pending entry of a campaign in one UPDATE.
 */
import type { StoreMigration } from './types.ts';

export const campaigns: StoreMigration = {
  name: '010-campaigns',
  async up(db) {
    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('phone_ids', 'text', (c) => c.notNull())
      .addColumn('wrap_up_seconds', 'real', (c) => c.notNull())
      .addColumn('ring_timeout_seconds', 'real', (c) => c.notNull())
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('retry_after_minutes', 'real', (c) => c.notNull())
      .addColumn('calling_hours', 'text')
      .addColumn('paused_by', 'text')
      .addColumn('created_by_id', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createTable('campaign_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('e164', 'text')
      .addColumn('digits', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('note', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('callback_at', 'text')
      .addColumn('phone_id', 'text')
      .addColumn('outcome', 'text')
      .addColumn('talk_seconds', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('call_id', 'text')
      .addColumn('dialled_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('campaign_entries_claim')
      .on('campaign_entries')
      .columns(['campaign_id', 'state', 'position'])
      .execute();
    await db.schema
      .createTable('do_not_call')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('e164', 'text')
      .addColumn('digits', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('do_not_call_e164').on('do_not_call').column('e164').execute();
    await db.schema.createIndex('do_not_call_digits').on('do_not_call').column('digits').execute();
  },
};
