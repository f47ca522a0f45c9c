/**
 * The session strategy against a local session phone over real HTTP (test-session-phone.ts): one
 * login for many requests, one re-login then one resend on expiry, never a loop, a wrong password sent
 * once, the headers the phone insists on, keep-alive, logout, and no secret in any error.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type CtiClient, type CtiClientOptions, createCtiClient } from '../client.ts';
import { CtiError, type CtiErrorCode } from '../errors.ts';
import { type SessionPhone, startSessionPhone } from '../test-session-phone.ts';

const PASSWORD = 'Adm1n&=#pass%';
const phones: SessionPhone[] = [];
const clients: CtiClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(phones.splice(0).map((p) => p.close()));
});

async function sessionPhone(sessionTtlMs?: number): Promise<SessionPhone> {
  const phone = await startSessionPhone({
    adminPassword: PASSWORD,
    ...(sessionTtlMs ? { sessionTtlMs } : {}),
  });
  phones.push(phone);
  return phone;
}

function clientFor(phone: SessionPhone, extra: Partial<CtiClientOptions> = {}, secret = PASSWORD): CtiClient {
  const client = createCtiClient({
    host: phone.host,
    credential: { scheme: 'session', username: 'admin', secret },
    timeoutMs: 2000,
    ...extra,
  });
  clients.push(client);
  return client;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Everything secret this phone and client exchanged: password, nonce hashes, sids. */
function secretsSeen(phone: SessionPhone): string[] {
  const hashes = phone.calls('dologin').map((r) => r.form.get('password') ?? '');
  const sids = phone.requests.flatMap((r) => [r.query.get('sid'), r.form.get('sid')]).filter((s) => !!s);
  return [PASSWORD, encodeURIComponent(PASSWORD), ...hashes, ...(sids as string[])].filter(
    (s) => s.length > 0,
  );
}

function renderings(value: unknown): string {
  const parts = [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) {
    parts.push(value.message, value.stack ?? '');
    if (value.cause !== undefined) parts.push(renderings(value.cause));
  }
  return parts.join('\n');
}

async function expectCode(
  phone: SessionPhone,
  promise: Promise<unknown>,
  code: CtiErrorCode,
): Promise<CtiError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a CtiError, got success');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CtiError);
  expect((err as CtiError).code).toBe(code);
  const text = renderings(err);
  for (const secret of secretsSeen(phone)) expect(text).not.toContain(secret);
  return err as CtiError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('login', () => {
  it('logs in lazily once for many requests, with the nonce hash, and reports ver/mac', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    expect(phone.requests).toHaveLength(0);
    expect(client.info()).toEqual({ firmware: null, mac: null });
    await Promise.all([client.getLineStatus(), client.getPhoneStatus(), client.getAccounts()]);
    await client.getLineStatus();
    expect(phone.logins).toBe(1);
    expect(phone.calls('access')).toHaveLength(1);
    expect(phone.calls('access')[0]?.form.get('access')).toBe(sha256('admin'));
    const [login] = phone.calls('dologin');
    expect(login?.form.get('username')).toBe('admin');
    // The nonce is the one the phone gave to this account; the password itself never travels.
    expect(login?.form.get('password')).toMatch(/^[0-9a-f]{64}$/);
    expect(phone.requests.some((r) => r.body.includes(encodeURIComponent(PASSWORD)))).toBe(false);
    expect(client.scheme).toBe('session');
    expect(client.info()).toEqual({ firmware: '1.0.7.5', mac: '00:0B:82:AA:BB:CC' });
  });

  it('sends the sid as cookie and parameter, same-origin Referer/Origin, X-Requested-With, Content-Length', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    await client.makeCall('100');
    const sid = phone.sidOf('admin');
    for (const r of phone.requests) {
      expect(r.headers.referer).toBe(`${phone.origin}/`);
      expect(r.headers.origin).toBe(phone.origin);
      expect(r.headers['x-requested-with']).toBe('XMLHttpRequest');
      if (r.method === 'POST') expect(r.headers['content-length']).toBeDefined();
    }
    const [call] = phone.calls('api-make_call');
    expect(call?.headers.cookie).toBe(`sid=${sid}`);
    expect(call?.query.get('sid')).toBe(sid);
    expect(call?.query.get('phonenumber')).toBe('100');
    expect(call?.query.has('passcode')).toBe(false);
  });

  it('a wrong password is sent once and throws wrong_credential with the attempts left', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone, {}, 'not-the-password');
    const err = await expectCode(phone, client.getLineStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 4 });
    expect(err.message).toContain('wrong password, 4 attempts left');
    expect(phone.calls('dologin')).toHaveLength(1);
    expect(phone.calls('api-get_line_status')).toHaveLength(0);
  });

  it('the fifth wrong password reads as locked with the minutes', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone, {}, 'not-the-password');
    for (let i = 0; i < 4; i++) await client.getPhoneStatus().catch(() => {});
    const err = await expectCode(phone, client.getPhoneStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'locked', lockMinutes: 5 });
    expect(err.message).toContain('locked for 5 minutes');
    expect(phone.calls('dologin')).toHaveLength(5);
  });

  it('an account the phone does not know is not_allowed', async () => {
    const phone = await sessionPhone();
    const client = createCtiClient({
      host: phone.host,
      credential: { scheme: 'session', username: 'guest', secret: PASSWORD },
    });
    const err = await expectCode(phone, client.getLineStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'not_allowed' });
  });
});

