import { describe, expect, it } from 'vitest';
import { chunkedPost, login, sidOf, web } from './session-test-support.ts';
import { control, cti, sleep, usePhones } from './test-support.ts';

const phone = usePhones();
const session = (options = {}) => phone({ firmwareProfile: 'session', mac: 'c074ad000001', ...options });

describe('session firmware: login', () => {
  it('access gives a fresh nonce, dologin a sid (body and cookie) that api-* take instead of a passcode', async () => {
    const p = await session({ firmware: '1.0.11.3' });
    const first = await web(p, 'access', { params: { access: 'a'.repeat(64) } });
    const nonces = [first, await web(p, 'access', { params: { access: 'a'.repeat(64) } })].map(
      (a) => a.json.body,
    );
    expect(first.json.response).toBe('success');
    expect(nonces[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(nonces[0]).not.toBe(nonces[1]);

    const answer = await login(p, 'admin', 'admin');
    expect(answer.json).toEqual({
      response: 'success',
      body: {
        sid: expect.any(String),
        role: 'admin',
        ver: '1.0.11.3',
        mac: 'c074ad000001',
        defaultAuth: false,
      },
    });
    const sid: string = answer.json.body.sid;
    expect(answer.headers.get('set-cookie')).toBe(`sid=${sid}; Path=/; HttpOnly`);

    const byCookie = await web(p, 'api-get_line_status', { method: 'GET', sid });
    expect(byCookie.json.response).toBe('success');
    const byParam = await web(p, 'api-get_phone_status', { method: 'GET', params: { sid } });
    expect(byParam.json.body).toBe('available');
    const byForm = await web(p, 'api-get_accounts', { params: { sid } });
    expect(byForm.json.response).toBe('success');

    expect(p.snapshot()).toMatchObject({
      firmwareProfile: 'session',
      session: { logins: 1, failedLogins: 0, active: 1 },
    });
    const log = p.requestLog();
    expect(log.filter((e) => e.function === 'dologin')).toHaveLength(1);
    expect(log.filter((e) => e.function === 'access')).toHaveLength(3);
    // Secrets never reach the log: not the sid, not the password hash.
    expect(JSON.stringify(log)).not.toContain(sid);
    expect(log.find((e) => e.function === 'dologin')).toMatchObject({
      method: 'POST',
      params: { username: 'admin', password: '[REDACTED]' },
    });
  });

  it('the user account logs in with the user passcode and may not RESET', async () => {
    const p = await session({ userPasscode: 'u5er' });
    const answer = await login(p, 'user', 'u5er');
    expect(answer.json.body.role).toBe('user');
    const sid = answer.json.body.sid;
    expect((await web(p, 'api-send_key', { method: 'GET', sid, params: { keys: 'VUP' } })).json.body).toBe(
      'complete',
    );
    expect(
      (await web(p, 'api-sys_operation', { method: 'GET', sid, params: { request: 'RESET' } })).status,
    ).toBe(401);
  });

  it('a wrong password answers wrong4 ... wrong1, the 5th locks with lockTime, even the right one then', async () => {
    const p = await session({ lockoutMs: 90_000 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await login(p, 'admin', 'nope')).json);
    expect(answers.slice(0, 4)).toEqual(
      ['wrong4', 'wrong3', 'wrong2', 'wrong1'].map((body) => ({ response: 'error', body })),
    );
    expect(answers[4]).toEqual({ response: 'error', body: 'locked', lockTime: 2 });
    expect((await login(p, 'admin', 'admin')).json).toEqual({
      response: 'error',
      body: 'locked',
      lockTime: 2,
    });
    expect(p.snapshot().session).toMatchObject({ logins: 0, failedLogins: 6, active: 0 });
  });

  it('the lock ends after lockoutMs; a right password resets the count', async () => {
    const p = await session({ lockoutMs: 120 });
    await login(p, 'admin', 'nope');
    await sidOf(p);
    expect((await login(p, 'admin', 'nope')).json.body).toBe('wrong4');
    for (let i = 0; i < 4; i++) await login(p, 'admin', 'nope');
    expect((await login(p, 'admin', 'admin')).json.body).toBe('locked');
    await sleep(150);
    expect((await login(p, 'admin', 'admin')).json.response).toBe('success');
  });

  it('a dologin whose hash was made with an old nonce is wrong', async () => {
    const p = await session();
    const { sha256Hex } = await import('./session-login.ts');
    const old = (await web(p, 'access', { params: { access: sha256Hex('admin') } })).json.body;
    await web(p, 'access', { params: { access: sha256Hex('admin') } });
    const answer = await web(p, 'dologin', {
      params: { username: 'admin', password: sha256Hex(`admin${old}`) },
    });
    expect(answer.json.body).toBe('wrong4');
  });

  it('an unknown username: "user is not allow", no lockout count', async () => {
    const p = await session();
    expect((await login(p, 'root', 'admin')).json).toEqual({ response: 'error', body: 'user is not allow' });
    expect(p.snapshot().passcode.failures).toBe(0);
    expect(p.snapshot().session.failedLogins).toBe(1);
  });
});

describe('session firmware: request checks', () => {
  it('a missing or foreign Referer, or a POST without same-origin Origin: bare 403, no nonce given', async () => {
    const p = await session();
    const cases = [
      { referer: null },
      { referer: 'http://evil.test/' },
      { referer: `http://127.0.0.1:${p.port + 1}/` },
      { origin: null },
      { origin: 'http://evil.test' },
    ];
    for (const call of cases) {
      const answer = await web(p, 'access', { params: { access: 'x' }, ...call });
      expect(answer.status, JSON.stringify(call)).toBe(403);
      expect(answer.contentType).toBe('text/html');
      expect(answer.text).toMatch(/403 Forbidden/);
    }
    // A GET needs the Referer only.
    const sid = await sidOf(p);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid, origin: null })).status).toBe(200);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid, referer: null })).status).toBe(403);
  });

  it('a POST without Content-Length: 411 with an empty body', async () => {
    const p = await session();
    const answer = await chunkedPost(p, 'access', 'access=abc');
    expect(answer).toEqual({ status: 411, body: '' });
  });

  it('api-* with a passcode but no sid: 401 HTML, and it does not count towards the lockout', async () => {
    const p = await session();
    for (let i = 0; i < 6; i++) {
      const answer = await cti(p, 'api-get_line_status', {}, 'admin');
      // No Referer either: 403 first; with it, 401.
      expect(answer.status).toBe(403);
    }
    for (let i = 0; i < 6; i++) {
      const answer = await web(p, 'api-get_line_status', { method: 'GET', params: { passcode: 'admin' } });
      expect(answer.status).toBe(401);
      expect(answer.text).toMatch(/401 Unauthorized/);
    }
    expect(p.snapshot().passcode.failures).toBe(0);
    expect((await login(p, 'admin', 'admin')).json.response).toBe('success');
  });
});

