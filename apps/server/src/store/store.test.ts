import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createUsersRepository } from '../users/users-repository.ts';
import { createSecretBox, loadKey } from './crypto.ts';
import { isUniqueViolation, openDatabase, type Store } from './database.ts';
import { migrateToLatest, NewerSchemaError } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { createPhonesMirror } from './phones-mirror.ts';
import { createPhonesRepo } from './phones-repo.ts';
import { createPhonesRepository } from './phones-repository.ts';
import { makeLegacyDatabase } from './test-fixtures/legacy-database.ts';

const dirs: string[] = [];
const open: Store[] = [];
const databases: TestDatabase[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of databases.splice(0)) await d.release();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The project's database (SQLite in a temp DATA_DIR, or a fresh Postgres database), closed after the test. */
async function openTestStore(
  options: { migrate?: boolean } = {},
): Promise<{ store: Store; reopen(): Promise<Store> }> {
  const dataDir = tempDir();
  const database = await testDatabase();
  databases.push(database);
  const at = async (migrate?: boolean) => {
    const store = await openDatabase({
      dataDir,
      databaseUrl: database.databaseUrl,
      ...(migrate === undefined ? {} : { migrate }),
    });
    open.push(store);
    return store;
  };
  return { store: await at(options.migrate), reopen: () => at() };
}

async function recordedSteps(store: Store): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

describe('secret box', () => {
  it('round-trips, uses a fresh IV, and refuses tampering or another row', () => {
    const box = createSecretBox(loadKey({ secret: 'a-long-enough-secret', dataDir: tempDir() }));
    const a = box.seal('admin123', 'phone-1');
    expect(a).not.toContain('admin123');
    expect(box.seal('admin123', 'phone-1')).not.toBe(a);
    expect(box.open(a, 'phone-1')).toBe('admin123');
    expect(() => box.open(a, 'phone-2')).toThrow();
    const tampered = `${a.slice(0, -4)}AAAA`;
    expect(() => box.open(tampered, 'phone-1')).toThrow();
  });

  it('creates DATA_DIR/secret.key with mode 0600 and reuses it', () => {
    const dir = tempDir();
    const k1 = loadKey({ dataDir: dir });
    const file = path.join(dir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKey({ dataDir: dir }).equals(k1)).toBe(true);
  });

  it('derives the key from LINEDECK_SECRET when set', () => {
    const k1 = loadKey({ secret: 'one-secret-long-enough', dataDir: tempDir() });
    const k2 = loadKey({ secret: 'one-secret-long-enough', dataDir: tempDir() });
    expect(k1.equals(k2)).toBe(true);
  });
});

