/**
 * Tables of users, sessions, API tokens and display keys. Appended to the
 * store's migrations (store/migrations.ts) as one versioned step.
 *
 * Secrets are never stored: passwords as scrypt hashes, session ids, tokens
 * and display keys as SHA-256 of 32 random bytes (a fast hash is enough for a
 * random 256-bit value: there is nothing to brute-force). Sessions reference
 * their user or display key with ON DELETE CASCADE, so deleting either ends
 * its sessions in the same statement.
 */
import type { Database } from 'better-sqlite3';

export function createAuthTables(db: Database): void {
  db.exec(`
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
  `);
}
