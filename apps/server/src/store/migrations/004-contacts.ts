import { sql } from 'kysely';
import type { StoreMigration } from './types.ts';

export const contacts: StoreMigration = {
  name: '004-contacts',
  async up(db) {
    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('company', 'text')
      // As dialled: digits, an optional leading +, * and # (the dialling rule).
      .addColumn('number', 'text', (c) => c.notNull())
      // numberKey(number): digits with a leading + kept, for lookups (contacts/caller-index.ts).
      .addColumn('number_key', 'text', (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contacts_number_key').on('contacts').column('number_key').execute();
    await db.schema.createIndex('contacts_name_lower').on('contacts').expression(sql`lower(name)`).execute();
  },
};
