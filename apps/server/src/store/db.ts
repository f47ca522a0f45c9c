/**
 * The SQLite handle type that the synchronous phones repository (phones-repo.ts) still takes. The
 * database itself is opened in database.ts, for both SQLite and Postgres.
 */
export type { Database } from 'better-sqlite3';
