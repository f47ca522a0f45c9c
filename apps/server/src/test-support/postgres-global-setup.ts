/**
 * Vitest global setup of the `postgres` project: one cluster for the whole run, handed to the tests as
 * `inject('postgresUrl')`, stopped and deleted at the end. Without the binaries it says so loudly and
 * provides null: the tests of that project then skip with the same words (test-database.ts).
 */
import type { TestProject } from 'vitest/node';
import { POSTGRES_MISSING, postgresBinDir, startPostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bin = postgresBinDir();
  if (!bin) {
    const bar = '!'.repeat(POSTGRES_MISSING.length + 8);
    process.stderr.write(`\n${bar}\n!!! ${POSTGRES_MISSING} !!!\n${bar}\n\n`);
    project.provide('postgresUrl', null);
    return async () => {};
  }
  const cluster = await startPostgresCluster(bin);
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
