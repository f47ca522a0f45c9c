/**
 * The number model over HTTP (DEFAULT_COUNTRY=DE): numbers as people paste them, one match rule for
 * caller ID, search and duplicates, accent-free search, mapped imports with a dry run, the export,
 * and the default country for the web.
 */
import type { Contact, ContactPage, ImportResult, PhoneState } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/harness.ts';
import { type AuthHarness, expectError, type SignedIn, startAuthHarness } from '../users/test-support.ts';

let h: AuthHarness;
let viewer: SignedIn;

beforeAll(async () => {
  h = await startAuthHarness([{ name: 'Desk' }], { config: { defaultCountry: 'DE' } });
  viewer = await h.user('viewer');
});
afterAll(async () => {
  await h?.close();
});

const create = async (body: Record<string, unknown>) => {
  const res = await h.admin.req<Contact>('POST', '/api/contacts', body);
  expect(res.status, res.text).toBe(201);
  return res.body;
};
const search = async (q: string) =>
  (await viewer.req<ContactPage>('GET', `/api/contacts?q=${encodeURIComponent(q)}`)).body.contacts.map(
    (c) => c.name,
  );

describe('one number model', () => {
  it('stores pasted numbers as dialled with their E.164 form and extension', async () => {
    const c = await create({
      name: 'Paste Person',
      number: 'tel:+49-30-1234567;ext=12',
      email: 'paste@example.com',
      otherNumbers: [{ label: 'Mobile', number: '0170/123 45 67' }],
    });
    expect(c).toMatchObject({
      number: '+49301234567',
      e164: '+49301234567',
      extension: '12',
      email: 'paste@example.com',
      otherNumbers: [{ label: 'Mobile', number: '01701234567', e164: '+491701234567', extension: null }],
    });
    const ext = await create({ name: 'Extension Two', number: '2001' });
    expect(ext).toMatchObject({ number: '2001', e164: null });
    expectError(
      await h.admin.req('POST', '/api/contacts', { name: 'X', number: '1', email: 'nope' }),
      400,
      'invalid_input',
    );
  });

  it('matches "+49 30 2309", "030 2309" and "0049 30 2309" in caller ID and search', async () => {
    await create({ name: 'Dörte Zweitausend', number: '030 2309' });
    for (const q of ['+49 30 2309', '030 2309', '0049 30 2309', '2309']) {
      expect(await search(q), q).toContain('Dörte Zweitausend');
    }
    const desk = h.phone('Desk');
    await waitFor(() => h.server.cache.get(desk.id)?.status === 'available');
    desk.sim.ring('0049302309', '');
    const state = await waitFor(async () => {
      const res = await viewer.req<PhoneState>('GET', `/api/phones/${desk.id}/state`);
      return res.body.lines.find((l) => l.contact) ? res.body : null;
    });
    expect(state.lines.find((l) => l.contact)?.contact?.name).toBe('Dörte Zweitausend');
    desk.sim.farEndHangup();
    // An internal extension is never taken for a public number.
    expect(h.server.contacts.lookup('+492001')).toBeNull();
    expect(h.server.contacts.lookup('2001')?.name).toBe('Extension Two');
  });

  it('searches ignoring case and accents', async () => {
    await create({ name: 'Zoë Müller', number: '555123', company: 'Ærø Façades' });
    for (const q of ['muller', 'MÜLLER', 'zoe', 'aero facades'])
      expect(await search(q), q).toContain('Zoë Müller');
    expect(await search('mueller')).not.toContain('Zoë Müller');
  });

  it('serves the default country to signed-in pages only', async () => {
    expect((await viewer.req('GET', '/api/settings/public')).body).toEqual({ defaultCountry: 'DE' });
    expectError(await h.anonymous.req('GET', '/api/settings/public'), 401, 'unauthenticated');
  });
});

describe('mapped import and export', () => {
  it('previews rows with duplicates by number, then imports only the new ones', async () => {
    await create({ name: 'Known Number', number: '+49 40 5550001' });
    const contacts = [
      { row: 2, name: 'Same Number Other Name', number: '040 5550001' },
      { row: 3, name: 'Fresh One', number: '040/555-0002 x7', email: 'fresh@example.com', notes: 'from CSV' },
      { row: 4, name: 'Fresh Again', number: '0049 40 5550002' },
      { row: 5, name: '', number: '040 5550003' },
      {
        row: 6,
        name: 'Two Numbers',
        number: '040 5550004',
        otherNumbers: [{ label: 'Mobile', number: '0171 5550004' }],
      },
    ];
    const preview = await h.admin.req<ImportResult>('POST', '/api/contacts/import', {
      contacts,
      dryRun: true,
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.imported).toBe(0);
    expect(preview.body.rows.map((r) => [r.row, r.outcome, r.duplicateOf?.name])).toEqual([
      [2, 'duplicate', 'Known Number'],
      [3, 'new', undefined],
      [4, 'duplicate', 'Fresh One'],
      [5, 'invalid', undefined],
      [6, 'new', undefined],
    ]);
    expect(await search('Fresh One')).toEqual([]);

    const done = await h.admin.req<ImportResult>('POST', '/api/contacts/import', { contacts });
    expect(done.body).toMatchObject({ imported: 2, duplicates: 2 });
    const fresh = await h.admin.req<ContactPage>('GET', '/api/contacts?q=fresh');
    expect(fresh.body.contacts.map((c) => [c.name, c.number, c.extension, c.email])).toEqual([
      ['Fresh One', '0405550002', '7', 'fresh@example.com'],
    ]);
    expect(h.server.contacts.lookup('+49 171 5550004')?.name).toBe('Two Numbers');

    const all = await h.admin.req<ImportResult>('POST', '/api/contacts/import', {
      contacts: [{ row: 2, name: 'Shared Line', number: '040 5550001' }],
      skipDuplicates: false,
    });
    expect(all.body).toMatchObject({ imported: 1, duplicates: 1 });
  });

  it('reads a semicolon CSV through the API', async () => {
    const csv = 'Name;Number;Email\n"Semi, Colon";030 5550009;semi@example.com\n';
    const res = await h.admin.req<ImportResult>('POST', '/api/contacts/import', { csv });
    expect(res.body, res.text).toMatchObject({ imported: 1, errors: [] });
  });

  it('exports every contact as a formula-safe CSV', async () => {
    await create({ name: '=HYPERLINK("http://evil")', number: '2002', notes: '@SUM(A1)', company: '-1+1' });
    const res = await viewer.req('GET', '/api/contacts/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?contacts.csv"?$/);
    const text = res.text;
    expect(text.startsWith('\uFEFFname,company,number,email,notes,other numbers\r\n')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")",'-1+1,2002,,'@SUM(A1),`);
    expect(text).toContain("Dörte Zweitausend,,'+49 30 2309,,,");
    expect(text).toContain("'+49 30 1234567 ext. 12,paste@example.com,,Mobile: +49 170 1234567");
  });
});
