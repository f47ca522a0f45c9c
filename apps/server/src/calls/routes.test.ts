/**
 * The call history API over HTTP, with real sign-in (users, tokens, display keys of the running server)
 * and the journal on the project's database. Calls are seeded through the store: recording them from
 * line transitions is the recorder's (call-recorder.ts) and tested there.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CallPage,
  type CallsToday,
  callPageSchema,
  callsTodaySchema,
  createdSecretSchema,
  type MissedCount,
} from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import {
  type AuthHarness,
  browser,
  type Client,
  client,
  cookieFrom,
  expectError,
  send,
  startAuthHarness,
} from '../users/test-support.ts';
import { createCallsRepository } from './calls-repository.ts';
import type { CallsStore } from './calls-store.ts';
import { CSV_COLUMNS } from './routes.ts';
import { storedCall } from './test-support.ts';

let h: AuthHarness;
let a: string;
let b: string;
let store: CallsStore;
let app: http.Server;
let url: string;
let admin: Client;

/** A client of the app under test with the credentials of one made on the harness's server. */
const onApp = (c: Client, label = c.label): Client => {
  const { origin: _o, ...headers } = c.headers;
  return client(url, label, { ...headers, ...(headers.cookie ? { origin: url } : {}) });
};

beforeAll(async () => {
  h = await startAuthHarness([{ name: 'Alpha' }, { name: 'Bravo' }]);
  a = h.phone('Alpha').id;
  b = h.phone('Bravo').id;
  store = createCallsRepository(h.server.db, { defaultCountry: 'DE' });
  const users = h.server.users;
  if (!users) throw new Error('the harness signs in');
  app = http.createServer(
    createApp({
      logger: h.server.logger,
      registry: h.server.registry,
      cache: h.server.cache,
      events: h.server.events,
      commands: h.server.commands,
      ctiTimeoutMs: 400,
      access: users.access,
      audit: h.server.auditLog,
      webDist: null,
      calls: { store, defaultCountry: 'DE' },
    }),
  );
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  admin = onApp(h.admin);
  const today = new Date();
  const at = (hoursAgo: number) => new Date(today.getTime() - hoursAgo * 3_600_000).toISOString();
  await store.save([
    storedCall({ id: 'a-missed', phoneId: a, outcome: 'missed', startedAt: at(30) }),
    storedCall({ id: 'a-answered', phoneId: a, startedAt: at(29), remoteName: '=cmd()|calc' }),
    storedCall({
      id: 'b-missed',
      phoneId: b,
      outcome: 'missed',
      startedAt: at(28),
      remoteNumber: '+49301234567',
      contact: { id: 'c1', name: '@Anna', company: 'ACME, Inc' },
    }),
    storedCall({
      id: 'b-out',
      phoneId: b,
      direction: 'outgoing',
      outcome: 'no_answer',
      startedAt: at(27),
      remoteNumber: '2001',
      remoteE164: null,
      remoteName: 'Desk "2"',
      dialledBy: 'alice',
    }),
    // Today's one call (today's counts): answered, so the missed counts below do not depend on the hour.
    storedCall({ id: 'a-now', phoneId: a, startedAt: today.toISOString() }),
    ...Array.from({ length: 23 }, (_, i) =>
      storedCall({ id: `a-bulk-${String(i).padStart(2, '0')}`, phoneId: a, startedAt: at(40 + (i % 5)) }),
    ),
  ]);
});
afterAll(async () => {
  await new Promise((resolve) => app.close(resolve));
  await h.close();
});

const pageOf = async (c: Client, query: string): Promise<CallPage> => {
  const res = await c.req('GET', `/api/calls${query}`);
  expect(res.status, res.text).toBe(200);
  return callPageSchema.parse(res.body);
};
const idsOf = async (c: Client, query: string) => (await pageOf(c, query)).calls.map((x) => x.id);

