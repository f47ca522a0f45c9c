/**
 * The users repository on the project's database (SQLite, or Postgres in the `postgres` project): what
 * the two must answer alike, and the last-admin guard under concurrent changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createUsersRepository, type NewUser, type UsersRepository } from './users-repository.ts';

const NOW = '2025-01-01T00:00:00.000Z';
const person = (username: string, role: NewUser['role'] = 'admin'): NewUser => ({
  username,
  passwordHash: 'scrypt$x',
  role,
  phoneIds: ['p1'],
  mustChangePassword: false,
});

let dataDir: string;
let database: TestDatabase;
let store: Store;
let users: UsersRepository;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-users-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
  users = createUsersRepository(store.db, store.dialect);
});
afterEach(async () => {
  await store.close();
  await database.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`users repository on ${TEST_DIALECT}`, () => {
  it('finds and orders usernames whatever their case, and keeps the phone list', async () => {
    await users.insertUser(person('bob'), NOW);
    await users.insertUser(person('Alice'), NOW);
    await users.insertUser(person('carol'), NOW);
    expect((await users.listUsers()).map((u) => u.username)).toEqual(['Alice', 'bob', 'carol']);
    expect(await users.getUserByUsername('ALICE')).toMatchObject({ username: 'Alice', phoneIds: ['p1'] });
    expect(await users.getUserByUsername('alicia')).toBeUndefined();
    expect(await users.countUsers()).toBe(3);
  });

  it('keeps session times as numbers, up to the "no expiry" of display keys', async () => {
    const user = await users.insertUser(person('dora'), NOW);
    await users.insertSession(
      { idHash: 'h1', userId: user.id, displayKeyId: null, expiresAt: Number.MAX_SAFE_INTEGER },
      1_700_000_000_000,
    );
    expect(await users.getSession('h1')).toEqual({
      idHash: 'h1',
      userId: user.id,
      displayKeyId: null,
      createdAt: 1_700_000_000_000,
      lastSeenAt: 1_700_000_000_000,
      expiresAt: Number.MAX_SAFE_INTEGER,
    });
    // Idle for a user's 12 h: gone; the cascade would take it with the user too.
    await users.deleteExpiredSessions(1_700_000_000_000 + 12 * 3600_000, 12 * 3600_000, 30 * 86400_000);
    expect(await users.getSession('h1')).toBeUndefined();
  });

  it('never leaves no active admin, even when two admins demote each other at the same moment', async () => {
    const a = await users.insertUser(person('admin-a'), NOW);
    const b = await users.insertUser(person('admin-b'), NOW);
    // What PATCH /api/users/:id does: check "another active admin remains", then change, in one guarded step.
    const demote = (id: string) =>
      users.guarded(async (repo) => {
        const others = (await repo.activeAdminIds()).filter((x) => x !== id);
        // Both checks run before either change when nothing makes them take turns.
        await new Promise((r) => setTimeout(r, 50));
        if (others.length === 0) throw new AppError('forbidden', 'last admin');
        return repo.updateUser(id, { role: 'viewer' }, NOW);
      });
    const results = await Promise.allSettled([demote(a.id), demote(b.id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await users.activeAdminIds()).toHaveLength(1);
  });
});
