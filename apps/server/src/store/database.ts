/**
 * The one place a database is opened: SQLite (better-sqlite3, a file in DATA_DIR, WAL) by default,
 * Postgres (pg) when DATABASE_URL says `postgres://...`. Both behind one Kysely instance, migrated to
 * the latest schema before anything reads it (migrate.ts). Decision record 003 says why Kysely.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import type { Db, Schema } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  /** `postgres://` or `postgresql://`: Postgres; unset: SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  fileName?: string;
  /** Migrate to the latest schema (default true; tests of the migrations open without). */
  migrate?: boolean;
}

const INT8_OID = 20;

/**
 * Postgres answers `bigint` (COUNT(*), the session times) as text, since it can exceed 2^53. Ours are
 * epoch milliseconds and counts: numbers, exactly.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Store> {
  const store = isPostgresUrl(options.databaseUrl)
    ? openPostgres(options.databaseUrl)
    : openSqlite(options.dataDir, options.fileName ?? 'linedeck.db');
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db, store.dialect);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

/**
 * The database holds password hashes, phone passcodes and call history: only its owner may read it.
 * SQLite creates `-wal` and `-shm` with the mode of the database file, so the file is made 0600 before
 * SQLite opens it, and files left by an older version are narrowed too.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
}

function openSqlite(dataDir: string, fileName: string): Store {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, fileName);
  ownerOnly(file);
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  // SQLite's advice for WAL: commits stay atomic and the database consistent, but the WAL is not fsynced on
  // every commit (a power cut may lose the last moments). Commands write an audit row before answering;
  // an fsync each would add its latency to every click.
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(handle) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query it runs; preparing costs more than running a small one.
 * The queries come from a fixed set of builders (values are parameters), so each SQL text is prepared
 * once and its statement reused. Bounded, in case a builder ever makes unbounded SQL (IN lists).
 */
function withStatementCache(handle: BetterSqlite3.Database) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare(sql: string): BetterSqlite3.Statement {
      let statement = cache.get(sql);
      if (!statement) {
        statement = handle.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

function openPostgres(connectionString: string): Store {
  const pool = new pg.Pool({ connectionString, max: 10, types: pgTypes });
  // An idle client losing its connection (server restart) must not crash the process: the pool drops it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** A unique constraint refused the write (a taken username or name), on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
