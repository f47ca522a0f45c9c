/**
 * The call journal (calls/calls-repository.ts): one row per call, every field of the contract's Call as
 * a column, plus what the repository derives on every write (`remote_digits`, `search_text`) and
 * `last_seen_at` (closing a call after a restart). `calls_seen` keeps each user's "seen up to" mark.
 *
 * The indexes follow the queries of a journal of a million rows: every list is newest first (started_at,
 * id), so each filter's index ends in those two columns and a page is read in order without a sort;
 * ended_at serves the daily prune and the open calls (ended_at null) at start.
 */
import type { StoreMigration } from './types.ts';

export const calls: StoreMigration = {
  name: '009-calls',
  async up(db) {
    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_id', 'text', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('account', 'integer')
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('remote_number', 'text', (c) => c.notNull())
      .addColumn('remote_e164', 'text')
      .addColumn('remote_digits', 'text', (c) => c.notNull())
      .addColumn('remote_name', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('contact_company', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('ring_seconds', 'integer', (c) => c.notNull())
      .addColumn('talk_seconds', 'integer', (c) => c.notNull())
      .addColumn('hold_seconds', 'integer', (c) => c.notNull())
      .addColumn('transfer_target', 'text')
      .addColumn('dialled_by', 'text')
      .addColumn('answered_by', 'text')
      .addColumn('ended_by', 'text')
      .addColumn('interrupted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .execute();
    const indexes: [string, string[]][] = [
      ['calls_started', ['started_at', 'id']],
      ['calls_phone_started', ['phone_id', 'started_at', 'id']],
      ['calls_e164_started', ['remote_e164', 'started_at', 'id']],
      ['calls_digits_started', ['remote_digits', 'started_at', 'id']],
      ['calls_direction_started', ['direction', 'started_at', 'id']],
      // Missed count and "missed" lists: outcome and direction are both equalities there.
      ['calls_outcome_started', ['outcome', 'direction', 'started_at', 'id']],
      ['calls_ended', ['ended_at']],
    ];
    for (const [name, columns] of indexes) {
      await db.schema.createIndex(name).on('calls').columns(columns).execute();
    }
    await db.schema
      .createTable('calls_seen')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('seen_before', 'text', (c) => c.notNull())
      .execute();
  },
};
