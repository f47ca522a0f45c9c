/** The audit table, appended to the store's migrations (store/migrations.ts). Rows are never updated. */
import type { Database } from 'better-sqlite3';

export function createAuditTable(db: Database): void {
  db.exec(`
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
  `);
}
