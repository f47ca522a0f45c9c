/**
 * Security round two, over HTTP against the real server and simulated phones: API tokens follow the user
 * who made them (disabled, deleted, demoted: the token stops), expire and can be limited to phones; a
 * display key reads only what its wall shows; a wall link from another site never replaces a session; a
 * 401 never clears the cookie; an operator with no phones has none; the Origin check compares the scheme;
 * the cookie is `__Host-` over HTTPS.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiTokenSchema, createdSecretSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../access/access.ts';
import { isAllowed } from '../access/permissions.ts';
import { openDatabase } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { migrations } from '../store/migrations/index.ts';
import { waitFor } from '../test-support/harness.ts';
import { testDatabase } from '../test-support/test-database.ts';
import {
  type AuthHarness,
  browser,
  type Client,
  client,
  cookieFrom,
  expectError,
  openEventStream,
  type SignedIn,
  send,
  startAuthHarness,
} from './test-support.ts';

const HOUR = 60 * 60 * 1000;
/** The server's clock: tests move it to expire tokens without waiting. */
let clock = Date.now();
let h: AuthHarness;
let a: string;
let b: string;

beforeAll(async () => {
  h = await startAuthHarness([{ name: 'Alpha' }, { name: 'Bravo' }], {
    commands: { confirmMs: 100, confirmPollMs: 20, dedupeMs: 0 },
    users: { now: () => clock },
  });
  a = h.phone('Alpha').id;
  b = h.phone('Bravo').id;
  await waitFor(
    () => h.server.cache.get(a)?.status === 'available' && h.server.cache.get(b)?.status === 'available',
  );
});
afterAll(async () => {
  await h?.close();
});

async function tokenOf(by: Client, body: Record<string, unknown>): Promise<{ id: string; script: Client }> {
  const made = await by.req('POST', '/api/tokens', body);
  expect(made.status, made.text).toBe(201);
  const { id, secret } = createdSecretSchema.parse(made.body);
  h.passwords.add(secret);
  return { id, script: client(h.url, `token ${String(body.name)}`, { authorization: `Bearer ${secret}` }) };
}

async function listedToken(id: string) {
  const list = await h.admin.req('GET', '/api/tokens');
  expect(list.status, list.text).toBe(200);
  const found = apiTokenSchema
    .array()
    .parse(list.body)
    .find((t) => t.id === id);
  expect(found, `token ${id} in ${list.text}`).toBeDefined();
  return found as NonNullable<typeof found>;
}

