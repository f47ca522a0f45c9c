/**
 * The session cache over HTTP against the real server: a checked session is not read again for a
 * moment (a row deleted by hand behind the server's back still signs in until the cache time ends),
 * while every end the server itself makes (sign-out, disabling, a role or phones change, expiry) is
 * seen on the very next request, cached or not. API tokens likewise (revocation, their creator's state,
 * their expiry).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../access/access.ts';
import { SessionCache } from './session-cache.ts';
import { type AuthHarness, expectError, expectIdleTimeout, send, startAuthHarness } from './test-support.ts';
import type { SessionRecord } from './users-repository.ts';

const HOUR = 60 * 60 * 1000;
let clock = Date.parse('2030-01-01T00:00:00Z');
let h: AuthHarness;

beforeAll(async () => {
  h = await startAuthHarness([], { users: { now: () => clock, settings: { sessionCacheMs: 2000 } } });
});
afterAll(async () => {
  await h?.close();
});

const roleOf = (reply: { body: unknown }) => (reply.body as { user?: { role?: string } }).user?.role;

describe('session cache', () => {
  it('reuses a checked session for its cache time, then reads the database again', async () => {
    const u = await h.user('viewer');
    expect((await u.req('GET', '/api/session')).status).toBe(200);
    // Behind the server's back: only the cache can still sign this request in.
    await h.server.db.deleteFrom('sessions').where('user_id', '=', u.id).execute();
    expect((await u.req('GET', '/api/session')).status).toBe(200);
    clock += 2001;
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
  });

  it('sees sign-out, disabling and a new role on the next request, though the session was cached', async () => {
    const out = await h.user('viewer');
    expect((await out.req('GET', '/api/session')).status).toBe(200);
    expect((await out.req('DELETE', '/api/session')).status).toBe(204);
    expectError(
      await out.req('GET', '/api/session', undefined, { cookie: out.cookie }),
      401,
      'unauthenticated',
    );

    const promoted = await h.user('viewer');
    expect(roleOf(await promoted.req('GET', '/api/session'))).toBe('viewer');
    expect((await h.admin.req('PATCH', `/api/users/${promoted.id}`, { role: 'operator' })).status).toBe(200);
    expect(roleOf(await promoted.req('GET', '/api/session'))).toBe('operator');

    const disabled = await h.user('operator');
    expect((await disabled.req('GET', '/api/session')).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    expectError(await disabled.req('GET', '/api/session'), 401, 'unauthenticated');
  });
});

describe('token cache', () => {
  async function token(body: Record<string, unknown>) {
    const made = await h.admin.req<{ id: string; secret: string }>('POST', '/api/tokens', body);
    expect(made.status, made.text).toBe(201);
    h.passwords.add(made.body.secret);
    const headers = { authorization: `Bearer ${made.body.secret}` };
    return { id: made.body.id, get: (path: string) => send(h.url, 'GET', path, { headers }) };
  }

  it('reuses a checked token for the cache time, then reads the database again', async () => {
    const t = await token({ name: 'cached-script', role: 'viewer' });
    expect((await t.get('/api/phones')).status).toBe(200);
    // Behind the server's back: only the cache can still let this token in.
    await h.server.db.deleteFrom('api_tokens').where('id', '=', t.id).execute();
    expect((await t.get('/api/phones')).status).toBe(200);
    clock += 2001;
    expectError(await t.get('/api/phones'), 401, 'unauthenticated');
  });

  it('sees a revocation and its creator disabled on the next request, though the token was cached', async () => {
    const revoked = await token({ name: 'revoked-script', role: 'viewer' });
    expect((await revoked.get('/api/phones')).status).toBe(200);
    expect((await h.admin.req('DELETE', `/api/tokens/${revoked.id}`)).status).toBe(204);
    expectError(await revoked.get('/api/phones'), 401, 'unauthenticated');

    const maker = await h.user('admin');
    const made = await maker.req<{ secret: string }>('POST', '/api/tokens', {
      name: 'maker-script',
      role: 'viewer',
    });
    expect(made.status, made.text).toBe(201);
    h.passwords.add(made.body.secret);
    const headers = { authorization: `Bearer ${made.body.secret}` };
    expect((await send(h.url, 'GET', '/api/phones', { headers })).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${maker.id}`, { disabled: true })).status).toBe(200);
    expectError(await send(h.url, 'GET', '/api/phones', { headers }), 401, 'unauthenticated');
  });

  it('checks a cached token against its expiry on every request', async () => {
    const t = await token({
      name: 'expiring',
      role: 'viewer',
      expiresAt: new Date(clock + 1000).toISOString(),
    });
    expect((await t.get('/api/phones')).status).toBe(200);
    clock += 1000;
    expectError(await t.get('/api/phones'), 401, 'unauthenticated');
  });
});

describe('session cache and expiry', () => {
  let timed: AuthHarness;
  beforeAll(async () => {
    // A cache time longer than the idle timeout: only the check on the cached row can end the session.
    timed = await startAuthHarness([], {
      users: { now: () => clock, settings: { sessionCacheMs: 48 * HOUR } },
    });
  });
  afterAll(async () => {
    await timed?.close();
  });

  it('ends a cached session after 12 h idle, and keeps "last seen" moving while it is used', async () => {
    await expectIdleTimeout(timed, (ms) => {
      clock += ms;
    });
  });
});

describe('SessionCache', () => {
  const session: SessionRecord = {
    idHash: 'h',
    userId: 'u',
    displayKeyId: null,
    createdAt: 0,
    lastSeenAt: 0,
    expiresAt: 10,
  };
  const principal = (): Principal => ({
    userId: 'u',
    username: 'u',
    role: 'viewer',
    phoneIds: [],
    kind: 'user',
    viaCookie: true,
    sessionHash: 'h',
  });

  it('does not keep a row read before a write that finished while it was read', () => {
    const cache = new SessionCache(1000);
    const mark = cache.mark();
    cache.clear();
    cache.put('h', session, principal(), mark, 0);
    expect(cache.get('h', 1)).toBeUndefined();
    cache.put('h', session, principal(), cache.mark(), 0);
    expect(cache.get('h', 1)?.principal.role).toBe('viewer');
    expect(cache.get('h', 1000)).toBeUndefined();
  });
});
