/**
 * Contacts get an explicit insertion order. The caller lookup breaks ties by "added first", which
 * SQLite answered with its hidden rowid; Postgres has none, so both now keep `seq`.
 */
import { sql } from 'kysely';
import type { StoreMigration } from './types.ts';

export const contactsSeq: StoreMigration = {
  name: '007-contacts-seq',
  async up(db, dialect) {
    await db.schema
      .alterTable('contacts')
      .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // Existing rows keep the order they were added in.
    if (dialect === 'sqlite') {
      await sql`update contacts set seq = rowid`.execute(db);
    } else {
      await sql`update contacts set seq = ordered.n
        from (select id, row_number() over (order by created_at, id) as n from contacts) as ordered
        where contacts.id = ordered.id`.execute(db);
    }
  },
};
