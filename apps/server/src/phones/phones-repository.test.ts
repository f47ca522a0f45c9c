/**
 * The phones repository on the project's database (SQLite, or Postgres in the `postgres` project):
 * secrets sealed at rest and bound to their row exactly as before (so existing databases open), a
 * record that never carries one, and the same answers from both databases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretBox, type SecretBox } from '../store/crypto.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createPhonesRepository, type PhonesRepository } from './phones-repository.ts';

const AT = '2024-01-01T00:00:00.000Z';

let dataDir: string;
let database: TestDatabase;
let store: Store;
let box: SecretBox;
let phones: PhonesRepository;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-phones-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
  box = createSecretBox(Buffer.alloc(32, 7));
  phones = createPhonesRepository(store.db, box);
});
afterEach(async () => {
  await store.close();
  await database.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const rawRows = () => store.db.selectFrom('phones').selectAll().orderBy('name').execute();

describe(`phones repository on ${TEST_DIALECT}`, () => {
  it('seals the passcode and hook token at rest and hands them out apart from the record', async () => {
    const desk = await phones.create({ name: 'Desk', host: '10.0.0.5', passcode: 'sup3r-secret' });
    expect(desk.passcode).toBe('sup3r-secret');
    expect(desk.hookToken).toMatch(/^[\w-]{32}$/);
    expect(desk.record).toMatchObject({ name: 'Desk', auth: 'passcode', username: 'admin', firmware: null });
    // No field of the record holds a secret or its sealed form.
    expect(JSON.stringify(desk.record)).not.toMatch(/sup3r-secret|v1:/);
    expect(JSON.stringify(desk.record)).not.toContain(desk.hookToken);

    const [row] = await rawRows();
    expect(JSON.stringify(row)).not.toContain('sup3r-secret');
    expect(JSON.stringify(row)).not.toContain(desk.hookToken);
    // Bound to the row as the store always did: `id` for the passcode, `id:hook` for the hook token.
    expect(box.open(row?.passcode_enc ?? '', desk.record.id)).toBe('sup3r-secret');
    expect(box.open(row?.hook_token_enc ?? '', `${desk.record.id}:hook`)).toBe(desk.hookToken);

    expect(await phones.loadAll()).toEqual([desk]);
  });

  it('opens rows sealed by an earlier LineDeck, and gives a phone without a hook token one, stored', async () => {
    await store.db
      .insertInto('phones')
      .values({
        id: 'p1',
        name: 'Old',
        host: '10.0.0.9',
        passcode_enc: box.seal('old-passcode', 'p1'),
        model: 'GRP2614',
        firmware: '1.0.5.6',
        hook_token_enc: null,
        created_at: AT,
        updated_at: AT,
      })
      .execute();
    const [old] = await phones.loadAll();
    expect(old).toMatchObject({
      passcode: 'old-passcode',
      record: { id: 'p1', model: 'GRP2614', firmware: '1.0.5.6', auth: 'passcode', simulated: false },
    });
    expect(old?.hookToken).toMatch(/^[\w-]{32}$/);
    expect((await phones.loadAll())[0]?.hookToken).toBe(old?.hookToken);
  });

  it('refuses a secret copied onto another row instead of opening it', async () => {
    await phones.create({ name: 'A', host: '10.0.0.1', passcode: 'pass-a' });
    const b = await phones.create({ name: 'B', host: '10.0.0.2', passcode: 'pass-b' });
    const [rowA] = await rawRows();
    await store.db
      .updateTable('phones')
      .set({ passcode_enc: rowA?.passcode_enc ?? '' })
      .where('id', '=', b.record.id)
      .execute();
    await expect(phones.loadAll()).rejects.toThrow();
  });

  it('updates only what the patch names, answers the stored record, and re-seals a new passcode', async () => {
    const desk = await phones.create({
      name: 'Desk',
      host: '10.0.0.5',
      passcode: 'first-one',
      model: 'GRP2614',
    });
    const changed = await phones.update(desk.record.id, { passcode: 'second-one', firmware: '1.0.7.12' });
    expect(changed).toMatchObject({ name: 'Desk', host: '10.0.0.5', model: 'GRP2614', firmware: '1.0.7.12' });
    expect((changed?.updatedAt ?? '') >= desk.record.updatedAt).toBe(true);
    expect((await phones.loadAll())[0]).toEqual({
      record: changed,
      passcode: 'second-one',
      hookToken: desk.hookToken,
    });
    expect(await phones.update(desk.record.id, {})).toEqual(changed);
    expect(await phones.update('nope', { name: 'x' })).toBeUndefined();
  });

  it('answers a taken name with a 400 on `name`, on create and on rename', async () => {
    await phones.create({ name: 'Desk', host: '10.0.0.5', passcode: 'x' });
    const annex = await phones.create({ name: 'Annex', host: '10.0.0.6', passcode: 'y' });
    const taken = { code: 'invalid_input', issues: [{ path: 'name' }] };
    await expect(phones.create({ name: 'Desk', host: '10.0.0.7', passcode: 'z' })).rejects.toMatchObject(
      taken,
    );
    await expect(phones.update(annex.record.id, { name: 'Desk' })).rejects.toMatchObject(taken);
    expect((await phones.loadAll()).map((p) => p.record.name).sort()).toEqual(['Annex', 'Desk']);
  });

  it('removes one phone, or the simulated ones, and rotates a hook token', async () => {
    const desk = await phones.create({ name: 'Desk', host: '10.0.0.5', passcode: 'x' });
    const sim1 = await phones.create({ name: 'Sim 1', host: '127.0.0.1:1', passcode: 'y', simulated: true });
    const sim2 = await phones.create({ name: 'Sim 2', host: '127.0.0.1:2', passcode: 'y', simulated: true });
    expect((await phones.removeSimulated()).sort()).toEqual([sim1.record.id, sim2.record.id].sort());
    expect(await phones.removeSimulated()).toEqual([]);

    const token = await phones.rotateHookToken(desk.record.id);
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(token).not.toBe(desk.hookToken);
    expect((await phones.loadAll())[0]?.hookToken).toBe(token);
    expect(await phones.rotateHookToken('nope')).toBeUndefined();

    expect(await phones.remove(desk.record.id)).toBe(true);
    expect(await phones.remove(desk.record.id)).toBe(false);
    expect(await phones.loadAll()).toEqual([]);
  });
});
