/**
 * Which database a test runs on: SQLite (the default project) or Postgres (the `postgres` project of
 * vitest.config.ts sets LINEDECK_TEST_DATABASE=postgres and starts a cluster). On Postgres each caller
 * gets a database of its own, dropped by `release()`; on SQLite the file lives in the test's DATA_DIR.
 */

import pg from 'pg';
import { inject } from 'vitest';
import type { DialectName } from '../store/database.ts';
import { POSTGRES_MISSING } from './postgres-cluster.ts';

export const TEST_DIALECT: DialectName =
  process.env.LINEDECK_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  dialect: DialectName;
  /** For the server's config: a `postgres://` URL, or undefined for SQLite. */
  databaseUrl: string | undefined;
  release(): Promise<void>;
}

let counter = 0;

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = inject('postgresUrl');
  if (!url) throw new Error(POSTGRES_MISSING);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function testDatabase(): Promise<TestDatabase> {
  if (TEST_DIALECT === 'sqlite')
    return { dialect: 'sqlite', databaseUrl: undefined, release: async () => {} };
  counter++;
  const name = `linedeck_test_${process.pid}_${counter}_${Date.now().toString(36)}`;
  const admin = inject('postgresUrl') as string;
  await withAdmin((c) => c.query(`create database ${name}`));
  return {
    dialect: 'postgres',
    databaseUrl: admin.replace(/\/postgres$/, `/${name}`),
    // FORCE: a connection the test left open does not keep the database alive.
    release: () =>
      withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
