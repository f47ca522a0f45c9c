import type { Kysely } from 'kysely';
import type { DialectName } from '../database.ts';

/**
 * One step of the schema. `up` is written with Kysely's schema builder so the same step runs on SQLite
 * and Postgres; where the two differ (an auto-incremented key) it asks `dialect`. Migrations see the
 * database untyped (`Kysely<any>`): they describe the tables as they were at that step, not as now.
 */
export interface StoreMigration {
  /** `NNN-what`: the order is the number (Kysely's Migrator sorts by name). */
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its own time, not schema.ts
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}
