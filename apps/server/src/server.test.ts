/**
 * Boot paths of startServer: the simulated fleet when nothing is configured (and its cleanup at the next
 * boot), PHONES_FILE upserted by name, and a clean close.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPhone } from '@linedeck/phone-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAccess } from './access/access.ts';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { loadPhonesFile } from './phones-file.ts';
import { startServer } from './server.ts';
import { waitFor } from './test-support/harness.ts';
import { type TestDatabase, testDatabase } from './test-support/test-database.ts';

const dirs: string[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  for (const d of databases.splice(0)) await d.release();
});

/** A fresh DATA_DIR and database (the project's: SQLite in DATA_DIR, or Postgres), kept across restarts. */
async function config(overrides: Partial<Config> = {}): Promise<Config> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-boot-'));
  dirs.push(dataDir);
  const database = await testDatabase();
  databases.push(database);
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: database.databaseUrl,
    simulatedPhones: 0,
    pollIntervalMs: 50,
    ctiTimeoutMs: 400,
    logLevel: 'silent',
    phonesFile: undefined,
    secret: undefined,
    adminPassword: undefined,
    trustProxy: undefined,
    ...overrides,
  } as Config;
}

const quiet = {
  logger: createLogger({ level: 'silent' }),
  access: createOpenAccess(),
  webDist: null,
  demo: false,
};

describe('simulated fleet', () => {
  it('starts simulated phones of different models when nothing is configured, dropped at the next boot', async () => {
    const c = await config({ simulatedPhones: 3 });
    const first = await startServer(c, quiet);
    try {
      const phones = first.registry.list();
      expect(phones.map((p) => p.name).every((n) => n.endsWith('(simulated)'))).toBe(true);
      expect(new Set(phones.map((p) => p.model)).size).toBe(3);
      await waitFor(() => first.cache.all().every((s) => s.status === 'available'));
      const res = await fetch(`${first.url}/api/phones`);
      expect(((await res.json()) as unknown[]).length).toBe(3);
      // Both ways of signing in are shown: the second phone has session-only firmware, polled through
      // one web login.
      expect(phones.map((p) => p.auth).sort()).toEqual(['passcode', 'passcode', 'session']);
      const session = first.fleet?.phones.find((p) => p.snapshot().firmwareProfile === 'session');
      expect(session?.snapshot().session.logins).toBe(1);
    } finally {
      await first.close();
    }
    const second = await startServer({ ...c, simulatedPhones: 0 }, quiet);
    try {
      expect(second.registry.list()).toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe('PHONES_FILE', () => {
  it('loads a YAML list at start and upserts by name on the next boot', async () => {
    const sim = await startPhone({
      port: 0,
      model: 'GRP2614',
      adminPasscode: 'file-pass-123',
      userPasscode: 'u-1',
    });
    const c = await config();
    const file = path.join(c.dataDir, 'phones.yaml');
    fs.writeFileSync(
      file,
      `- name: Desk\n  host: ${sim.host}\n  passcode: file-pass-123\n  model: GRP2614\n  allowSelfSigned: true\n`,
    );
    try {
      const first = await startServer({ ...c, phonesFile: file, simulatedPhones: 4 }, quiet);
      const [desk] = first.registry.list();
      expect(first.registry.list()).toHaveLength(1); // a phones file means: no simulated fleet
      expect(desk?.allowSelfSigned).toBe(true);
      await waitFor(() => first.cache.get(desk?.id ?? '')?.status === 'available');
      await first.close();

      fs.writeFileSync(
        file,
        JSON.stringify([{ name: 'Desk', host: sim.host, passcode: 'file-pass-123', model: 'GRP2612' }]),
      );
      const second = await startServer({ ...c, phonesFile: file }, quiet);
      // The file is the source: a field left out there goes back to its default.
      expect(second.registry.list().map((p) => [p.id, p.model, p.allowSelfSigned])).toEqual([
        [desk?.id, 'GRP2612', false],
      ]);
      await second.close();
    } finally {
      await sim.close();
    }
  });

  it('refuses a bad file with a readable message that quotes no passcode', async () => {
    const dir = (await config()).dataDir;
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      '- name: Desk\n  host: "bad host!"\n  passcode: hunter2-secret\n- name: Desk\n  host: 10.0.0.2\n',
    );
    let message = '';
    try {
      loadPhonesFile(file);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('0.host');
    expect(message).toContain('1.passcode');
    expect(message).not.toContain('hunter2-secret');
    expect(() => loadPhonesFile(path.join(dir, 'missing.yaml'))).toThrow(/cannot read/);
  });
});

describe('close', () => {
  it('waits for a command in flight, then stops', async () => {
    const sim = await startPhone({
      port: 0,
      model: 'GRP2601',
      adminPasscode: 'close-pass-1',
      userPasscode: 'u',
    });
    const running = await startServer(await config(), quiet);
    try {
      const phone = await running.registry.create({ name: 'P', host: sim.host, passcode: 'close-pass-1' });
      sim.injectFault({ kind: 'delay', ms: 200, times: 5 });
      const command = running.commands.keys(phone.id, { keys: ['VUP'] });
      await new Promise((r) => setTimeout(r, 20));
      await running.close();
      await expect(command).resolves.toMatchObject({ ok: true, body: 'complete' });
    } finally {
      await sim.close();
    }
  });
});

describe('static web app', () => {
  it('serves the built app with an SPA fallback, but never for /api or /cti', async () => {
    const c = await config();
    const dist = path.join(c.dataDir, 'dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>LineDeck</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    const running = await startServer(c, { ...quiet, webDist: dist });
    try {
      const deep = await fetch(`${running.url}/phones/abc/console`);
      expect(deep.status).toBe(200);
      expect(await deep.text()).toContain('<title>LineDeck</title>');
      const asset = await fetch(`${running.url}/assets/app-abc123.js`);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const api = await fetch(`${running.url}/api/nope`);
      expect(api.status).toBe(404);
      expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await fetch(`${running.url}/cti/x/cgi-bin/api-get_line_status`)).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});
