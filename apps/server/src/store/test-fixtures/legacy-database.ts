/**
 * A database as the store made it BEFORE the Kysely runner: the six steps of the old
 * store/migrations.ts, verbatim, each in a transaction with its `user_version` bump, as the old
 * `migrate()` ran them. Tests open such files with today's code to prove they upgrade without loss.
 * Frozen: this is what databases in the field hold; never change it to match a new migration.
 */
import BetterSqlite3 from 'better-sqlite3';

const OLD_STEPS: readonly string[] = [
  `
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
  `,
  `
    CREATE TABLE users (
      id                    TEXT PRIMARY KEY,
      username              TEXT NOT NULL UNIQUE COLLATE NOCASE,
      password_hash         TEXT NOT NULL,
      role                  TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
      phone_ids             TEXT NOT NULL DEFAULT '[]',
      disabled              INTEGER NOT NULL DEFAULT 0,
      must_change_password  INTEGER NOT NULL DEFAULT 0,
      created_at            TEXT NOT NULL,
      updated_at            TEXT NOT NULL
    );

    CREATE TABLE display_keys (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL,
      secret_hash   TEXT NOT NULL UNIQUE,
      phone_ids     TEXT NOT NULL DEFAULT '[]',
      created_at    TEXT NOT NULL,
      last_used_at  TEXT
    );

    CREATE TABLE sessions (
      id_hash         TEXT PRIMARY KEY,
      user_id         TEXT REFERENCES users(id) ON DELETE CASCADE,
      display_key_id  TEXT REFERENCES display_keys(id) ON DELETE CASCADE,
      -- epoch milliseconds: compared on every request
      created_at      INTEGER NOT NULL,
      last_seen_at    INTEGER NOT NULL,
      expires_at      INTEGER NOT NULL,
      CHECK ((user_id IS NULL) <> (display_key_id IS NULL))
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE INDEX sessions_display_key ON sessions(display_key_id);

    CREATE TABLE api_tokens (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
      secret_hash   TEXT NOT NULL UNIQUE,
      created_by    TEXT,
      created_at    TEXT NOT NULL,
      last_used_at  TEXT
    );
  `,
  `
    CREATE TABLE audit (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      at           TEXT NOT NULL,
      user_id      TEXT,
      username     TEXT,
      role         TEXT,
      address      TEXT,
      phone_id     TEXT,
      action       TEXT NOT NULL,
      params_json  TEXT NOT NULL DEFAULT '{}',
      result       TEXT NOT NULL
    );
    CREATE INDEX audit_phone ON audit(phone_id, id);
    CREATE INDEX audit_user ON audit(user_id, id);
    CREATE INDEX audit_at ON audit(at);
  `,
  `
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
  `,
  'ALTER TABLE phones ADD COLUMN allow_self_signed INTEGER NOT NULL DEFAULT 0',
  `
        ALTER TABLE phones ADD COLUMN auth_scheme TEXT NOT NULL DEFAULT 'passcode';
        ALTER TABLE phones ADD COLUMN username TEXT NOT NULL DEFAULT 'admin';
        ALTER TABLE phones ADD COLUMN hook_token_enc TEXT;
  `,
];

/** Creates `file` at the old schema version `version` (1..6), as the old code would have left it. */
export function makeLegacyDatabase(file: string, version: number): BetterSqlite3.Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  OLD_STEPS.slice(0, version).forEach((step, index) => {
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${index + 1}`);
    })();
  });
  return db;
}
