/**
 * The client against the simulator's firmware profiles over HTTP (`session`, `passcode-wrongn`) and the
 * quirks and faults of real firmware: the effect of each call is checked in the phone's own state
 * (`snapshot()`: logins, sessions, DND), not in the client's echo.
 */
import { inspect } from 'node:util';
import type { PhoneOptions, SimPhone } from '@linedeck/phone-sim';
import { startPhone } from '@linedeck/phone-sim';
import { afterEach, describe, expect, it } from 'vitest';
import type { CtiClient, CtiClientOptions, CtiErrorCode } from './index.ts';
import { CtiError, createCtiClient } from './index.ts';

const ADMIN = 'Adm1n&=#pass%';
const USER = 'Us3r+pass/x';
const WRONG = 'Wr0ng&pass=1';
const SECRETS = [ADMIN, USER, WRONG].flatMap((p) => [p, encodeURIComponent(p)]);

const phones: SimPhone[] = [];
const clients: CtiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

async function simPhone(options: PhoneOptions = {}): Promise<SimPhone> {
  const phone = await startPhone({ port: 0, adminPasscode: ADMIN, userPasscode: USER, ...options });
  phones.push(phone);
  return phone;
}

function sessionClient(
  phone: SimPhone,
  extra: Partial<CtiClientOptions> = {},
  secret = ADMIN,
  username = 'admin',
) {
  const client = createCtiClient({
    host: phone.host,
    credential: { scheme: 'session', username, secret },
    timeoutMs: 2000,
    ...extra,
  });
  clients.push(client);
  return client;
}

async function expectCode(promise: Promise<unknown>, code: CtiErrorCode): Promise<CtiError> {
  const err = await promise.then(
    () => new Error('expected a CtiError, got success'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CtiError);
  expect((err as CtiError).code).toBe(code);
  const text = [String(err), JSON.stringify(err), inspect(err, { depth: 10 })].join('\n');
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  return err as CtiError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session firmware', () => {
  it('a phone polled slower than its session TTL keeps one login (keep-alive refresh)', async () => {
    const phone = await simPhone({ firmwareProfile: 'session', sessionTtlMs: 250 });
    const client = sessionClient(phone, { keepAliveMs: 80 });
    for (let i = 0; i < 4; i++) {
      await expect(client.getLineStatus()).resolves.toHaveLength(8);
      await sleep(400);
    }
    expect(phone.snapshot().session.logins).toBe(1);
    expect(client.info().firmware).toBeTruthy();
  });

  it('without the refresh, each slow poll finds the session gone and logs in once more', async () => {
    const phone = await simPhone({ firmwareProfile: 'session', sessionTtlMs: 150 });
    const client = sessionClient(phone, { keepAliveMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      await expect(client.getPhoneStatus()).resolves.toMatchObject({ status: 'available' });
      await sleep(250);
    }
    expect(phone.snapshot().session.logins).toBe(3);
  });

  it('a login elsewhere on the same account ends ours: one re-login, then it works', async () => {
    const phone = await simPhone({ firmwareProfile: 'session' });
    const ours = sessionClient(phone);
    await ours.getLineStatus();
    await sessionClient(phone).getAccounts();
    await expect(ours.getLineStatus()).resolves.toHaveLength(8);
    expect(phone.snapshot().session.logins).toBe(3);
  });

  it('a wrong password is one dologin answered wrong4; another account name is not_allowed', async () => {
    const phone = await simPhone({ firmwareProfile: 'session' });
    const err = await expectCode(sessionClient(phone, {}, WRONG).getLineStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 4 });
    expect(phone.snapshot().session).toMatchObject({ logins: 0, failedLogins: 1 });
    const other = await expectCode(sessionClient(phone, {}, ADMIN, 'guest').getLineStatus(), 'auth_failed');
    expect(other.auth).toEqual({ reason: 'not_allowed' });
  });

  it('close() logs out: no session left on the phone', async () => {
    const phone = await simPhone({ firmwareProfile: 'session' });
    const client = sessionClient(phone);
    await client.getLineStatus();
    expect(phone.snapshot().session.active).toBe(1);
    await client.close();
    expect(phone.snapshot().session.active).toBe(0);
  });

  it('config API: DND written and read back in the phone state, Click-To-Dial, an ignored write', async () => {
    const phone = await simPhone({ firmwareProfile: 'session', quirks: { ignoredConfigWrites: ['P1561'] } });
    const client = sessionClient(phone);
    await client.setDnd(true);
    expect(phone.snapshot().dnd).toBe(true);
    await expect(client.getDnd()).resolves.toBe(true);
    const clickToDial = await client.getClickToDial();
    expect(typeof clickToDial).toBe('boolean');
    const err = await expectCode(client.setConfig({ P1561: clickToDial ? '0' : '1' }), 'not_applied');
    expect(err.message).toContain('P1561');
    await expectCode(client.getForward(), 'not_supported');
  });
});

describe('passcode-wrongn firmware', () => {
  it('wrong passcodes count down as wrongN, then locked with lockTime; the right one is then locked too', async () => {
    const phone = await simPhone({ firmwareProfile: 'passcode-wrongn', lockoutMs: 120_000 });
    const wrong = createCtiClient({ host: phone.host, passcode: WRONG });
    for (const left of [4, 3, 2, 1]) {
      const err = await expectCode(wrong.getLineStatus(), 'auth_failed');
      expect(err.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: left });
    }
    const locked = await expectCode(wrong.getLineStatus(), 'auth_failed');
    expect(locked.auth).toEqual({ reason: 'locked', lockMinutes: 2 });
    const right = await expectCode(
      createCtiClient({ host: phone.host, passcode: ADMIN }).getLineStatus(),
      'auth_failed',
    );
    expect(right.auth?.reason).toBe('locked');
  });
});

describe('quirks and faults of real firmware', () => {
  it('REBOOT answered by a dropped connection is rebooting', async () => {
    const phone = await simPhone({ quirks: { rebootDropsConnection: true } });
    const client = createCtiClient({ host: phone.host, passcode: ADMIN });
    await expect(client.sysOperation('REBOOT')).resolves.toEqual({ ok: true, body: 'rebooting', extra: {} });
  });

  it('an endless body is cut off at 256 kB: malformed', async () => {
    const phone = await simPhone();
    phone.injectFault({ kind: 'endless', times: 1 });
    const client = createCtiClient({ host: phone.host, passcode: ADMIN, timeoutMs: 5000 });
    const err = await expectCode(client.getLineStatus(), 'malformed');
    expect(err.message).toContain('256 kB');
    await expect(client.getLineStatus()).resolves.toHaveLength(8);
  });
});
