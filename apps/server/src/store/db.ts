/**
 * The SQLite store (better-sqlite3): one file in DATA_DIR, WAL mode so reads
 * never wait for the writer, and versioned migrations from migrations.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations.ts';

export type { Database };

export interface OpenStoreOptions {
  dataDir: string;
  /** Defaults to the project's migrations; tests may pass their own list. */
  migrations?: readonly Migration[];
  fileName?: string;
}

export function openDatabase(options: OpenStoreOptions): Database {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const db = new BetterSqlite3(path.join(options.dataDir, options.fileName ?? 'linedeck.db'));
  db.pragma('journal_mode = WAL');
  // SQLite's advice for WAL: commits stay atomic and the database consistent, but the WAL is not fsynced on
  // every commit (a power cut may lose the last moments). Commands write an audit row before answering;
  // an fsync each would add its latency to every click.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, options.migrations ?? defaultMigrations);
  return db;
}

/** Runs every migration newer than the database's `user_version`, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[]): number {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) {
      throw new Error(
        `Migration "${m.name}" has version ${m.version}; expected ${index + 1} (append, never reorder)`,
      );
    }
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database is at schema version ${current}, newer than this build knows (${migrations.length}). ` +
        'Run a newer LineDeck or restore a backup.',
    );
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return migrations.length;
}
