/**
 * The session cache over HTTP against the real server: a checked session is not read again for a
 * moment (a row deleted by hand behind the server's back still signs in until the cache time ends),
 * while every end the server itself makes (sign-out, disabling, a role or phones change, expiry) is
 * seen on the very next request, cached or not.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../access/access.ts';
import { SessionCache } from './session-cache.ts';
import { type AuthHarness, expectError, expectIdleTimeout, startAuthHarness } from './test-support.ts';
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
