/**
 * Postgres for the server benchmarks: a throwaway cluster (the tests' own, from Debian's binaries, fsync
 * off) with one database for the server child, and a count of the statements the server sent it, from
 * pg_stat_statements (counted as each statement ends, unlike pg_stat_database, which backends report
 * up to 10 s late). Read from the maintenance database, so the counting itself is not counted.
 */
import pg from 'pg';
import {
  POSTGRES_MISSING,
  postgresBinDir,
  startPostgresCluster,
} from '../../apps/server/src/test-support/postgres-cluster.ts';

const DATABASE = 'linedeck_bench';

/** Calls per statement text (parameters are placeholders there). */
export type StatementCounts = Map<string, number>;

export interface BenchPostgres {
  /** DATABASE_URL for the server child. */
  databaseUrl: string;
  /** Every statement the server's database ran so far, with its number of calls. */
  statements(): Promise<StatementCounts>;
}

/** What ran between two counts: the total, and the statements, most frequent first (shortened). */
export function statementsBetween(
  before: StatementCounts,
  after: StatementCounts,
): { total: number; which: string } {
  const ran = [...after]
    .map(([text, calls]) => [text, calls - (before.get(text) ?? 0)] as const)
    .filter(([, calls]) => calls > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = ran.reduce((sum, [, calls]) => sum + calls, 0);
  const short = (text: string) => text.replace(/\s+/g, ' ').replace(/"/g, '').slice(0, 48);
  return { total, which: ran.map(([text, calls]) => `${calls} x ${short(text)}`).join('; ') || 'none' };
}

/** Runs `fn` with a fresh cluster and database; stops and deletes both afterwards. */
export async function withPostgres<T>(fn: (postgres: BenchPostgres) => Promise<T>): Promise<T> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const cluster = await startPostgresCluster(bin, {
    settings: ['shared_preload_libraries=pg_stat_statements'],
  });
  const admin = new pg.Client({ connectionString: cluster.url });
  try {
    await admin.connect();
    await admin.query('create extension pg_stat_statements');
    await admin.query(`create database ${DATABASE}`);
    return await fn({
      databaseUrl: cluster.url.replace(/\/postgres$/, `/${DATABASE}`),
      async statements() {
        const { rows } = await admin.query<{ query: string; calls: string }>(
          `select s.query, sum(s.calls) as calls from pg_stat_statements s
             join pg_database d on d.oid = s.dbid where d.datname = $1 group by s.query`,
          [DATABASE],
        );
        return new Map(rows.map((r) => [r.query, Number(r.calls)]));
      },
    });
  } finally {
    await admin.end().catch(() => {});
    await cluster.stop();
  }
}
