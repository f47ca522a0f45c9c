/**
 * Accounts over HTTP against the real server: the password rule (length and a strength estimate, the
 * server deciding), weaker old passwords asked to change at sign-in, a user's own sessions (listed, ended
 * one by one), an admin ending all of a user's sessions, configurable session lifetimes, and the TOTP
 * second factor of admins with its one-time recovery codes.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.ts';
import { hashPassword } from './passwords.ts';
import {
  type AuthHarness,
  answersThatMustNotHoldSecrets,
  browser,
  cookieFrom,
  expectError,
  FAST_SCRYPT,
  type Reply,
  type SignedIn,
  send,
  startAuthHarness,
} from './test-support.ts';

let h: AuthHarness;
let clock = Date.now();

beforeAll(async () => {
  h = await startAuthHarness([], {
    users: { now: () => clock, signInLimits: { perAddressAndUser: 6, perAddress: 1000, perUser: 1000 } },
  });
});
afterAll(async () => {
  await h?.close();
});

const totpAt = (secret: string): Promise<string> => generate({ secret, epoch: Math.floor(clock / 1000) });

function signInFrom(username: string, password: string, userAgent: string): Promise<Reply> {
  return send(h.url, 'POST', '/api/session', {
    body: { username, password },
    headers: { origin: h.url, 'user-agent': userAgent },
  });
}

describe('the password rule', () => {
  it('refuses a common password of 12 characters, with the estimator feedback, and changes nothing', async () => {
    const u = await h.user('viewer');
    const res = await u.req('POST', '/api/session/password', {
      currentPassword: u.password,
      newPassword: 'password1234',
    });
    const message = expectError(res, 400, 'invalid_input');
    expect(message).toMatch(/too easy to guess/i);
    const issues = (res.body as { error: { issues: { path: string; message: string }[] } }).error.issues;
    expect(issues[0]?.path).toBe('newPassword');
    expect(issues[0]?.message).toMatch(/common/i);
    expect((await h.signIn(u.username, u.password)).status).toBe(200);
  });

  it('refuses 11 characters, and passwords made of the username or "linedeck"', async () => {
    const u = await h.user('viewer', { username: 'quentin-q' });
    for (const newPassword of ['k7#Vq9!zR2m', 'Quentin-q2026', 'LineDeck2026']) {
      const res = await u.req('POST', '/api/session/password', { currentPassword: u.password, newPassword });
      expectError(res, 400, 'invalid_input');
    }
  });

  it('refuses a weak password when an admin creates a user or resets one', async () => {
    expectError(
      await h.admin.req('POST', '/api/users', {
        username: 'weakling',
        password: 'qwerty123456',
        role: 'viewer',
      }),
      400,
      'invalid_input',
    );
    const u = await h.user('viewer');
    expectError(
      await h.admin.req('PATCH', `/api/users/${u.id}`, { password: 'iloveyou1234' }),
      400,
      'invalid_input',
    );
    expect((await h.signIn(u.username, u.password)).status).toBe(200);
  });

  it('accepts a strong password', async () => {
    const u = await h.user('viewer');
    const res = await u.req('POST', '/api/session/password', {
      currentPassword: u.password,
      newPassword: 'amber-tulip-orbit-93',
    });
    expect(res.status, res.text).toBe(200);
  });

  it('lets a user whose old password is now too weak sign in, and asks for a new one', async () => {
    const repo = h.server.users?.repository;
    if (!repo) throw new Error('no users');
    const passwordHash = await hashPassword('hunter2hunter', FAST_SCRYPT);
    await repo.insertUser(
      { username: 'old-timer', passwordHash, role: 'operator', phoneIds: [], mustChangePassword: false },
      new Date().toISOString(),
    );
    const res = await h.signIn('old-timer', 'hunter2hunter');
    expect(res.status, res.text).toBe(200);
    expect((res.body as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    const tab = browser(h.url, cookieFrom(res));
    expectError(await tab.req('GET', '/api/phones'), 403, 'forbidden');
  });

  it('judges a stored password at one sign-in only, and a new password not at all', async () => {
    const repo = h.server.users?.repository;
    if (!repo) throw new Error('no users');
    const weakHash = await hashPassword('hunter2hunter', FAST_SCRYPT);
    await repo.insertUser(
      {
        username: 'weak-once',
        passwordHash: weakHash,
        role: 'viewer',
        phoneIds: [],
        mustChangePassword: false,
      },
      new Date().toISOString(),
    );
    const strong = await h.user('viewer');
    const judged = vi.spyOn(ZxcvbnFactory.prototype, 'check');
    try {
      const mustChange = async (username: string, password: string) => {
        const res = await h.signIn(username, password);
        expect(res.status, res.text).toBe(200);
        return (res.body as { user: { mustChangePassword: boolean } }).user.mustChangePassword;
      };
      expect(await mustChange('weak-once', 'hunter2hunter')).toBe(true);
      expect(judged).toHaveBeenCalledTimes(1);
      expect(await mustChange('weak-once', 'hunter2hunter')).toBe(true);
      // Judged at the sign-in h.user made: later ones judge nothing.
      expect(await mustChange(strong.username, strong.password)).toBe(false);
      expect(await mustChange(strong.username, strong.password)).toBe(false);
      expect(judged).toHaveBeenCalledTimes(1);

      // The weak password is changed (judged as it is chosen): its next sign-ins judge nothing.
      const weak = browser(h.url, cookieFrom(await h.signIn('weak-once', 'hunter2hunter')));
      const changed = await weak.req('POST', '/api/session/password', {
        currentPassword: 'hunter2hunter',
        newPassword: 'amber-tulip-orbit-94',
      });
      expect(changed.status, changed.text).toBe(200);
      judged.mockClear();
      expect(await mustChange('weak-once', 'amber-tulip-orbit-94')).toBe(false);
      expect(judged).not.toHaveBeenCalled();
    } finally {
      judged.mockRestore();
    }
  });
});

describe('own sessions', () => {
  it('lists my sessions with device, address and times, the current one marked, and ends another', async () => {
    const u = await h.user('operator');
    const laptop = await signInFrom(u.username, u.password, 'Laptop Firefox/140');
    const phone = await signInFrom(u.username, u.password, 'Phone Safari/19');
    const tabA = browser(h.url, cookieFrom(laptop));
    const tabB = browser(h.url, cookieFrom(phone));
    const list = await tabA.req<
      {
        id: string;
        userAgent: string;
        address: string;
        createdAt: string;
        lastSeenAt: string;
        current: boolean;
      }[]
    >('GET', '/api/account/sessions');
    expect(list.status, list.text).toBe(200);
    expect(list.body).toHaveLength(3);
    const current = list.body.filter((s) => s.current);
    expect(current).toHaveLength(1);
    expect(current[0]?.userAgent).toBe('Laptop Firefox/140');
    expect(current[0]?.address).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(current[0]?.createdAt ?? '')).not.toBeNaN();
    const other = list.body.find((s) => s.userAgent === 'Phone Safari/19');
    if (!other) throw new Error('the other session is not listed');
    // Session ids are never shown: the listed id is not the cookie's secret nor its stored hash.
    expect(cookieFrom(phone)).not.toContain(other.id);

    expect((await tabA.req('DELETE', `/api/account/sessions/${other.id}`)).status).toBe(204);
    expectError(await tabB.req('GET', '/api/session'), 401, 'unauthenticated');
    expect((await tabA.req('GET', '/api/session')).status).toBe(200);

    // Someone else's session id is unknown to me.
    const stranger = await h.user('viewer');
    const mine = (await tabA.req<{ id: string }[]>('GET', '/api/account/sessions')).body;
    expectError(await stranger.req('DELETE', `/api/account/sessions/${mine[0]?.id}`), 404, 'not_found');
  });

  it('ends all my other sessions', async () => {
    const u = await h.user('viewer');
    const other = browser(h.url, cookieFrom(await signInFrom(u.username, u.password, 'Other')));
    expect((await u.req('DELETE', '/api/account/sessions')).status).toBe(204);
    expectError(await other.req('GET', '/api/session'), 401, 'unauthenticated');
    expect((await u.req('GET', '/api/session')).status).toBe(200);
  });

  it('lets an admin end every session of a user (audited), and no one else', async () => {
    const u = await h.user('operator');
    const op = await h.user('operator');
    expectError(await op.req('DELETE', `/api/users/${u.id}/sessions`), 403, 'forbidden');
    expect((await h.admin.req('DELETE', `/api/users/${u.id}/sessions`)).status).toBe(204);
    expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
    const audit = await h.admin.req<{ entries: { action: string; params: Record<string, unknown> }[] }>(
      'GET',
      '/api/audit?limit=20',
    );
    expect(
      audit.body.entries.some((e) => e.action === 'users:end-sessions' && e.params.userId === u.id),
    ).toBe(true);
  });
});

describe('session lifetimes', () => {
  it('reads SESSION_IDLE_MINUTES and SESSION_MAX_HOURS, defaults as before, refuses nonsense', () => {
    const defaults = loadConfig({});
    expect(defaults.sessionIdleMinutes).toBe(12 * 60);
    expect(defaults.sessionMaxHours).toBe(30 * 24);
    const set = loadConfig({ SESSION_IDLE_MINUTES: '15', SESSION_MAX_HOURS: '8' });
    expect([set.sessionIdleMinutes, set.sessionMaxHours]).toEqual([15, 8]);
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  it('ends a session after the configured idle time', async () => {
    let now = Date.now();
    const short = await startAuthHarness([], {
      config: { sessionIdleMinutes: 5 },
      users: { now: () => now },
    });
    try {
      const u = await short.user('viewer');
      now += 4 * 60_000;
      expect((await u.req('GET', '/api/session')).status).toBe(200);
      now += 6 * 60_000;
      expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
    } finally {
      await short.close();
    }
  });
});

interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

async function enrol(admin: SignedIn): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await admin.req<Enrolment>('POST', '/api/account/totp');
  expect(started.status, started.text).toBe(200);
  expect(started.body.uri).toMatch(/^otpauth:\/\/totp\/LineDeck:/);
  expect(started.body.qrSvg).toMatch(/^<svg/);
  h.passwords.add(started.body.secret);
  // Not on until a code proves the app has it.
  const before = await admin.req<{ totpEnabled: boolean }>('GET', '/api/account');
  expect(before.body.totpEnabled).toBe(false);
  expectError(await admin.req('POST', '/api/account/totp/confirm', { code: '000000' }), 400, 'invalid_input');
  const confirmed = await admin.req<{ recoveryCodes: string[] }>('POST', '/api/account/totp/confirm', {
    code: await totpAt(started.body.secret),
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  expect(confirmed.body.recoveryCodes).toHaveLength(10);
  for (const c of confirmed.body.recoveryCodes) h.passwords.add(c);
  return { secret: started.body.secret, recoveryCodes: confirmed.body.recoveryCodes };
}

async function passwordStep(username: string, password: string): Promise<string> {
  const res = await h.signIn(username, password);
  expect(res.status, res.text).toBe(200);
  expect(cookieFrom(res)).toBe('');
  const body = res.body as { secondFactor?: string; ticket?: string };
  expect(body.secondFactor).toBe('totp');
  return body.ticket ?? '';
}

function codeStep(username: string, ticket: string, code: string): Promise<Reply> {
  return send(h.url, 'POST', '/api/session/second-factor', {
    body: { username, ticket, code },
    headers: { origin: h.url },
  });
}

describe('TOTP second factor for admins', () => {
  it('enrols with a confirmed code, then asks for a code after the password', async () => {
    const admin = await h.user('admin');
    const { secret } = await enrol(admin);
    clock += 60_000;
    const ticket = await passwordStep(admin.username, admin.password);
    expectError(await codeStep(admin.username, ticket, '123456'), 401, 'unauthenticated');
    const code = await totpAt(secret);
    const ok = await codeStep(admin.username, ticket, code);
    expect(ok.status, ok.text).toBe(200);
    expect(cookieFrom(ok)).not.toBe('');
    expect((await browser(h.url, cookieFrom(ok)).req('GET', '/api/users')).status).toBe(200);
    // The same code again (replayed within its 30 s) does not sign in twice.
    const again = await passwordStep(admin.username, admin.password);
    expectError(await codeStep(admin.username, again, code), 401, 'unauthenticated');
    // A ticket is for one sign-in only.
    expectError(await codeStep(admin.username, ticket, await totpAt(secret)), 401, 'unauthenticated');
  });

  it('stores the secret sealed and the recovery codes hashed', async () => {
    const admin = await h.user('admin');
    const { secret, recoveryCodes } = await enrol(admin);
    const db = h.server.store?.db;
    if (!db) throw new Error('no store');
    const row = await db.selectFrom('users').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    const codes = await db.selectFrom('recovery_codes').selectAll().where('user_id', '=', admin.id).execute();
    expect(codes).toHaveLength(10);
    for (const c of recoveryCodes) expect(JSON.stringify(codes)).not.toContain(c);
  });

  it('takes a recovery code once', async () => {
    const admin = await h.user('admin');
    const { recoveryCodes } = await enrol(admin);
    const code = recoveryCodes[0] ?? '';
    const ok = await codeStep(admin.username, await passwordStep(admin.username, admin.password), code);
    expect(ok.status, ok.text).toBe(200);
    const left = await browser(h.url, cookieFrom(ok)).req<{ recoveryCodesLeft: number }>(
      'GET',
      '/api/account',
    );
    expect(left.body.recoveryCodesLeft).toBe(9);
    const twice = await codeStep(admin.username, await passwordStep(admin.username, admin.password), code);
    expectError(twice, 401, 'unauthenticated');
  });

  it('rate-limits wrong codes like passwords', async () => {
    const admin = await h.user('admin');
    await enrol(admin);
    let last: Reply | undefined;
    for (let i = 0; i < 7; i++) {
      last = await codeStep(admin.username, await passwordStep(admin.username, admin.password), '999999');
    }
    expectError(last as Reply, 429, 'rate_limited');
  });

  it('is for admins only', async () => {
    const op = await h.user('operator');
    expectError(await op.req('POST', '/api/account/totp'), 403, 'forbidden');
  });

  it("lets an admin reset another user's second factor (audited)", async () => {
    const admin = await h.user('admin');
    await enrol(admin);
    expect((await h.admin.req('DELETE', `/api/users/${admin.id}/totp`)).status).toBe(204);
    const res = await h.signIn(admin.username, admin.password);
    expect(res.status).toBe(200);
    expect(cookieFrom(res)).not.toBe('');
    const audit = await h.admin.req<{ entries: { action: string; params: Record<string, unknown> }[] }>(
      'GET',
      '/api/audit?limit=20',
    );
    expect(
      audit.body.entries.some((e) => e.action === 'users:totp-reset' && e.params.userId === admin.id),
    ).toBe(true);
  });

  it('never shows a secret or code beyond enrolment', () => {
    const shown = answersThatMustNotHoldSecrets().filter(
      (t) => !t.includes('recoveryCodes') && !t.includes('otpauth'),
    );
    for (const secret of h.passwords) for (const text of shown) expect(text).not.toContain(secret);
    for (const line of h.logLines) for (const secret of h.passwords) expect(line).not.toContain(secret);
  });
});
