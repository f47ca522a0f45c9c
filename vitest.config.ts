import { defineConfig } from 'vitest/config';
import { POSTGRES_MISSING, postgresBinDir } from './apps/server/src/test-support/postgres-cluster.ts';

const ALL_TESTS = ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'];
const POSTGRES_MISSING_TEST = 'apps/server/src/test-support/postgres-missing.test.ts';
const hasPostgres = postgresBinDir() !== undefined;
if (!hasPostgres) process.stderr.write(`\n!!! ${POSTGRES_MISSING} !!!\n\n`);

// Vitest gets its own config: vite.config.ts has root apps/web and would hide the other workspaces' tests.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 15_000,
    projects: [
      // Every test, the server's on the embedded default database (SQLite).
      { extends: true, test: { name: 'sqlite', include: ALL_TESTS, exclude: [POSTGRES_MISSING_TEST] } },
      // The server's tests again on Postgres: a throwaway cluster for the run (test-support/), after the
      // SQLite run and one file at a time, so the cluster and the servers under test share 2 cores calmly.
      {
        extends: true,
        test: {
          name: 'postgres',
          include: hasPostgres ? ['apps/server/src/**/*.test.ts'] : [POSTGRES_MISSING_TEST],
          exclude: [POSTGRES_MISSING_TEST].filter(() => hasPostgres),
          env: { LINEDECK_TEST_DATABASE: 'postgres' },
          globalSetup: ['apps/server/src/test-support/postgres-global-setup.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
    ],
  },
});