describe('API tokens follow the user who made them', () => {
  let creator: SignedIn;
  beforeAll(async () => {
    creator = await h.user('admin');
  });

  it('a disabled creator’s token stops at once; enabled again, it works again', async () => {
    const { id, script } = await tokenOf(creator, { name: 'disabled-maker', role: 'admin' });
    expect((await script.req('GET', '/api/users')).status).toBe(200);
    const listed = await listedToken(id);
    expect(listed.createdBy).toEqual({ id: creator.id, username: creator.username });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed.status).toBe('active');

    expect((await h.admin.req('PATCH', `/api/users/${creator.id}`, { disabled: true })).status).toBe(200);
    expectError(await script.req('GET', '/api/users'), 401, 'unauthenticated');
    expectError(
      await script.req('POST', '/api/users', {
        username: 'mallory',
        password: 'long enough pw 1',
        role: 'admin',
      }),
      401,
      'unauthenticated',
    );
    expect((await listedToken(id)).status).toBe('creator_disabled');
    expect((await h.admin.req('PATCH', `/api/users/${creator.id}`, { disabled: false })).status).toBe(200);
    expect((await script.req('GET', '/api/users')).status).toBe(200);
  });

  it('a creator who is no longer an admin (the role making tokens needs) stops all their tokens', async () => {
    const maker = await h.user('admin');
    const adminToken = await tokenOf(maker, { name: 'admin-script', role: 'admin' });
    const viewerToken = await tokenOf(maker, { name: 'viewer-script', role: 'viewer' });
    expect((await viewerToken.script.req('GET', '/api/phones')).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${maker.id}`, { role: 'operator' })).status).toBe(200);
    expectError(await adminToken.script.req('GET', '/api/users'), 401, 'unauthenticated');
    expectError(await viewerToken.script.req('GET', '/api/phones'), 401, 'unauthenticated');
    expect((await listedToken(adminToken.id)).status).toBe('creator_role');
    expect((await listedToken(viewerToken.id)).status).toBe('creator_role');
  });

  it('a deleted creator’s tokens stop, and the list says who made them is gone', async () => {
    const maker = await h.user('admin');
    const { id, script } = await tokenOf(maker, { name: 'orphan', role: 'operator' });
    // A token made by an admin token is its maker's: it goes with them.
    const adminScript = await tokenOf(maker, { name: 'maker-admin', role: 'admin' });
    const grandchild = await tokenOf(adminScript.script, { name: 'grandchild', role: 'viewer' });
    expect((await listedToken(grandchild.id)).createdBy?.id).toBe(maker.id);

    expect((await h.admin.req('DELETE', `/api/users/${maker.id}`)).status).toBe(204);
    expectError(await script.req('GET', '/api/phones'), 401, 'unauthenticated');
    expectError(await grandchild.script.req('GET', '/api/phones'), 401, 'unauthenticated');
    const listed = await listedToken(id);
    expect(listed.createdBy).toEqual({ id: maker.id, username: null });
    expect(listed.status).toBe('creator_missing');
  });

  it('a token without a creator (made before creators were kept, no admin left to own it) is refused', async () => {
    const { id, script } = await tokenOf(h.admin, { name: 'legacy', role: 'viewer' });
    expect((await script.req('GET', '/api/phones')).status).toBe(200);
    await h.server.db.updateTable('api_tokens').set({ created_by: null }).where('id', '=', id).execute();
    clock += 2 * 60 * 1000; // past any cache of the token
    expectError(await script.req('GET', '/api/phones'), 401, 'unauthenticated');
    expect((await listedToken(id)).status).toBe('creator_missing');
  });

  it('expires at expiresAt; a past or malformed expiry is refused', async () => {
    const expiresAt = new Date(clock + HOUR).toISOString();
    const { id, script } = await tokenOf(h.admin, { name: 'short', role: 'viewer', expiresAt });
    expect((await listedToken(id)).expiresAt).toBe(expiresAt);
    expect((await script.req('GET', '/api/phones')).status).toBe(200);
    clock += HOUR + 1000;
    expectError(await script.req('GET', '/api/phones'), 401, 'unauthenticated');
    expect((await listedToken(id)).status).toBe('expired');
    const past = new Date(clock - 1000).toISOString();
    for (const bad of [past, 'tomorrow']) {
      expectError(
        await h.admin.req('POST', '/api/tokens', { name: 'bad', role: 'viewer', expiresAt: bad }),
        400,
        'invalid_input',
      );
    }
  });

  it('its open event stream ends when its creator is disabled, and when it expires', async () => {
    const maker = await h.user('admin');
    const { script } = await tokenOf(maker, { name: 'streamer', role: 'viewer' });
    const stream = openEventStream(h.url, script.headers);
    expect(await stream.status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${maker.id}`, { disabled: true })).status).toBe(200);
    await stream.ended;

    // The server's clock stands still in this file: the expiry is 1.5 s of real time from its "now".
    const expiresAt = new Date(clock + 1500).toISOString();
    const short = await tokenOf(h.admin, { name: 'short-stream', role: 'viewer', expiresAt });
    const expiring = openEventStream(h.url, short.script.headers);
    expect(await expiring.status).toBe(200);
    const opened = Date.now();
    await expiring.ended;
    expect(Date.now() - opened).toBeGreaterThan(1000);
  });

  it('limited to phones like an operator: controls and sees only those', async () => {
    const { id, script } = await tokenOf(h.admin, { name: 'desk-a', role: 'operator', phoneIds: [a] });
    expect((await listedToken(id)).phoneIds).toEqual([a]);
    expect((await script.req('POST', `/api/phones/${a}/calls`, { number: '201' })).status).toBe(200);
    expectError(await script.req('POST', `/api/phones/${b}/calls`, { number: '202' }), 403, 'forbidden');
    const viewerB = await tokenOf(h.admin, { name: 'view-b', role: 'viewer', phoneIds: [b] });
    expectError(await viewerB.script.req('GET', `/api/phones/${a}/state`), 403, 'forbidden');
    const seen = await viewerB.script.req<{ id: string }[]>('GET', '/api/phones');
    expect(seen.body.map((p) => p.id)).toEqual([b]);
    // Without phoneIds a token acts on all phones, as tokens always did.
    const all = await tokenOf(h.admin, { name: 'all', role: 'operator' });
    expect((await listedToken(all.id)).phoneIds).toBeNull();
    expect((await all.script.req('POST', `/api/phones/${b}/calls`, { number: '203' })).status).toBe(200);
    for (const phoneIds of [['nope'], []]) {
      expectError(
        await h.admin.req('POST', '/api/tokens', { name: 'x', role: 'viewer', phoneIds }),
        400,
        'invalid_input',
      );
    }
  });
});

