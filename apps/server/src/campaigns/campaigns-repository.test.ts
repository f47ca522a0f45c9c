/**
 * The claim that keeps an entry from being dialled twice at once, on the project's database (SQLite and
 * Postgres): many claims at the same time, as from many phones (or two servers), never get one entry twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Store } from '../store/database.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { runningCampaign } from './campaign-record.ts';
import { createCampaignsRepository } from './campaigns-repository.ts';

let store: Store;
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-campaigns-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
});

afterAll(async () => {
  await store?.close();
  await database?.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('concurrent claims take each entry once, in order, and only entries that are due', async () => {
  const repo = createCampaignsRepository(store.db);
  await repo.insertCampaign(runningCampaign('c1', { phoneIds: ['p1', 'p2'] }));
  const numbers = Array.from({ length: 12 }, (_, i) => `20${String(i).padStart(2, '0')}`);
  await repo.addEntries(
    'c1',
    numbers.map((n) => ({ number: n, e164: null, digits: n, name: null, note: null })),
  );
  const now = new Date();
  const claims = await Promise.all(
    Array.from({ length: 30 }, (_, i) => repo.claimNext('c1', `p${i % 3}`, 'dialling', now)),
  );
  const won = claims.filter((c) => c !== null);
  expect(won.map((c) => c.number).sort()).toEqual(numbers);
  expect(new Set(won.map((c) => c.id)).size).toBe(numbers.length);
  expect(won.every((c) => c.state === 'dialling' && c.attempts === 1)).toBe(true);
  expect(await repo.claimNext('c1', 'p1', 'dialling', now)).toBeNull();

  // A retry waits for its time; a restart puts dialling entries back and pauses running campaigns.
  const first = won[0];
  if (!first) throw new Error('no claim');
  const later = new Date(now.getTime() + 60_000).toISOString();
  await repo.setEntry(first.id, { state: 'pending', nextAttemptAt: later, outcome: 'no_answer' });
  expect(await repo.claimNext('c1', 'p1', 'dialling', now)).toBeNull();
  expect((await repo.claimNext('c1', 'p1', 'offered', new Date(now.getTime() + 61_000)))?.id).toBe(first.id);
  expect(await repo.pauseAfterRestart()).toEqual(['c1']);
  expect((await repo.getCampaign('c1'))?.pausedBy).toBe('restart');
  const counts = await repo.counts('c1');
  expect(counts).toMatchObject({ total: 12, remaining: 12, dialling: 0, done: 0 });
  expect(counts.outcomes.no_answer).toBe(1);
});
