/**
 * PHONES_FILE with the credential scheme: `auth` and `username` are read from the file, and a `detect`
 * the file repeats on every boot keeps the scheme it settled on (same host, account and passcode), so a
 * restart does not spend another passcode try on a session-only phone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPhone } from '@linedeck/phone-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAccess } from './access/access.ts';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { loadPhonesFile } from './phones-file.ts';
import { startServer } from './server.ts';
import { waitFor } from './test-support/harness.ts';
import { type TestDatabase, testDatabase } from './test-support/test-database.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-file-'));
// One database for the whole file: the restarts below must find what the first boot stored.
let database: TestDatabase;
beforeAll(async () => {
  database = await testDatabase();
  config.databaseUrl = database.databaseUrl;
});
afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await database?.release();
});

const config: Config = {
  port: 0,
  host: '127.0.0.1',
  dataDir,
  databaseUrl: undefined,
  simulatedPhones: 0,
  pollIntervalMs: 100,
  ctiTimeoutMs: 800,
  logLevel: 'silent',
  phonesFile: undefined,
  secret: undefined,
  adminPassword: undefined,
  trustProxy: undefined,
};
const quiet = { logger: createLogger({ level: 'silent' }), access: createOpenAccess(), webDist: null };

describe('PHONES_FILE credential scheme', () => {
  it('reads auth and username, and refuses an unknown scheme', () => {
    const file = path.join(dataDir, 'schemes.yaml');
    fs.writeFileSync(file, '- name: A\n  host: 10.0.0.2\n  passcode: p\n  auth: session\n  username: user\n');
    expect(loadPhonesFile(file)).toEqual([
      { name: 'A', host: '10.0.0.2', passcode: 'p', auth: 'session', username: 'user' },
    ]);
    fs.writeFileSync(file, '- name: A\n  host: 10.0.0.2\n  passcode: p\n  auth: kerberos\n');
    expect(() => loadPhonesFile(file)).toThrow(/auth/);
  });

  it('a detect settled on session stays session at the next boot: no second passcode try', async () => {
    const sim = await startPhone({ port: 0, firmwareProfile: 'session', adminPasscode: 'file-admin-1' });
    const file = path.join(dataDir, 'phones.yaml');
    fs.writeFileSync(file, `- name: Desk\n  host: ${sim.host}\n  passcode: file-admin-1\n  auth: detect\n`);
    const passcodeTries = () => sim.requestLog().filter((e) => e.params.passcode !== undefined).length;
    try {
      const first = await startServer({ ...config, phonesFile: file }, quiet);
      const id = first.registry.list()[0]?.id ?? '';
      await waitFor(() => first.cache.get(id)?.status === 'available');
      // The scheme detect settled on is stored after the poll that learned it (on Postgres a little
      // later than the cache shows the phone): wait for the stored scheme, not for the poll.
      await waitFor(() => first.registry.get(id).auth !== 'detect');
      expect(first.registry.get(id).auth).toBe('session');
      await first.close();
      expect([passcodeTries(), sim.snapshot().session.logins]).toEqual([1, 1]);

      const second = await startServer({ ...config, phonesFile: file }, quiet);
      await waitFor(() => second.cache.get(id)?.status === 'available');
      expect(second.registry.get(id).auth).toBe('session');
      await second.close();
      expect([passcodeTries(), sim.snapshot().session.logins]).toEqual([1, 2]);
    } finally {
      await sim.close();
    }
  });
});
