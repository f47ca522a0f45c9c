/** The contacts table, appended to the store's migrations (store/migrations.ts). */
import type { Database } from 'better-sqlite3';

export function createContactsTable(db: Database): void {
  db.exec(`
    CREATE TABLE contacts (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      company     TEXT,
      -- As dialled: digits, an optional leading +, * and # (the dialling rule).
      number      TEXT NOT NULL,
      -- numberKey(number): digits with a leading + kept, for lookups (contacts/caller-index.ts).
      number_key  TEXT NOT NULL,
      notes       TEXT,
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
    CREATE INDEX contacts_number_key ON contacts(number_key);
    CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);
  `);
}