describe('session firmware: session life', () => {
  it('expires sessionTtlMs after the last request; any request with the sid keeps it alive', async () => {
    const p = await session({ sessionTtlMs: 300 });
    const sid = await sidOf(p);
    for (let i = 0; i < 4; i++) {
      await sleep(100);
      expect((await web(p, 'api-get_line_status', { method: 'GET', sid })).status).toBe(200);
    }
    await sleep(350);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid })).status).toBe(401);
    expect((await web(p, 'config_get', { method: 'GET', sid, params: { pvalues: 'P1561' } })).json).toEqual({
      response: 'error',
      body: { status: 'session-expired' },
    });
    expect(p.snapshot().session.active).toBe(0);
  });

  it('dorefresh keeps the session', async () => {
    const p = await session({ sessionTtlMs: 300 });
    const sid = await sidOf(p);
    for (let i = 0; i < 4; i++) {
      await sleep(100);
      expect((await web(p, 'dorefresh', { params: { sid } })).json).toEqual({
        response: 'success',
        body: 'ok',
      });
    }
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid })).status).toBe(200);
  });

  it('one session per account: a new login ends the first; admin and user sessions live side by side', async () => {
    const p = await session();
    const first = await sidOf(p);
    const user = await sidOf(p, 'user', '123');
    const second = await sidOf(p);
    expect(second).not.toBe(first);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid: first })).status).toBe(401);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid: second })).status).toBe(200);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid: user })).status).toBe(200);
    expect(p.snapshot().session).toMatchObject({ logins: 3, active: 2 });
  });

  it('dologout ends the sid', async () => {
    const p = await session();
    const sid = await sidOf(p);
    expect((await web(p, 'dologout', { sid, params: {} })).json).toEqual({ response: 'success', body: 'ok' });
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid })).status).toBe(401);
    expect((await web(p, 'dorefresh', { sid, params: {} })).json.body).toEqual({ status: 'session-expired' });
  });

  it('a reboot ends every session', async () => {
    const p = await session({ rebootMs: 50 });
    const sid = await sidOf(p);
    await web(p, 'api-sys_operation', { method: 'GET', sid, params: { request: 'REBOOT' } });
    await sleep(150);
    expect((await web(p, 'api-get_line_status', { method: 'GET', sid })).status).toBe(401);
  });

  it('PATCH /sim/settings switches the profile and the TTL; the snapshot shows them', async () => {
    const p = await phone();
    expect(p.snapshot()).toMatchObject({ firmwareProfile: 'passcode', sessionTtlMs: 60_000 });
    const patched = await control(p, 'PATCH', 'settings', { firmwareProfile: 'session', sessionTtlMs: 500 });
    expect(patched.json).toMatchObject({ firmwareProfile: 'session', sessionTtlMs: 500 });
    expect((await cti(p, 'api-get_line_status')).status).toBe(403);
    expect((await control(p, 'PATCH', 'settings', { firmwareProfile: 'gxp' })).status).toBe(400);
    expect((await control(p, 'PATCH', 'settings', { sessionTtlMs: -1 })).status).toBe(400);
    await control(p, 'PATCH', 'settings', { firmwareProfile: 'passcode' });
    expect((await cti(p, 'api-get_line_status')).status).toBe(200);
  });
});

describe('session firmware: body size', () => {
  it('a form over 64 kB is refused with 413 and changes nothing', async () => {
    const p = await phone({ firmwareProfile: 'session' });
    const answer = await web(p, 'dologin', { params: { username: 'admin', password: 'x'.repeat(70_000) } });
    expect(answer.status).toBe(413);
    expect(p.snapshot().session).toMatchObject({ logins: 0, failedLogins: 0 });
    expect(p.snapshot().passcode.failures).toBe(0);
  });
});
