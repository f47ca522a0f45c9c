/**
 * The dispatcher's tick reads the outbox only while some webhook is enabled: a server without webhooks
 * asks its database nothing each second (the fleet bench counts every statement while phones are polled).
 * On the project's database (SQLite, or Postgres in the `postgres` project), the real repository.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createSecretBox } from '../store/crypto.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { sleep, waitFor } from '../test-support/harness.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { createWebhooksRepository, type WebhooksRepository } from './webhooks-repository.ts';

let database: TestDatabase;
let store: Store;
beforeAll(async () => {
  database = await testDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-dispatcher-'));
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
});
afterAll(async () => {
  await store?.close();
  await database?.release();
});

describe('the webhook dispatcher', () => {
  it('reads the outbox at its tick only while a webhook is enabled', async () => {
    const real = createWebhooksRepository(store.db);
    let reads = 0;
    const repository: WebhooksRepository = {
      ...real,
      due(...args) {
        reads++;
        return real.due(...args);
      },
    };
    let enabled = false;
    const dispatcher = new WebhookDispatcher({
      repository,
      box: createSecretBox(randomBytes(32)),
      logger: createLogger({ level: 'silent' }),
      tickMs: 20,
      anyEnabled: () => enabled,
    });
    dispatcher.start();
    try {
      await sleep(200);
      expect(reads).toBe(0);
      enabled = true;
      await waitFor(() => reads >= 3);
      enabled = false;
      await sleep(50);
      const after = reads;
      await sleep(200);
      expect(reads).toBe(after);
    } finally {
      await dispatcher.close();
    }
  });
});