describe('GET /api/calls', () => {
  it('filters by phone, direction, outcome and time, newest first', async () => {
    expect(await idsOf(admin, `?phoneId=${b}`)).toEqual(['b-out', 'b-missed']);
    expect(await idsOf(admin, '?outcome=missed,no_answer')).toEqual(['b-out', 'b-missed', 'a-missed']);
    expect(await idsOf(admin, '?direction=outgoing')).toEqual(['b-out']);
    const from = encodeURIComponent(new Date(Date.now() - 29.5 * 3_600_000).toISOString());
    expect(await idsOf(admin, `?from=${from}&outcome=missed`)).toEqual(['b-missed']);
  });

  it('finds a number however it is written, and names by q', async () => {
    for (const written of ['030 1234567', '+49 30 1234567', '0049301234567']) {
      const ids = await idsOf(admin, `?number=${encodeURIComponent(written)}&limit=500`);
      expect(ids.filter((id) => !id.startsWith('a-bulk'))).toEqual([
        'a-now',
        'b-missed',
        'a-answered',
        'a-missed',
      ]);
    }
    expect(await idsOf(admin, '?number=2001')).toEqual(['b-out']);
    expect(await idsOf(admin, '?q=acme')).toEqual(['b-missed']);
    expect(await idsOf(admin, '?q=DESK')).toEqual(['b-out']);
  });

  it('pages with the cursor: every call once, in order, the last page without a cursor', async () => {
    const everything = await idsOf(admin, '?limit=500');
    expect(everything).toHaveLength(28);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: CallPage = await pageOf(admin, `?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.calls.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(everything);
  });

  it('answers 400 for bad input, and changes nothing', async () => {
    for (const query of [
      '?outcome=lost',
      '?from=yesterday',
      '?limit=501',
      '?limit=0',
      '?cursor=bm9wZQ',
      '?phone=x',
      '?number=hello',
      '?direction=sideways&limit=5',
    ]) {
      expectError(await admin.req('GET', `/api/calls${query}`), 400, 'invalid_input');
    }
    expectError(await admin.req('POST', '/api/calls/missed/seen', { before: 'soon' }), 400, 'invalid_input');
    expectError(
      await admin.req('POST', '/api/calls/missed/seen', { before: new Date().toISOString(), all: true }),
      400,
      'invalid_input',
    );
    expect((await admin.req<MissedCount>('GET', '/api/calls/missed/count')).body).toEqual({
      count: 2,
      since: null,
    });
    expectError(await admin.req('GET', '/api/calls/export.csv?limit=5'), 400, 'invalid_input');
  });
});

describe('who sees what', () => {
  it('a viewer with phones sees only theirs, an operator all; unsigned is 401', async () => {
    const viewer = onApp(await h.user('viewer', { phoneIds: [b] }));
    expect(await idsOf(viewer, '?limit=500')).toEqual(['b-out', 'b-missed']);
    expect(await idsOf(viewer, `?phoneId=${a}`)).toEqual([]);
    expect((await viewer.req<MissedCount>('GET', '/api/calls/missed/count')).body.count).toBe(1);
    const csv = await viewer.req('GET', '/api/calls/export.csv');
    expect(csv.text).toContain('Bravo');
    expect(csv.text).not.toContain('Alpha');
    expect(csv.text.trim().split('\r\n')).toHaveLength(3);
    const operator = onApp(await h.user('operator', { phoneIds: [b] }));
    expect(await idsOf(operator, '?limit=500')).toHaveLength(28);
    expectError(await send(url, 'GET', '/api/calls'), 401, 'unauthenticated');
  });

  it('a display key gets 403 on the history but reads today’s counts', async () => {
    const created = await h.admin.req('POST', '/api/display-keys', { name: 'Lobby', phoneIds: [a] });
    expect(created.status, created.text).toBe(201);
    const key = createdSecretSchema.parse(created.body);
    h.passwords.add(key.secret);
    const wallSignIn = await send(h.url, 'GET', `/wall?key=${encodeURIComponent(key.secret)}`);
    const wall = onApp(browser(h.url, cookieFrom(wallSignIn), 'wall'));
    for (const path of ['/api/calls', '/api/calls/export.csv', '/api/calls/missed/count']) {
      expectError(await wall.req('GET', path), 403, 'forbidden');
    }
    expectError(
      await wall.req('POST', '/api/calls/missed/seen', { before: new Date().toISOString() }),
      403,
      'forbidden',
    );
    const today = await wall.req<CallsToday>('GET', '/api/calls/today');
    expect(today.status, today.text).toBe(200);
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    expect(callsTodaySchema.parse(today.body)).toEqual({
      since: midnight.toISOString(),
      missed: 0,
      answered: 1,
      phones: { [a]: { missed: 0, answered: 1 } },
    });
    expect(today.text).not.toMatch(/Anna|cmd|2001|4930/);
  });
});

describe('missed calls seen per user', () => {
  it('each user has their own mark; a token has one of its own too', async () => {
    const first = onApp(await h.user('operator', { phoneIds: [a, b] }));
    const second = onApp(await h.user('viewer'));
    const count = async (c: Client) => (await c.req<MissedCount>('GET', '/api/calls/missed/count')).body;
    expect(await count(first)).toEqual({ count: 2, since: null });
    const before = new Date(Date.now() - 28.5 * 3_600_000).toISOString();
    expect((await first.req('POST', '/api/calls/missed/seen', { before })).status).toBe(204);
    expect(await count(first)).toEqual({ count: 1, since: before });
    expect(await count(second)).toEqual({ count: 2, since: null });
    const token = await h.admin.req('POST', '/api/tokens', { name: 'script', role: 'viewer' });
    const secret = createdSecretSchema.parse(token.body).secret;
    h.passwords.add(secret);
    const script = client(url, 'script', { authorization: `Bearer ${secret}` });
    expect(
      (await script.req('POST', '/api/calls/missed/seen', { before: new Date().toISOString() })).status,
    ).toBe(204);
    expect(await count(script)).toMatchObject({ count: 0 });
    expect(await count(second)).toMatchObject({ count: 2 });
  });
});

describe('GET /api/calls/export.csv', () => {
  it('is a dated attachment with every column, formula cells escaped, and audited with its filters', async () => {
    const res = await admin.req('GET', `/api/calls/export.csv?phoneId=${b}`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Bravo,1,outgoing,no_answer,"Desk ""2""",2001,,');
    expect(lines[1]).toContain(',alice,');
    expect(lines[2]).toContain(`"'@Anna, ACME, Inc"`);
    expect(lines[2]).toContain(`'+49301234567`);
    const all = await admin.req('GET', '/api/calls/export.csv');
    expect(all.text).toContain(`'=cmd()|calc`);
    expect(all.text).not.toMatch(/,=cmd/);
    const audit = await h.server.auditLog.page({ limit: 50 });
    const exports = audit.entries.filter((e) => e.action === 'calls:export');
    expect(exports.map((e) => e.params)).toContainEqual(expect.objectContaining({ phoneId: b, rows: 2 }));
  });
});

describe('prune', () => {
  it('deletes calls that ended before the limit, and the API no longer lists them', async () => {
    const old = storedCall({ id: 'old', phoneId: a, startedAt: '2020-01-01T00:00:00.000Z' });
    await store.save([old]);
    expect(await idsOf(admin, '?limit=500')).toContain('old');
    expect(await store.prune('2021-01-01T00:00:00.000Z')).toBe(1);
    expect(await idsOf(admin, '?limit=500')).not.toContain('old');
    expect(await idsOf(admin, '?limit=500')).toHaveLength(28);
  });
});
