/**
 * Contacts over HTTP against the real server and a simulated phone: CRUD, validation, roles, CSV
 * import, the audit, and callers named in /api/phones/:id/state and in SSE call events.
 */
import type { AuditEntry, Contact, ContactPage, ImportResult, PhoneState } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, waitFor } from '../test-support/harness.ts';
import { type AuthHarness, expectError, type SignedIn, startAuthHarness } from '../users/test-support.ts';

let h: AuthHarness;
let viewer: SignedIn;
let operator: SignedIn;

beforeAll(async () => {
  h = await startAuthHarness([{ name: 'Desk' }], { config: { defaultCountry: 'DE' } });
  viewer = await h.user('viewer');
  operator = await h.user('operator');
});
afterAll(async () => {
  await h?.close();
});

const create = async (body: Record<string, unknown>) => {
  const res = await h.admin.req<Contact>('POST', '/api/contacts', body);
  expect(res.status, res.text).toBe(201);
  return res.body;
};

describe('contacts CRUD', () => {
  it('creates with separators dropped, reads, searches, changes and deletes; every change audited', async () => {
    const res = await operator.req<Contact>('POST', '/api/contacts', {
      name: 'Grace Hopper',
      number: '+1 (202) 555-0100',
      company: 'Navy',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.location).toBe(`/api/contacts/${res.body.id}`);
    expect(res.body).toMatchObject({
      name: 'Grace Hopper',
      number: '+12025550100',
      company: 'Navy',
      notes: null,
    });
    const id = res.body.id;

    expect((await viewer.req<Contact>('GET', `/api/contacts/${id}`)).body.name).toBe('Grace Hopper');
    for (const q of ['grace', 'NAVY', '202 555', '5550100']) {
      const page = await viewer.req<ContactPage>('GET', `/api/contacts?q=${encodeURIComponent(q)}`);
      expect(page.status).toBe(200);
      expect(
        page.body.contacts.map((c) => c.id),
        q,
      ).toContain(id);
    }
    const none = await viewer.req<ContactPage>('GET', '/api/contacts?q=%25');
    expect(none.body.contacts.map((c) => c.id)).not.toContain(id);

    const patched = await operator.req<Contact>('PATCH', `/api/contacts/${id}`, {
      company: '',
      notes: 'COBOL',
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ company: null, notes: 'COBOL', number: '+12025550100' });

    expect((await operator.req('DELETE', `/api/contacts/${id}`)).status).toBe(204);
    expectError(await viewer.req('GET', `/api/contacts/${id}`), 404, 'not_found');

    const audit = await h.admin.req<{ entries: AuditEntry[] }>('GET', '/api/audit?limit=50');
    const actions = audit.body.entries.filter((e) => e.params.id === id || e.params.name === 'Grace Hopper');
    expect(actions.map((e) => e.action).sort()).toEqual([
      'contacts:create',
      'contacts:delete',
      'contacts:update',
    ]);
    expect(actions.every((e) => e.username === operator.username)).toBe(true);
  });

  it('pages with limit and offset and counts every match', async () => {
    for (const n of [1, 2, 3]) await create({ name: `Pager ${n}`, number: `70000${n}` });
    const page = await h.admin.req<ContactPage>('GET', '/api/contacts?q=pager&limit=2&offset=1');
    expect(page.body.total).toBe(3);
    expect(page.body.contacts.map((c) => c.name)).toEqual(['Pager 2', 'Pager 3']);
  });

  it('refuses bad input with 400 and the field', async () => {
    for (const body of [
      { name: '', number: '123' },
      { name: 'X', number: '12a3' },
      { name: 'X', number: '1+2' },
      { name: 'X' },
      { name: 'X', number: '1', extra: true },
    ]) {
      expectError(await h.admin.req('POST', '/api/contacts', body), 400, 'invalid_input');
    }
    const c = await create({ name: 'Valid', number: '123' });
    expectError(await h.admin.req('PATCH', `/api/contacts/${c.id}`, { number: '#a' }), 400, 'invalid_input');
    expectError(await h.admin.req('GET', '/api/contacts?limit=0'), 400, 'invalid_input');
    expectError(await h.admin.req('PATCH', '/api/contacts/nope', { name: 'Y' }), 404, 'not_found');
  });

  it('viewers read but may not write; anonymous gets 401', async () => {
    const c = await create({ name: 'Read Only', number: '555' });
    expect((await viewer.req('GET', '/api/contacts')).status).toBe(200);
    expectError(await viewer.req('POST', '/api/contacts', { name: 'V', number: '1' }), 403, 'forbidden');
    expectError(await viewer.req('PATCH', `/api/contacts/${c.id}`, { name: 'V' }), 403, 'forbidden');
    expectError(await viewer.req('DELETE', `/api/contacts/${c.id}`), 403, 'forbidden');
    expectError(
      await viewer.req('POST', '/api/contacts/import', { csv: 'name,number\nA,1' }),
      403,
      'forbidden',
    );
    expectError(await h.anonymous.req('GET', '/api/contacts'), 401, 'unauthenticated');
  });
});

describe('CSV import', () => {
  it('imports valid rows, skips and reports invalid ones, and a second import only finds duplicates', async () => {
    const csv = [
      'Number,Name,Company',
      '+44 20 7946 0000,Imported One,"Acme, Ltd"',
      'not-a-number,Bad Number,',
      ',No Number,',
      'too,many,fields,here',
      '020 7946 0001,Imported Two,',
    ].join('\r\n');
    const first = await operator.req<ImportResult>('POST', '/api/contacts/import', { csv });
    expect(first.status, first.text).toBe(200);
    expect(first.body.imported).toBe(2);
    expect(first.body.duplicates).toBe(0);
    expect(first.body.errors.map((e) => e.row)).toEqual([3, 4, 5]);
    expect(first.body.errors[0]?.message).toMatch(/number/);
    const page = await viewer.req<ContactPage>('GET', '/api/contacts?q=imported');
    expect(page.body.contacts.map((c) => [c.name, c.number, c.company])).toEqual([
      ['Imported One', '+442079460000', 'Acme, Ltd'],
      ['Imported Two', '02079460001', null],
    ]);
    const again = await operator.req<ImportResult>('POST', '/api/contacts/import', { csv });
    expect(again.body).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('refuses a wrong header, too many rows, and takes a body over 32 kB', async () => {
    const bad = expectError(
      await h.admin.req('POST', '/api/contacts/import', { csv: 'name,phone\nA,1' }),
      400,
      'invalid_input',
    );
    expect(bad).toMatch(/phone/);
    const many = ['name,number', ...Array.from({ length: 2001 }, (_, i) => `Bulk ${i},9${i}`)].join('\n');
    expectError(await h.admin.req('POST', '/api/contacts/import', { csv: many }), 400, 'invalid_input');
    const big = [
      'name,number',
      ...Array.from({ length: 2000 }, (_, i) => `Bulk contact ${i},+4989${i}`),
    ].join('\n');
    expect(big.length).toBeGreaterThan(32 * 1024);
    const res = await h.admin.req<ImportResult>('POST', '/api/contacts/import', { csv: big });
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(res.body.imported).toBe(2000);
  });
});

describe('caller lookup', () => {
  it('names a ringing caller in the state and in SSE call events, and follows contact changes', async () => {
    const desk = h.phone('Desk');
    await waitFor(() => h.server.cache.get(desk.id)?.status === 'available');
    const ada = await create({ name: 'Ada Lovelace', number: '030 1234567', company: 'Analytical Engines' });
    const sse = openSse(`${h.url}/api/events`, viewer.headers);
    expect(await sse.status).toBe(200);

    desk.sim.ring('+49301234567', '');
    const state = await waitFor(async () => {
      const res = await viewer.req<PhoneState>('GET', `/api/phones/${desk.id}/state`);
      return res.body.lines.find((l) => l.state === 'ringing' && l.contact) ? res.body : null;
    });
    const line = state.lines.find((l) => l.state === 'ringing');
    expect(line?.contact).toEqual({ id: ada.id, name: 'Ada Lovelace', company: 'Analytical Engines' });
    expect(line?.remoteName).toBe('');

    // The journal's call while it rings (no outcome yet) names the caller as the lines do.
    const ringing = await sse.next(
      (f) => f.event === 'call' && (f.data as { outcome: string | null }).outcome === null,
    );
    expect(ringing.data).toMatchObject({ remoteNumber: '+49301234567', contact: { id: ada.id } });

    // Renaming the contact re-names the caller on screen at once (a pushed state).
    await h.admin.req('PATCH', `/api/contacts/${ada.id}`, { name: 'Countess Lovelace' });
    await sse.next(
      (f) =>
        f.event === 'state' &&
        (f.data as PhoneState).lines.some((l) => l.contact?.name === 'Countess Lovelace'),
    );
    await h.admin.req('DELETE', `/api/contacts/${ada.id}`);
    await waitFor(() => h.server.cache.get(desk.id)?.lines.every((l) => l.contact === undefined));
    sse.close();
    desk.sim.farEndHangup();
  });
});
