/**
 * Signing in and out over HTTP against the real server: the cookie, the
 * same answer for every bad sign-in, rate limits, password changes, the
 * must-change-password gate, disabling, idle and absolute expiry, sessions
 * surviving a restart, the first admin, and the headers every answer carries.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sessionSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
import { waitFor } from '../test-support/harness.ts';
import { type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import {
  type AuthHarness,
  answersThatMustNotHoldSecrets,
  browser,
  client,
  cookieFrom,
  expectError,
  expectIdleTimeout,
  FAST_SCRYPT,
  openEventStream,
  type SignedIn,
  send,
  startAuthHarness,
} from './test-support.ts';

const HOUR = 60 * 60 * 1000;
let h: AuthHarness;

beforeAll(async () => {
  h = await startAuthHarness([]);
});
afterAll(async () => {
  await h?.close();
});

describe('POST /api/session', () => {
  it('answers { user } and sets an HttpOnly, SameSite=Strict, Path=/ cookie (no Secure over http)', async () => {
    const u = await h.user('operator');
    const res = await h.signIn(u.username, u.password);
    expect(res.status).toBe(200);
    expect(sessionSchema.parse(res.body).user).toMatchObject({
      id: u.id,
      username: u.username,
      role: 'operator',
      mustChangePassword: false,
    });
    const cookie = String(res.headers['set-cookie']?.[0]);
    expect(cookie).toMatch(/^linedeck_session=lds_[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=2592000/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('gives the same answer for an unknown user, a wrong password and a disabled user', async () => {
    const u = await h.user('viewer');
    const disabled = await h.user('viewer');
    expect((await h.admin.req('PATCH', `/api/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    const answers = [
      await h.signIn('nobody-here', u.password),
      await h.signIn(u.username, `${u.password}x`),
      await h.signIn(disabled.username, disabled.password),
    ];
    const messages = answers.map((r) => expectError(r, 401, 'unauthenticated'));
    expect(new Set(messages).size).toBe(1);
    for (const r of answers) expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('is case-insensitive on the username and refuses unknown fields and bad bodies', async () => {
    const u = await h.user('viewer', { username: 'CaseUser' });
    expect((await h.signIn('caseuser', u.password)).status).toBe(200);
    const extra = await send(h.url, 'POST', '/api/session', {
      body: { username: u.username, password: u.password, role: 'admin' },
    });
    expectError(extra, 400, 'invalid_input');
    expectError(await send(h.url, 'POST', '/api/session', { rawBody: '{nope' }), 400, 'invalid_input');
  });
});

describe('GET and DELETE /api/session', () => {
  it('says who is signed in, signs out, and the old cookie no longer works', async () => {
    const u = await h.user('viewer');
    const me = await u.req('GET', '/api/session');
    expect(sessionSchema.parse(me.body).user.username).toBe(u.username);
    const out = await u.req('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/linedeck_session=;/);
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
    expect((await u.req('DELETE', '/api/session')).status).toBe(204);
  });

  it('another site cannot sign a user out', async () => {
    const u = await h.user('viewer');
    const evil = client(h.url, 'evil', { cookie: u.cookie, origin: 'http://evil.example' });
    expectError(await evil.req('DELETE', '/api/session'), 403, 'forbidden');
    expect((await u.req('GET', '/api/session')).status).toBe(200);
  });

  it('stores only a hash of the session id', async () => {
    const u = await h.user('viewer');
    const id = u.cookie.split('=')[1] as string;
    const rows = await h.server.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).toContain(createHash('sha256').update(id).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(id);
  });
});

describe('disabling a user', () => {
  it('ends their sessions and open event streams at once', async () => {
    const u = await h.user('operator');
    const stream = openEventStream(h.url, { cookie: u.cookie });
    expect(await stream.status).toBe(200);
    expect((await u.req('GET', '/api/phones')).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${u.id}`, { disabled: true })).status).toBe(200);
    expectError(await u.req('GET', '/api/phones'), 401, 'unauthenticated');
    await stream.ended;
    expectError(await h.signIn(u.username, u.password), 401, 'unauthenticated');
    // Enabled again: they sign in anew (the old session stays dead).
    expect((await h.admin.req('PATCH', `/api/users/${u.id}`, { disabled: false })).status).toBe(200);
    expectError(await u.req('GET', '/api/phones'), 401, 'unauthenticated');
    expect((await h.signIn(u.username, u.password)).status).toBe(200);
  });

  it('deleting a user ends their sessions too', async () => {
    const u = await h.user('viewer');
    expect((await h.admin.req('DELETE', `/api/users/${u.id}`)).status).toBe(204);
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
  });
});

describe('passwords', () => {
  it('a reset by an admin ends the sessions and forces a change before anything else', async () => {
    const u = await h.user('operator');
    const temporary = 'temporary-pw-1234';
    h.passwords.add(temporary);
    expect((await h.admin.req('PATCH', `/api/users/${u.id}`, { password: temporary })).status).toBe(200);
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
    expectError(await h.signIn(u.username, u.password), 401, 'unauthenticated');

    const signIn = await h.signIn(u.username, temporary);
    expect(sessionSchema.parse(signIn.body).user.mustChangePassword).toBe(true);
    const tab = browser(h.url, cookieFrom(signIn));
    // Everything but GET/DELETE /api/session and the password change is refused.
    for (const [method, p] of [
      ['GET', '/api/phones'],
      ['GET', '/api/state'],
      ['GET', '/api/events'],
      ['GET', '/api/users'],
    ]) {
      const message = expectError(await tab.req(method as string, p as string), 403, 'forbidden');
      expect(message).toMatch(/change your password/i);
    }
    expect(sessionSchema.parse((await tab.req('GET', '/api/session')).body).user.mustChangePassword).toBe(
      true,
    );

    expectError(
      await tab.req('POST', '/api/session/password', {
        currentPassword: 'wrong-password',
        newPassword: 'my-own-pw-123',
      }),
      400,
      'invalid_input',
    );
    expectError(
      await tab.req('POST', '/api/session/password', { currentPassword: temporary, newPassword: temporary }),
      400,
      'invalid_input',
    );
    expectError(
      await tab.req('POST', '/api/session/password', { currentPassword: temporary, newPassword: 'short' }),
      400,
      'invalid_input',
    );
    const newPassword = 'my-own-pw-123';
    h.passwords.add(newPassword);
    const changed = await tab.req('POST', '/api/session/password', {
      currentPassword: temporary,
      newPassword,
    });
    expect(changed.status, changed.text).toBe(200);
    expect(sessionSchema.parse(changed.body).user.mustChangePassword).toBe(false);
    expect((await tab.req('GET', '/api/phones')).status).toBe(200);
    expectError(await h.signIn(u.username, temporary), 401, 'unauthenticated');
    expect((await h.signIn(u.username, newPassword)).status).toBe(200);
  });

  it('changing your password signs out your other sessions', async () => {
    const u = await h.user('viewer');
    const other = browser(h.url, cookieFrom(await h.signIn(u.username, u.password)));
    const newPassword = 'another-pw-4567';
    h.passwords.add(newPassword);
    const res = await u.req('POST', '/api/session/password', { currentPassword: u.password, newPassword });
    expect(res.status, res.text).toBe(200);
    expect((await u.req('GET', '/api/session')).status).toBe(200);
    expectError(await other.req('GET', '/api/session'), 401, 'unauthenticated');
  });

  it('an API token has no password to change', async () => {
    const token = await h.admin.req<{ secret: string }>('POST', '/api/tokens', { name: 'pw', role: 'admin' });
    const script = client(h.url, 'script', { authorization: `Bearer ${token.body.secret}` });
    expectError(
      await script.req('POST', '/api/session/password', {
        currentPassword: 'x',
        newPassword: 'long enough pw',
      }),
      403,
      'forbidden',
    );
  });
});

describe('expiry', () => {
  let clock = Date.parse('2030-01-01T00:00:00Z');
  let timed: AuthHarness;
  let busy: SignedIn;
  beforeAll(async () => {
    timed = await startAuthHarness([], { users: { now: () => clock } });
    busy = await timed.user('viewer');
  });
  afterAll(async () => {
    await timed?.close();
  });

  it('a session ends after 12 h without a request, and stays alive while used', async () => {
    await expectIdleTimeout(timed, (ms) => {
      clock += ms;
    });
  });

  it('a session ends 30 days after sign-in, however busy', async () => {
    // Created before the clock moved (the harness's admin session has idled out since); signed in now.
    const u = browser(timed.url, cookieFrom(await timed.signIn(busy.username, busy.password)));
    expect((await u.req('GET', '/api/session')).status).toBe(200);
    const start = clock;
    while (clock - start < 30 * 24 * HOUR - 11 * HOUR) {
      clock += 11 * HOUR;
      expect((await u.req('GET', '/api/session')).status).toBe(200);
    }
    clock = start + 30 * 24 * HOUR;
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
  });
});

describe('headers and bodies', () => {
  it('every answer carries a CSP without inline scripts, and the other helmet headers', async () => {
    for (const res of [
      await h.anonymous.req('GET', '/api/health'),
      await h.anonymous.req('GET', '/api/phones'),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '));
      expect(scriptSrc?.trim()).toBe("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });

  it('bodies over 32 kB are refused before anything reads them', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(40_000), password: 'y' });
    const res = await send(h.url, 'POST', '/api/session', { rawBody: big, headers: { origin: h.url } });
    expect(res.status).toBe(413);
    const asAdmin = await send(h.url, 'POST', '/api/users', {
      rawBody: JSON.stringify({ username: 'big', password: 'z'.repeat(40_000), role: 'viewer' }),
      headers: h.admin.headers,
    });
    expect(asAdmin.status).toBe(413);
  });
});

describe('rate limits', () => {
  let limited: AuthHarness;
  beforeAll(async () => {
    limited = await startAuthHarness([], {
      users: { signInLimits: { perAddressAndUser: 3, perAddress: 5, perUser: 100 } },
    });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('successful sign-ins do not count', async () => {
    const u = await limited.user('viewer');
    for (let i = 0; i < 8; i++) expect((await limited.signIn(u.username, u.password)).status).toBe(200);
  });

  it('limits guessing the current password in a password change', async () => {
    const u = await limited.user('viewer');
    for (let i = 0; i < 3; i++) {
      const res = await u.req('POST', '/api/session/password', {
        currentPassword: 'not it at all',
        newPassword: 'whatever-pw-1',
      });
      expectError(res, 400, 'invalid_input');
    }
    expectError(
      await u.req('POST', '/api/session/password', {
        currentPassword: u.password,
        newPassword: 'whatever-pw-1',
      }),
      429,
      'rate_limited',
    );
  });

  it('trips per address and username with 429 rate_limited, even for the right password', async () => {
    const u = await limited.user('viewer');
    for (let i = 0; i < 3; i++)
      expectError(await limited.signIn(u.username, 'wrong password!'), 401, 'unauthenticated');
    const tripped = await limited.signIn(u.username, 'wrong password!');
    expectError(tripped, 429, 'rate_limited');
    expect(Number(tripped.headers['retry-after'])).toBeGreaterThan(0);
    expectError(await limited.signIn(u.username, u.password), 429, 'rate_limited');
  });

  it('trips per address across usernames', async () => {
    // 3 failed sign-ins so far from this address (password changes count separately); the limit is 5.
    expectError(await limited.signIn('ghost-1', 'wrong password!'), 401, 'unauthenticated');
    expectError(await limited.signIn('ghost-2', 'wrong password!'), 401, 'unauthenticated');
    expectError(await limited.signIn('ghost-3', 'wrong password!'), 429, 'rate_limited');
  });
});

describe('across restarts and at first start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-auth-'));
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  });
  // One database for both starts (the project's: SQLite in dataDir, or Postgres).
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await testDatabase();
  });
  const config = (over: Partial<Config> = {}): Config => ({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: database?.databaseUrl,
    simulatedPhones: 0,
    pollIntervalMs: 1000,
    ctiTimeoutMs: 400,
    logLevel: 'debug',
    phonesFile: undefined,
    secret: undefined,
    adminPassword: undefined,
    trustProxy: undefined,
    ...over,
  });
  const fast = { settings: { scrypt: FAST_SCRYPT } };
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.release();
  });

  it('without ADMIN_PASSWORD the first start generates a one-time password, shown only in the console message', async () => {
    const first = await startServer(config(), { logger, webDist: null, users: fast });
    let cookie = '';
    try {
      const generated = first.firstStart?.generatedPassword ?? '';
      expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
      const message = first.users?.signInMessage(first.url, first.firstStart) ?? '';
      expect(message).toContain(generated);
      expect(message).toContain(first.url);
      const res = await send(first.url, 'POST', '/api/session', {
        body: { username: 'admin', password: generated },
        headers: { origin: first.url },
      });
      expect(sessionSchema.parse(res.body).user).toMatchObject({ role: 'admin', mustChangePassword: true });
      cookie = cookieFrom(res);
      const tab = browser(first.url, cookie);
      expectError(await tab.req('GET', '/api/phones'), 403, 'forbidden');
      const changed = await tab.req('POST', '/api/session/password', {
        currentPassword: generated,
        newPassword: 'the-admins-own-pw',
      });
      expect(changed.status, changed.text).toBe(200);
      expect(lines.join('\n')).not.toContain(generated);
    } finally {
      await first.close();
    }

    // Second start, same DATA_DIR: no new admin, and the session (stored server-side) survives.
    const second = await startServer(config({ adminPassword: 'ignored-now-123' }), {
      logger,
      webDist: null,
      users: fast,
    });
    try {
      expect(second.firstStart).toBeNull();
      const me = await browser(second.url, cookie).req('GET', '/api/session');
      expect(me.status, me.text).toBe(200);
      expect(sessionSchema.parse(me.body).user.username).toBe('admin');
      expectError(
        await send(second.url, 'POST', '/api/session', {
          body: { username: 'admin', password: 'ignored-now-123' },
          headers: { origin: second.url },
        }),
        401,
        'unauthenticated',
      );
    } finally {
      await second.close();
    }
  });

  it('behind a trusted proxy, an https request gets a Secure cookie', async () => {
    const proxied = await startServer(config({ trustProxy: 1, adminPassword: undefined }), {
      logger,
      webDist: null,
      users: fast,
    });
    try {
      const body = { username: 'admin', password: 'the-admins-own-pw' };
      const plain = await send(proxied.url, 'POST', '/api/session', {
        body,
        headers: { origin: proxied.url },
      });
      expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
      const tls = await send(proxied.url, 'POST', '/api/session', {
        body,
        headers: { origin: proxied.url.replace(/^http:/, 'https:'), 'x-forwarded-proto': 'https' },
      });
      expect(tls.status, tls.text).toBe(200);
      expect(String(tls.headers['set-cookie'])).toMatch(/^__Host-linedeck_session=.*; Secure/);
    } finally {
      await proxied.close();
    }
  });
});

describe('nothing secret leaves the server', () => {
  it('no response or log line holds a password', async () => {
    await waitFor(() => h.logLines.length > 0);
    expect(answersThatMustNotHoldSecrets().length).toBeGreaterThan(20);
    const haystack = [...h.responses, ...answersThatMustNotHoldSecrets(), ...h.logLines].join('\n');
    for (const secret of [...h.passwords, ...h.secrets]) expect(haystack).not.toContain(secret);
  });
});