describe('an ended session', () => {
  it('logs in once more and sends the request once more', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    await client.getLineStatus();
    phone.endSessions();
    await expect(client.getLineStatus()).resolves.toHaveLength(1);
    expect(phone.logins).toBe(2);
    expect(phone.calls('api-get_line_status')).toHaveLength(3);
  });

  it('the config_get session-expired body also triggers the one re-login', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    await client.getLineStatus();
    phone.endSessions();
    await expect(client.getClickToDial()).resolves.toBe(true);
    expect(phone.logins).toBe(2);
    expect(phone.calls('config_get')).toHaveLength(2);
  });

  it('does not loop when the fresh session ends at once too', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    phone.takeOverEveryLogin = true;
    const err = await expectCode(phone, client.getLineStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'session_expired' });
    expect(err.message).toContain('again right after a fresh login');
    expect(phone.logins).toBe(2);
    expect(phone.calls('api-get_line_status')).toHaveLength(2);
  });

  it('does not loop when the fresh login is refused, and never resends that password', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    await client.getLineStatus();
    phone.changePassword('admin', 'changed-on-the-phone');
    phone.endSessions();
    const err = await expectCode(phone, client.getLineStatus(), 'auth_failed');
    expect(err.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 4 });
    expect(phone.calls('dologin')).toHaveLength(2);
    expect(phone.calls('api-get_line_status')).toHaveLength(2);
  });
});

describe('keep-alive and logout', () => {
  it('refreshes an idle session, so a phone polled slowly needs one login across several TTLs', async () => {
    const phone = await sessionPhone(150);
    const client = clientFor(phone, { keepAliveMs: 50 });
    await client.getLineStatus();
    await sleep(500);
    await client.getLineStatus();
    expect(phone.logins).toBe(1);
    expect(phone.calls('dorefresh').length).toBeGreaterThanOrEqual(3);
    expect(phone.calls('dorefresh').every((r) => r.headers['content-length'] !== undefined)).toBe(true);
  });

  it('does not refresh while requests keep the session alive', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone, { keepAliveMs: 80 });
    for (let i = 0; i < 6; i++) {
      await client.getPhoneStatus();
      await sleep(20);
    }
    expect(phone.calls('dorefresh')).toHaveLength(0);
  });

  it('close() sends dologout once and stops the keep-alive', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone, { keepAliveMs: 30 });
    await client.getLineStatus();
    const sid = phone.sidOf('admin');
    await client.close();
    await client.close();
    expect(phone.calls('dologout')).toHaveLength(1);
    expect(phone.calls('dologout')[0]?.form.get('sid')).toBe(sid);
    expect(phone.sidOf('admin')).toBeUndefined();
    const refreshes = phone.calls('dorefresh').length;
    await sleep(120);
    expect(phone.calls('dorefresh')).toHaveLength(refreshes);
  });

  it('close() without a session sends nothing', async () => {
    const phone = await sessionPhone();
    await clientFor(phone).close();
    expect(phone.requests).toHaveLength(0);
  });
});

describe('raw passthrough helpers', () => {
  it('authorizeRequest logs in once and returns the sid with its headers', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    const first = await client.authorizeRequest();
    const second = await client.authorizeRequest();
    const sid = phone.sidOf('admin') as string;
    expect(first).toEqual({
      params: { sid },
      headers: {
        cookie: `sid=${sid}`,
        referer: `${phone.origin}/`,
        origin: phone.origin,
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    expect(second).toEqual(first);
    expect(phone.logins).toBe(1);
  });

  it('readAnswer classifies a 401 as session_expired and drops the session: the next request logs in once', async () => {
    const phone = await sessionPhone();
    const client = clientFor(phone);
    await client.authorizeRequest();
    const err = (() => {
      try {
        client.readAnswer('api-get_line_status', { status: 401, contentType: 'text/html', text: '<html/>' });
      } catch (e) {
        return e as CtiError;
      }
    })();
    expect(err?.auth).toEqual({ reason: 'session_expired' });
    await client.authorizeRequest();
    expect(phone.logins).toBe(2);
    expect(
      client.readAnswer('api-get_phone_status', {
        status: 200,
        contentType: 'text/html',
        text: '{"response":"success","body":"busy"}',
      }).body,
    ).toBe('busy');
  });
});

describe('secrets', () => {
  it('no error carries the password, the nonce hash or the sid, even from a cause quoting the request', async () => {
    const phone = await sessionPhone();
    // Logs in for real, then fails the CTI request with an error quoting URL, form and headers.
    const leaky = clientFor(phone, {
      fetch: async (input, init) => {
        if (!String(input).includes('/api-')) return fetch(input, init);
        const text = `${String(input)} ${String(init?.body)} ${JSON.stringify(init?.headers)}`;
        throw new TypeError(`fetch failed ${text} ${PASSWORD}`, { cause: new Error(`ECONNRESET ${text}`) });
      },
    });
    const err = await expectCode(phone, leaky.getLineStatus(), 'unreachable');
    const sid = phone.sidOf('admin') as string;
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    expect(renderings(err)).not.toContain(sid);
    expect(renderings(err)).toContain('sid=[redacted]');
  });
});