describe('a display key reads what its wall shows, nothing else', () => {
  let wall: Client;
  beforeAll(async () => {
    const made = await h.admin.req('POST', '/api/display-keys', { name: 'Lobby', phoneIds: [a] });
    const { secret } = createdSecretSchema.parse(made.body);
    h.passwords.add(secret);
    const opened = await send(h.url, 'GET', `/wall?key=${secret}`);
    expect(opened.status, opened.text).toBe(303);
    wall = browser(h.url, cookieFrom(opened), 'wall');
  });

  it('its phones’ state, counters and the stream', async () => {
    expect((await wall.req<{ id: string }[]>('GET', '/api/phones')).body.map((p) => p.id)).toEqual([a]);
    expect((await wall.req('GET', `/api/phones/${a}/state`)).status).toBe(200);
    expect((await wall.req('GET', '/api/calls/today')).status).toBe(200);
    expect((await wall.req('GET', '/api/session')).status).toBe(200);
  });

  it('no contacts, no passthrough, no other phone', async () => {
    for (const path of [
      '/api/contacts',
      '/api/contacts/search?q=a',
      `/cti/${a}/cgi-bin/api-get_line_status`,
      `/cti/${a}/cgi-bin/api-get_phone_status`,
      `/api/phones/${b}`,
      `/api/phones/${b}/state`,
      '/api/calls',
    ]) {
      const res = await wall.req('GET', path);
      expect(res.status, `${path}: ${res.text}`).toBe(403);
    }
  });

  it('the roles table says so too', () => {
    const display: Principal = { userId: null, username: 'd', role: 'viewer', phoneIds: [], kind: 'display' };
    expect(isAllowed(display, 'contacts:read')).toBe(false);
    expect(isAllowed(display, 'cti:read')).toBe(false);
    expect(isAllowed(display, 'phones:read')).toBe(true);
  });
});

