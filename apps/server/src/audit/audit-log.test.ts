/**
 * The audit log writes behind the answer: over the project's real database (SQLite or Postgres), a read
 * waits for the rows recorded before it, a refused write is retried without losing or doubling a row,
 * shutdown writes what is queued, and a burst goes in as few multi-row statements, in order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../access/access.ts';
import { createLogger } from '../logger.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { AuditLog } from './audit-log.ts';
import { type AuditRepository, type AuditRow, createAuditRepository } from './audit-repository.ts';

let database: TestDatabase;
let store: Store;
let real: AuditRepository;

beforeAll(async () => {
  database = await testDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-audit-log-'));
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
  real = createAuditRepository(store.db);
});
afterAll(async () => {
  await store?.close();
  await database?.release();
});

const OPERATOR: Principal = { userId: 'u-op', username: 'op', role: 'operator', phoneIds: [] };

function logged(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'error', destination }), lines: () => chunks.join('').split('\n') };
}

/** The real repository, with each statement's batch counted and `refuse(n)` failing the next n writes. */
function watched(delayMs = 0) {
  const batches: number[] = [];
  let refusals = 0;
  const repository: AuditRepository = {
    ...real,
    async insertMany(rows: readonly AuditRow[]) {
      batches.push(rows.length);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      if (refusals > 0) {
        refusals--;
        throw new Error('database refused the write');
      }
      await real.insertMany(rows);
    },
  };
  return { repository, batches, refuse: (n: number) => (refusals = n) };
}

async function actionsOf(phoneId: string): Promise<string[]> {
  const page = await real.page({ phoneId, limit: 500 });
  return page.entries.map((e) => e.action).reverse();
}

describe('the audit log writes behind the answer', () => {
  it('a row keeps the time it was recorded at, though it is made and written later', async () => {
    let now = Date.parse('2026-03-01T09:00:00.000Z');
    const { repository } = watched(30);
    const log = new AuditLog(repository, { logger: logged().logger, now: () => now });
    log.record({
      action: 'keys:send',
      phoneId: 'p-at',
      params: { keys: ['1'] },
      result: 'ok',
      principal: OPERATOR,
    });
    now += 60_000;
    await log.settled();
    const page = await real.page({ phoneId: 'p-at', limit: 5 });
    expect(page.entries.map((e) => e.at)).toEqual(['2026-03-01T09:00:00.000Z']);
  });

  it('a read waits for the rows recorded before it, even on a slow database', async () => {
    const { repository } = watched(150);
    const log = new AuditLog(repository, { logger: logged().logger });
    log.record({
      action: 'keys:send',
      phoneId: 'slow',
      params: { keys: ['1'] },
      result: 'ok',
      principal: OPERATOR,
    });
    const page = await log.page({ phoneId: 'slow', limit: 10 });
    expect(page.entries).toMatchObject([
      { action: 'keys:send', username: 'op', role: 'operator', result: 'ok' },
    ]);
    await log.close();
  });

  it('keeps a row the database refused once, writes it on the retry, once', async () => {
    const { repository, refuse } = watched();
    const { logger, lines } = logged();
    const log = new AuditLog(repository, { logger, retryMs: 20 });
    refuse(1);
    log.record({ action: 'calls:make', phoneId: 'refused', params: { number: '1' }, result: 'ok' });
    await log.settled();
    expect(await actionsOf('refused')).toEqual([]);
    expect(lines().join('\n')).toContain('audit rows not written: trying again');
    await new Promise((r) => setTimeout(r, 100));
    expect(await actionsOf('refused')).toEqual(['calls:make']);
    await log.close();
    expect(await actionsOf('refused')).toEqual(['calls:make']);
  });

  it('a read after a refusal tries again at once instead of waiting for the retry', async () => {
    const { repository, refuse } = watched();
    const log = new AuditLog(repository, { logger: logged().logger, retryMs: 60_000 });
    refuse(1);
    log.record({ action: 'phones:dnd', phoneId: 'reader', params: {}, result: 'ok' });
    await log.settled();
    expect((await log.page({ phoneId: 'reader', limit: 10 })).entries).toMatchObject([
      { action: 'phones:dnd' },
    ]);
    await log.close();
  });

  it('shutdown writes what is queued', async () => {
    const { repository, refuse } = watched();
    const log = new AuditLog(repository, { logger: logged().logger, retryMs: 60_000 });
    refuse(1);
    log.record({ action: 'phones:update', phoneId: 'closing', params: {}, result: 'ok' });
    log.record({ action: 'phones:delete', phoneId: 'closing', params: {}, result: 'ok' });
    await log.close();
    expect(await actionsOf('closing')).toEqual(['phones:update', 'phones:delete']);
  });

  it('a burst goes in as few statements, in the order it was recorded', async () => {
    const { repository, batches } = watched();
    const log = new AuditLog(repository, { logger: logged().logger });
    const keys = Array.from({ length: 250 }, (_, i) => String(i));
    for (const key of keys) log.record({ action: `k${key}`, phoneId: 'burst', params: {}, result: 'ok' });
    await log.settled();
    expect(batches).toEqual([100, 100, 50]);
    expect(await actionsOf('burst')).toEqual(keys.map((k) => `k${k}`));
    await log.close();
  });

  it('past its limit it drops the oldest rows and says so', async () => {
    const { repository, refuse } = watched();
    const { logger, lines } = logged();
    const log = new AuditLog(repository, { logger, retryMs: 60_000, maxPending: 2 });
    refuse(1);
    log.record({ action: 'first', phoneId: 'full', params: {}, result: 'ok' });
    await log.settled();
    log.record({ action: 'second', phoneId: 'full', params: {}, result: 'ok' });
    log.record({ action: 'third', phoneId: 'full', params: {}, result: 'ok' });
    expect(lines().join('\n')).toContain('audit rows dropped');
    await log.close();
    expect(await actionsOf('full')).toEqual(['second', 'third']);
  });
});
