/**
 * Runs the schema steps of ./migrations/ with Kysely's Migrator: each step once, in order, all pending
 * steps in one transaction (both databases have transactional DDL), under the Migrator's lock so two
 * servers starting at once on one Postgres do not both migrate.
 *
 * Databases made before this runner: their SQLite `user_version` (1..6) says how many steps they ran,
 * so on the first start the Migrator records those steps as done without running them, then runs the
 * rest. After migrating, `user_version` holds the number of steps, so an older LineDeck, which refuses
 * a `user_version` above its own list, refuses this database instead of damaging it.
 */
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { DialectName } from './database.ts';
import { migrations as defaultMigrations, LEGACY_STEPS, type StoreMigration } from './migrations/index.ts';

export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
}

const NEWER =
  'The database was migrated by a newer LineDeck than this one. Run a newer LineDeck or restore a backup.';

// biome-ignore lint/suspicious/noExplicitAny: the Migrator works below the typed schema
type AnyDb = Kysely<any>;

/** How many steps the old runner applied (SQLite `user_version`), or 0 once this runner has taken over. */
async function legacySteps(db: AnyDb): Promise<number> {
  const runner = await sql<{ name: string }>`select name from sqlite_master
    where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (runner.rows.length > 0) return 0;
  const version = await sql<{ user_version: number }>`pragma user_version`.execute(db);
  return Number(version.rows[0]?.user_version ?? 0);
}

/** Migrates to the latest step; returns the names of the steps it ran (or marked as done). */
export async function migrateToLatest(
  db: AnyDb,
  dialect: DialectName,
  steps: readonly StoreMigration[] = defaultMigrations,
): Promise<string[]> {
  const legacy = dialect === 'sqlite' ? await legacySteps(db) : 0;
  if (legacy > LEGACY_STEPS) throw new NewerSchemaError(NEWER);
  const provider = {
    async getMigrations(): Promise<Record<string, Migration>> {
      const byName: Record<string, Migration> = {};
      steps.forEach((step, index) => {
        // Already applied by the old runner (it counted steps in user_version): recorded, not run again.
        byName[step.name] = index < legacy ? { up: async () => {} } : { up: (d) => step.up(d, dialect) };
      });
      return byName;
    },
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    if (error instanceof Error && /previously executed migration .* is missing/.test(error.message)) {
      throw new NewerSchemaError(NEWER);
    }
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const step = failed ? `migration ${failed}` : 'migration';
    throw new Error(`Database ${step} failed: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
  if (dialect === 'sqlite') await sql.raw(`pragma user_version = ${steps.length}`).execute(db);
  return (results ?? []).map((r) => r.migrationName);
}