describe(`migrations on ${TEST_DIALECT}`, () => {
  it('runs every step once, in order, and records it', async () => {
    const { store, reopen } = await openTestStore();
    expect(await recordedSteps(store)).toEqual(migrations.map((m) => m.name));
    if (store.dialect === 'sqlite') {
      expect(store.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
      // An older LineDeck reads this and refuses the database instead of running its own steps on it.
      expect(store.sqlite?.pragma('user_version', { simple: true })).toBe(migrations.length);
    }
    await store.close();
    open.splice(open.indexOf(store), 1);
    const again = await reopen();
    expect(await migrateToLatest(again.db, again.dialect)).toEqual([]);
  });

  it('runs only a step appended since', async () => {
    const { store } = await openTestStore();
    const extra = {
      name: '999-extra',
      up: async (db: Parameters<(typeof migrations)[number]['up']>[0]) => {
        await db.schema.createTable('extra').addColumn('x', 'text').execute();
      },
    };
    expect(await migrateToLatest(store.db, store.dialect, [...migrations, extra])).toEqual(['999-extra']);
  });

  it('refuses a database migrated by a newer LineDeck', async () => {
    const { store, reopen } = await openTestStore();
    await sql`insert into kysely_migration (name, timestamp) values ('999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      store.db,
    );
    await expect(reopen()).rejects.toThrow(NewerSchemaError);
  });

  it('tells a unique violation apart from other errors', async () => {
    const { store } = await openTestStore();
    const users = createUsersRepository(store.db, store.dialect);
    const user = {
      username: 'Ada',
      passwordHash: 'x',
      role: 'viewer' as const,
      phoneIds: [],
      mustChangePassword: false,
    };
    await users.insertUser(user, '2025-01-01T00:00:00.000Z');
    const taken = await users
      .insertUser({ ...user, username: 'ADA' }, '2025-01-01T00:00:00.000Z')
      .catch((e: unknown) => e);
    expect(isUniqueViolation(taken)).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });
});

describe.skipIf(TEST_DIALECT !== 'sqlite')('SQLite databases made before the Kysely runner', () => {
  const box = createSecretBox(loadKey({ secret: 'legacy-test-secret-1234', dataDir: os.tmpdir() }));

  it.each([1, 2, 3, 4, 5, 6])('upgrade from user_version %i without losing a row', async (version) => {
    const dataDir = tempDir();
    const legacy = makeLegacyDatabase(path.join(dataDir, 'linedeck.db'), version);
    const passcode = 'legacy-passcode-1';
    legacy
      .prepare(`INSERT INTO phones (id, name, host, passcode_enc, model, created_at, updated_at)
        VALUES ('p1', 'Desk', '10.0.0.5', ?, 'GRP2614', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`)
      .run(box.seal(passcode, 'p1'));
    if (version >= 2) {
      legacy
        .prepare(`INSERT INTO users (id, username, password_hash, role, created_at, updated_at)
          VALUES ('u1', 'Admin', 'hash', 'admin', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`)
        .run();
      legacy
        .prepare(
          `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('s1', 'u1', 1, 2, ?)`,
        )
        .run(Number.MAX_SAFE_INTEGER);
    }
    if (version >= 3) {
      legacy
        .prepare(
          `INSERT INTO audit (at, action, params_json, result) VALUES ('2024-01-01T00:00:00.000Z', 'phones:create', '{"name":"Desk"}', 'ok')`,
        )
        .run();
    }
    if (version >= 4) {
      const insert =
        legacy.prepare(`INSERT INTO contacts (id, name, number, number_key, created_at, updated_at)
        VALUES (?, ?, '+49 30 1234567', '+49301234567', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`);
      // Same instant (an import): the hidden rowid was the tie-break, so 'zz-first' must stay first.
      insert.run('zz-first', 'Second by name');
      insert.run('aa-second', 'First by name');
    }
    legacy.close();

    const store = await openDatabase({ dataDir });
    open.push(store);
    expect(await recordedSteps(store)).toEqual(migrations.map((m) => m.name));
    expect(store.sqlite?.pragma('user_version', { simple: true })).toBe(migrations.length);

    const phones = createPhonesRepo(store.sqlite as NonNullable<Store['sqlite']>, box);
    expect(phones.get('p1')).toMatchObject({
      name: 'Desk',
      model: 'GRP2614',
      auth: 'passcode',
      allowSelfSigned: false,
    });
    expect(phones.getPasscode('p1')).toBe(passcode);
    expect(phones.getHookToken('p1')).toMatch(/^[\w-]{32}$/);

    const users = createUsersRepository(store.db, store.dialect);
    if (version >= 2) {
      expect(await users.getUserByUsername('admin')).toMatchObject({ id: 'u1', role: 'admin' });
      expect(await users.getSession('s1')).toMatchObject({
        userId: 'u1',
        expiresAt: Number.MAX_SAFE_INTEGER,
      });
    }
    if (version >= 3) {
      const audit = await store.db.selectFrom('audit').selectAll().execute();
      expect(audit).toMatchObject([{ id: 1, action: 'phones:create' }]);
    }
    if (version >= 4) {
      const contacts = await store.db.selectFrom('contacts').select(['id', 'seq']).orderBy('seq').execute();
      expect(contacts.map((c) => c.id)).toEqual(['zz-first', 'aa-second']);
    }
    // The upgraded schema takes new rows like a fresh one.
    await users.insertUser(
      { username: 'new-user', passwordHash: 'h', role: 'viewer', phoneIds: [], mustChangePassword: false },
      '2025-01-01T00:00:00.000Z',
    );
    expect(await users.countUsers()).toBe(version >= 2 ? 2 : 1);
  });

  it('refuses a user_version newer than the old runner knew, without touching the file', async () => {
    const dataDir = tempDir();
    const legacy = makeLegacyDatabase(path.join(dataDir, 'linedeck.db'), 6);
    legacy.pragma('user_version = 42');
    legacy.close();
    await expect(openDatabase({ dataDir })).rejects.toThrow(NewerSchemaError);
  });
});

describe.skipIf(TEST_DIALECT !== 'sqlite')('phones repo (synchronous, SQLite)', () => {
  it('stores the passcode sealed and returns it only through getPasscode', async () => {
    const dir = tempDir();
    const store = await openDatabase({ dataDir: dir });
    open.push(store);
    const db = store.sqlite as NonNullable<Store['sqlite']>;
    const repo = createPhonesRepo(db, createSecretBox(loadKey({ dataDir: dir })));
    const phone = repo.create({ name: 'Desk', host: '10.0.0.5', passcode: 'sup3r-secret', model: 'GRP2614' });
    expect(JSON.stringify(repo.list())).not.toContain('sup3r-secret');
    // No field holds it or its sealed form (`auth: "passcode"` names the scheme, not the secret).
    expect(Object.keys(repo.get(phone.id) ?? {})).not.toContain('passcode');
    expect(JSON.stringify(repo.get(phone.id))).not.toMatch(/sup3r-secret|v1:/);
    const raw = db.prepare('SELECT passcode_enc FROM phones').get() as { passcode_enc: string };
    expect(raw.passcode_enc).not.toContain('sup3r-secret');
    expect(repo.getPasscode(phone.id)).toBe('sup3r-secret');

    repo.update(phone.id, { passcode: 'new-one', name: 'Desk 2' });
    expect(repo.getPasscode(phone.id)).toBe('new-one');
    expect(repo.get(phone.id)?.name).toBe('Desk 2');
    expect(() => repo.create({ name: 'Desk 2', host: 'x', passcode: 'y' })).toThrow(/already exists/);

    repo.create({ name: 'Sim', host: 'x', passcode: 'y', simulated: true });
    expect(repo.removeSimulated()).toBe(1);
    expect(repo.remove(phone.id)).toBe(true);
    expect(repo.count()).toBe(0);
  });
});

describe(`phones mirror on ${TEST_DIALECT}`, () => {
  const logger = createLogger({ level: 'silent' });

  it('answers like the phones repo, keeps passcodes sealed at rest, and has written everything after flush', async () => {
    const { store } = await openTestStore();
    const box = createSecretBox(loadKey({ secret: 'mirror-test-secret-123', dataDir: tempDir() }));
    const mirror = await createPhonesMirror(createPhonesRepository(store.db), box, logger);
    const desk = mirror.create({
      name: 'desk',
      host: '10.0.0.5',
      passcode: 'mirror-secret-1',
      model: 'GRP2614',
    });
    mirror.create({ name: 'Annex', host: '10.0.0.6', passcode: 'mirror-secret-2' });
    mirror.create({ name: 'Sim', host: '10.0.0.7', passcode: 'y', simulated: true });
    expect(mirror.list().map((p) => p.name)).toEqual(['Annex', 'desk', 'Sim']);
    expect(() => mirror.create({ name: 'desk', host: 'x', passcode: 'y' })).toThrow(/already exists/);
    expect(() => mirror.update(desk.id, { name: 'Annex' })).toThrow(/already exists/);
    expect(JSON.stringify(mirror.list())).not.toMatch(/mirror-secret|v1:/);
    mirror.update(desk.id, { passcode: 'mirror-secret-3', firmware: '1.0.5.6' });
    const hook = mirror.rotateHookToken(desk.id);
    expect(mirror.removeSimulated()).toBe(1);
    await mirror.flush();

    const raw = JSON.stringify(await store.db.selectFrom('phones').selectAll().execute());
    expect(raw).not.toMatch(/mirror-secret/);
    // A second start reads back what the first wrote, and opens it with the same key.
    const again = await createPhonesMirror(createPhonesRepository(store.db), box, logger);
    expect(again.list()).toEqual(mirror.list());
    expect(again.getPasscode(desk.id)).toBe('mirror-secret-3');
    expect(again.getHookToken(desk.id)).toBe(hook);
    expect(again.get(desk.id)?.firmware).toBe('1.0.5.6');
    expect(again.remove(desk.id)).toBe(true);
    await again.flush();
    expect((await createPhonesMirror(createPhonesRepository(store.db), box, logger)).count()).toBe(1);
  });
});
