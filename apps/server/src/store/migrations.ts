/**
 * Versioned schema migrations, applied in order at boot and recorded in
 * SQLite's `user_version`.
 *
 * TO ADD A MIGRATION: append an entry at the END with the next version number.
 * Never edit or reorder an entry that has shipped: databases in the field have
 * already run it. Each `up` runs inside a transaction with the version bump.
 */
import type { Database } from 'better-sqlite3';
import { createAuditTable } from '../audit/schema.ts';
import { createAuthTables } from '../auth/schema.ts';
import { createContactsTable } from '../contacts/schema.ts';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'phones',
    up: (db) => {
      db.exec(`
        CREATE TABLE phones (
          id            TEXT PRIMARY KEY,
          name          TEXT NOT NULL UNIQUE,
          host          TEXT NOT NULL,
          passcode_enc  TEXT NOT NULL,
          model         TEXT,
          firmware      TEXT,
          -- 1 for the demo fleet started when nothing is configured: dropped at the next boot.
          simulated     INTEGER NOT NULL DEFAULT 0,
          created_at    TEXT NOT NULL,
          updated_at    TEXT NOT NULL
        );
      `);
    },
  },
  { version: 2, name: 'users, sessions, api tokens, display keys', up: createAuthTables },
  { version: 3, name: 'audit log', up: createAuditTable },
  { version: 4, name: 'contacts', up: createContactsTable },
  {
    version: 5,
    name: 'phones: allow self-signed certificate',
    // Off for every existing phone: a certificate is only trusted without verification when an admin says so.
    up: (db) => db.exec('ALTER TABLE phones ADD COLUMN allow_self_signed INTEGER NOT NULL DEFAULT 0'),
  },
  {
    version: 6,
    name: 'phones: credential scheme, username, Action URL hook token',
    // Existing phones keep the guide's passcode scheme; their hook token is made when first needed.
    up: (db) =>
      db.exec(`
        ALTER TABLE phones ADD COLUMN auth_scheme TEXT NOT NULL DEFAULT 'passcode';
        ALTER TABLE phones ADD COLUMN username TEXT NOT NULL DEFAULT 'admin';
        ALTER TABLE phones ADD COLUMN hook_token_enc TEXT;
      `),
  },
];
