/**
 * Runs in the `postgres` project only when Postgres is not installed (vitest.config.ts): the report then
 * shows, as a skipped test, that the server's suite did NOT run on Postgres, instead of passing quietly.
 */
import { it } from 'vitest';
import { POSTGRES_MISSING } from './postgres-cluster.ts';

it.skip(POSTGRES_MISSING, () => {});
