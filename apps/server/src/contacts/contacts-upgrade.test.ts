/**
 * A database whose contacts were stored before the number model (migration 008): after the upgrade
 * their search text is backfilled (accents ignored) and their E.164 derived under DEFAULT_COUNTRY, on
 * whichever database the project runs (SQLite, or Postgres in the `postgres` project).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { migrations } from '../store/migrations/index.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createContacts } from './contacts.ts';
import { createContactsRepository } from './contacts-repository.ts';

let store: Store | undefined;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await store?.close();
  await database?.release();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

it('backfills search text and E.164 for contacts stored before the number model', async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-contacts-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl, migrate: false });
  const before = migrations.findIndex((m) => m.name === '008-contacts-numbers');
  await migrateToLatest(store.db, store.dialect, migrations.slice(0, before));
  const at = '2024-01-01T00:00:00.000Z';
  await sql`insert into contacts (id, name, company, number, number_key, notes, seq, created_at, updated_at)
    values ('old', 'Jürgen Müller', 'Bäckerei Straße', '0302309', '0302309', null, 1, ${at}, ${at})`.execute(
    store.db,
  );
  // 008 runs first; the migrations after it (whatever they are by now) follow.
  const applied = await migrateToLatest(store.db, store.dialect);
  expect(applied).toEqual(migrations.slice(before).map((m) => m.name));

  const contacts = await createContacts(createContactsRepository(store.db), { defaultCountry: 'DE' });
  for (const q of ['muller', 'MÜLLER', 'jurgen', 'backerei strasse', '+49 30 2309', '0049302309']) {
    const page = await contacts.list({ q, limit: 10, offset: 0 });
    expect(
      page.contacts.map((c) => c.id),
      q,
    ).toEqual(['old']);
  }
  expect(await contacts.get('old')).toMatchObject({ number: '0302309', e164: '+49302309', otherNumbers: [] });
  expect(contacts.lookup('+49 30 2309')?.id).toBe('old');

  // Started again under another country, the stored E.164 follows it.
  const elsewhere = await createContacts(createContactsRepository(store.db), { defaultCountry: 'AT' });
  expect((await elsewhere.get('old')).e164).toBe('+43302309');
  expect(elsewhere.lookup('+49302309')).toBeNull();
});