describe('a wall link from another site', () => {
  let secret: string;
  beforeAll(async () => {
    const made = await h.admin.req('POST', '/api/display-keys', { name: 'Hall', phoneIds: [] });
    secret = createdSecretSchema.parse(made.body).secret;
    h.passwords.add(secret);
  });

  it('never sets a cookie: it shows a page whose same-site button continues', async () => {
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { referer: 'http://evil.example/page' },
      { origin: 'http://evil.example' },
    ];
    for (const headers of foreign) {
      const res = await send(h.url, 'GET', `/wall?key=${secret}&theme=light`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.headers['set-cookie'], JSON.stringify(headers)).toBeUndefined();
      expect(res.text).toContain('another site');
      expect(res.text).toMatch(/<form method="get" action="\/wall">/);
      expect(res.text).toContain(`name="key" value="${secret}"`);
      expect(res.text).toContain('name="theme" value="light"');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    // The button's own navigation, a typed address or a bookmark sign the wall in.
    const ours: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of ours) {
      const res = await send(h.url, 'GET', `/wall?key=${secret}`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(303);
      expect(cookieFrom(res)).not.toBe('');
    }
  });

  it('a 401 for an ended session leaves the cookie alone; signing out clears it', async () => {
    const opened = await send(h.url, 'GET', `/wall?key=${secret}`);
    const oldCookie = cookieFrom(opened);
    // The kiosk opens its link again: the old session ends, the browser holds a new cookie.
    const again = await send(h.url, 'GET', `/wall?key=${secret}`, { headers: { cookie: oldCookie } });
    expect(cookieFrom(again)).not.toBe('');
    // A request still carrying the old cookie fails, and must not wipe the new cookie.
    const late = await browser(h.url, oldCookie).req('GET', '/api/state');
    expectError(late, 401, 'unauthenticated');
    expect(late.headers['set-cookie']).toBeUndefined();
    const out = await browser(h.url, cookieFrom(again)).req('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/linedeck_session=;/);
  });
});

describe('an operator with no phones has none', () => {
  it('sees and controls nothing', async () => {
    const op = await h.user('operator');
    expect((await op.req<unknown[]>('GET', '/api/phones')).body).toEqual([]);
    expect((await op.req<{ phones: unknown[] }>('GET', '/api/state')).text).not.toContain(a);
    expectError(await op.req('GET', `/api/phones/${a}`), 403, 'forbidden');
    expectError(await op.req('POST', `/api/phones/${a}/calls`, { number: '204' }), 403, 'forbidden');
    // Refused like a phone that does not exist (the passthrough does not say which phones exist).
    expect([403, 404]).toContain((await op.req('GET', `/cti/${a}/cgi-bin/api-get_line_status`)).status);
  });
});

describe('the Origin check compares the scheme', () => {
  it('https://<this host> is another origin for an http server', async () => {
    const op = await h.user('operator', { phoneIds: [a] });
    const httpsOrigin = h.url.replace(/^http:/, 'https:');
    const res = await client(h.url, 'evil', { cookie: op.cookie, origin: httpsOrigin }).req(
      'POST',
      `/api/phones/${a}/calls`,
      { number: '205' },
    );
    expectError(res, 403, 'forbidden');
    expect((await op.req('POST', `/api/phones/${a}/calls`, { number: '206' })).status).toBe(200);
  });
});

describe('over HTTPS the cookie is __Host-', () => {
  let tls: AuthHarness;
  beforeAll(async () => {
    tls = await startAuthHarness([], { config: { trustProxy: 'loopback' } });
  });
  afterAll(async () => {
    await tls?.close();
  });

  it('__Host-linedeck_session, Secure, Path=/, no Domain; the plain name is not read over HTTPS', async () => {
    await tls.admin.req('POST', '/api/users', {
      username: 'tls-user',
      password: 'tls user password 1',
      role: 'viewer',
    });
    const httpsOrigin = tls.url.replace(/^http:/, 'https:');
    const https = { 'x-forwarded-proto': 'https', origin: httpsOrigin };
    const signedIn = await send(tls.url, 'POST', '/api/session', {
      body: { username: 'tls-user', password: 'tls user password 1' },
      headers: https,
    });
    expect(signedIn.status, signedIn.text).toBe(200);
    const setCookie = String(signedIn.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-linedeck_session=lds_[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const id = /^__Host-linedeck_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
    tls.passwords.add(id);
    const hostCookie = { ...https, cookie: `__Host-linedeck_session=${id}` };
    expect((await send(tls.url, 'GET', '/api/session', { headers: hostCookie })).status).toBe(200);
    const plain = { ...https, cookie: `linedeck_session=${id}` };
    expectError(await send(tls.url, 'GET', '/api/session', { headers: plain }), 401, 'unauthenticated');
    // Plain HTTP keeps the plain name (a LAN address without TLS cannot hold a __Host- cookie).
    const overHttp = await tls.signIn('tls-user', 'tls user password 1');
    expect(cookieFrom(overHttp)).toMatch(/^linedeck_session=lds_/);
  });
});

describe('migration 011', () => {
  it('hands tokens without a creator to the oldest active admin', async () => {
    const database = await testDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-011-'));
    const store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl, migrate: false });
    try {
      const before = migrations.slice(
        0,
        migrations.findIndex((m) => m.name === '011-tokens-owner'),
      );
      await migrateToLatest(store.db, store.dialect, before);
      const user = (id: string, role: string, disabled: number, at: string) => ({
        id,
        username: id,
        password_hash: 'x',
        role,
        phone_ids: '[]',
        disabled,
        must_change_password: 0,
        created_at: at,
        updated_at: at,
      });
      await store.db
        .insertInto('users')
        .values([
          user('gone-admin', 'admin', 1, '2024-01-01T00:00:00.000Z'),
          user('old-viewer', 'viewer', 0, '2024-01-02T00:00:00.000Z'),
          user('first-admin', 'admin', 0, '2024-01-03T00:00:00.000Z'),
          user('later-admin', 'admin', 0, '2024-01-04T00:00:00.000Z'),
        ])
        .execute();
      const token = (id: string, createdBy: string | null) => ({
        id,
        name: id,
        role: 'viewer',
        secret_hash: `hash-${id}`,
        created_by: createdBy,
        created_at: '2024-02-01T00:00:00.000Z',
      });
      await store.db
        .insertInto('api_tokens')
        .values([token('unowned', null), token('owned', 'later-admin')])
        .execute();
      await migrateToLatest(store.db, store.dialect);
      const rows = await store.db
        .selectFrom('api_tokens')
        .select(['id', 'created_by', 'expires_at', 'phone_ids'])
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        { id: 'owned', created_by: 'later-admin', expires_at: null, phone_ids: null },
        { id: 'unowned', created_by: 'first-admin', expires_at: null, phone_ids: null },
      ]);
    } finally {
      await store.close();
      await database.release();
    }
  });
});
