/** CALL_RETENTION_DAYS and the daily prune of the call journal, on the project's database. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createCallsRepository } from './calls-repository.ts';
import type { CallsStore } from './calls-store.ts';
import { RETENTION_INTERVAL_MS, startRetention } from './retention.ts';
import { storedCall } from './test-support.ts';

describe('CALL_RETENTION_DAYS', () => {
  it('defaults to 90 days and takes a whole number from 1 to 3650', () => {
    expect(loadConfig({}).callRetentionDays).toBe(90);
    expect(loadConfig({ CALL_RETENTION_DAYS: '30' }).callRetentionDays).toBe(30);
    expect(loadConfig({ CALL_RETENTION_DAYS: '3650' }).callRetentionDays).toBe(3650);
    for (const bad of ['0', '3651', '1.5', 'forever', '-3']) {
      expect(() => loadConfig({ CALL_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ CALL_RETENTION_DAYS: bad })).toThrow(
        `CALL_RETENTION_DAYS (got "${bad}"): must be a whole number from 1 to 3650`,
      );
    }
  });
});

describe('startRetention', () => {
  let dataDir: string;
  let database: TestDatabase;
  let store: Store;
  let calls: CallsStore;
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  });
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-retention-'));
    database = await testDatabase();
    store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
    calls = createCallsRepository(store.db);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
    await database.release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const remaining = async () => (await calls.page({ limit: 500 }, null)).calls.map((c) => c.id).sort();

  it('prunes at once, then every day, calls that ended more than the days ago', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let now = new Date('2025-06-01T12:00:00.000Z');
    await calls.save([
      storedCall({ id: 'ended-100-days-ago', startedAt: '2025-02-21T12:00:00.000Z' }),
      storedCall({ id: 'ended-89-days-ago', startedAt: '2025-03-04T12:00:00.000Z' }),
      storedCall({ id: 'still-open', startedAt: '2025-01-01T12:00:00.000Z', endedAt: null, outcome: null }),
    ]);
    const retention = startRetention(calls, { days: 90, logger, now: () => now });
    await vi.waitFor(async () => expect(await remaining()).toEqual(['ended-89-days-ago', 'still-open']));
    expect(lines.some((l) => l.includes('old calls pruned'))).toBe(true);
    now = new Date('2025-06-03T12:00:00.000Z');
    await vi.advanceTimersByTimeAsync(RETENTION_INTERVAL_MS);
    await vi.waitFor(async () => expect(await remaining()).toEqual(['still-open']));
    retention.stop();
    await calls.save([storedCall({ id: 'after-stop', startedAt: '2020-01-01T00:00:00.000Z' })]);
    await vi.advanceTimersByTimeAsync(RETENTION_INTERVAL_MS * 2);
    expect(await remaining()).toEqual(['after-stop', 'still-open']);
  });
});
