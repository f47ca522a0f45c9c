import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPhonesRepository } from '../phones/phones-repository.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createUsersRepository } from '../users/users-repository.ts';
import { createSecretBox, loadKey } from './crypto.ts';
import { isUniqueViolation, openDatabase, type Store } from './database.ts';
import { migrateToLatest, NewerSchemaError } from './migrate.ts';
import { migrations } from './migrations/index.ts';
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

async function pragma(store: Store, name: 'journal_mode' | 'user_version'): Promise<unknown> {
  const rows = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(store.db);
  return rows.rows[0]?.[name];
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
      expect(await pragma(store, 'journal_mode')).toBe('wal');
      // An older LineDeck reads this and refuses the database instead of running its own steps on it.
      expect(await pragma(store, 'user_version')).toBe(migrations.length);
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
    expect(await pragma(store, 'user_version')).toBe(migrations.length);

    // The passcode sealed by the old store opens (same key, same row binding); the phone gets a hook
    // token on its first load, stored, so the next load gives the same one.
    const phones = createPhonesRepository(store.db, box);
    const [desk] = await phones.loadAll();
    expect(desk?.record).toMatchObject({
      id: 'p1',
      name: 'Desk',
      model: 'GRP2614',
      auth: 'passcode',
      allowSelfSigned: false,
    });
    expect(desk?.passcode).toBe(passcode);
    expect(desk?.hookToken).toMatch(/^[\w-]{32}$/);
    expect((await phones.loadAll())[0]?.hookToken).toBe(desk?.hookToken);

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
