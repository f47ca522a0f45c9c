/**
 * Who may do what, route by route, against the real server and simulated
 * phones: anonymous -> 401, viewers -> 403 on every command (REST and CTI
 * passthrough), operators only on their phones, admins everything; a
 * viewer limited to some phones sees only those (lists, state, SSE); and a
 * cross-site request riding on the cookie cannot act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsSeen, openSse } from '../test-support/harness.ts';
import {
  type AuthHarness,
  browser,
  client,
  expectError,
  type SignedIn,
  startAlphaBravo,
} from './test-support.ts';

let h: AuthHarness;
let a: string;
let b: string;
let viewer: SignedIn;
let operatorA: SignedIn;
let operatorAll: SignedIn;

beforeAll(async () => {
  ({ h, a, b } = await startAlphaBravo());
  viewer = await h.user('viewer');
  operatorA = await h.user('operator', { phoneIds: [a] });
  operatorAll = await h.user('operator', { phoneIds: [a, b] });
});
afterAll(async () => {
  await h?.close();
});

type Route = [method: string, path: string, body?: unknown];

/** Every route that needs a signed-in principal. */
function protectedRoutes(): Route[] {
  return [
    ['GET', '/api/session'],
    ['POST', '/api/session/password', { currentPassword: 'x', newPassword: 'long enough pw' }],
    ['GET', '/api/phones'],
    ['POST', '/api/phones', { name: 'X', host: '127.0.0.1:1', passcode: 'p' }],
    ['GET', `/api/phones/${a}`],
    ['PATCH', `/api/phones/${a}`, { name: 'Renamed' }],
    ['DELETE', `/api/phones/${a}`],
    ['POST', `/api/phones/${a}/test`],
    ['GET', `/api/phones/${a}/state`],
    ['GET', '/api/state'],
    ['POST', `/api/phones/${a}/calls`, { number: '100' }],
    ['POST', `/api/phones/${a}/operations`, { command: 'endcall' }],
    ['POST', `/api/phones/${a}/keys`, { keys: ['1'] }],
    ['POST', `/api/phones/${a}/system`, { request: 'REBOOT', confirm: 'Alpha' }],
    ['GET', '/api/events'],
    ['GET', `/cti/${a}/cgi-bin/api-get_line_status`],
    ['GET', `/cti/${a}/cgi-bin/api-make_call?phonenumber=100`],
    ['GET', '/api/users'],
    ['POST', '/api/users', { username: 'mallory', password: 'long enough pw', role: 'admin' }],
    ['PATCH', `/api/users/${operatorA.id}`, { role: 'admin' }],
    ['DELETE', `/api/users/${operatorA.id}`],
    ['GET', '/api/tokens'],
    ['POST', '/api/tokens', { name: 't', role: 'admin' }],
    ['DELETE', '/api/tokens/x'],
    ['GET', '/api/display-keys'],
    ['POST', '/api/display-keys', { name: 'k' }],
    ['DELETE', '/api/display-keys/x'],
    ['GET', '/api/audit'],
  ];
}

/** What a viewer may not do: every command and change. */
function viewerForbidden(): Route[] {
  return protectedRoutes().filter(
    ([method, path]) =>
      !(
        (method === 'GET' &&
          !path.startsWith('/api/users') &&
          !path.startsWith('/api/tokens') &&
          !path.startsWith('/api/display-keys') &&
          !path.startsWith('/api/audit') &&
          !path.includes('api-make_call')) ||
        path === '/api/session/password'
      ),
  );
}

function commandsSeen(): number {
  return h.phones.reduce(
    (n, p) =>
      n +
      p.sim.requestLog().filter((e) => !/get_line_status|get_phone_status|get_accounts/.test(e.function))
        .length,
    0,
  );
}

describe('anonymous', () => {
  it('gets 401 unauthenticated on every route but /api/health and sign-in', async () => {
    const before = commandsSeen();
    for (const [method, path, body] of protectedRoutes()) {
      const res = await h.anonymous.req(method, path, body, { origin: h.url });
      expectError(res, 401, 'unauthenticated');
    }
    expect(commandsSeen()).toBe(before);
    expect((await h.anonymous.req('GET', '/api/health')).status).toBe(200);
  });

  it('a forged or unknown cookie is 401 too (the cookie is left for signing out or in to replace)', async () => {
    const forged = browser(h.url, 'linedeck_session=lds_forged', 'forged');
    const res = await forged.req('GET', '/api/phones');
    expectError(res, 401, 'unauthenticated');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('viewer', () => {
  it('reads phones, state, the passthrough read functions and events', async () => {
    for (const path of [
      '/api/phones',
      `/api/phones/${a}`,
      `/api/phones/${a}/state`,
      '/api/state',
      '/api/session',
    ]) {
      const res = await viewer.req('GET', path);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
    const cti = await viewer.req('GET', `/cti/${a}/cgi-bin/api-get_line_status`);
    expect(cti.status, cti.text).toBe(200);
    const sse = openSse(`${h.url}/api/events`, { cookie: viewer.cookie });
    try {
      expect(await sse.status).toBe(200);
    } finally {
      sse.close();
    }
  });

  it('gets 403 on every command and change, and the phone hears nothing', async () => {
    const before = commandsSeen();
    for (const [method, path, body] of viewerForbidden()) {
      const res = await viewer.req(method, path, body);
      expectError(res, 403, 'forbidden');
    }
    for (const fn of [
      'api-make_call?phonenumber=100',
      'api-send_key?keys=1:2',
      'api-phone_operation?cmd=endcall',
    ]) {
      expectError(await viewer.req('GET', `/cti/${a}/cgi-bin/${fn}`), 403, 'forbidden');
    }
    expect(commandsSeen()).toBe(before);
  });
});

describe('operator', () => {
  it('controls calls and keys on an assigned phone', async () => {
    const calls = await operatorA.req('POST', `/api/phones/${a}/calls`, { number: '201' });
    expect(calls.status, calls.text).toBe(200);
    const keys = await operatorA.req('POST', `/api/phones/${a}/keys`, { keys: ['1', '2'] });
    expect(keys.status, keys.text).toBe(200);
    const ops = await operatorA.req('POST', `/api/phones/${a}/operations`, { command: 'endcall' });
    expect([200, 409]).toContain(ops.status);
    const cti = await operatorA.req('GET', `/cti/${a}/cgi-bin/api-send_key?keys=3`);
    expect(cti.status, cti.text).toBe(200);
    expect(functionsSeen(h.phone('Alpha').sim, 'api-make_call').length).toBeGreaterThan(0);
  });

  it('gets 403 on a phone not assigned to them, and that phone hears nothing', async () => {
    const bravo = h.phone('Bravo').sim;
    const before = functionsSeen(bravo).filter((f) => !/get_/.test(f)).length;
    expectError(await operatorA.req('POST', `/api/phones/${b}/calls`, { number: '202' }), 403, 'forbidden');
    expectError(await operatorA.req('POST', `/api/phones/${b}/keys`, { keys: ['1'] }), 403, 'forbidden');
    expectError(
      await operatorA.req('POST', `/api/phones/${b}/operations`, { command: 'endcall' }),
      403,
      'forbidden',
    );
    expectError(
      await operatorA.req('GET', `/cti/${b}/cgi-bin/api-make_call?phonenumber=202`),
      403,
      'forbidden',
    );
    expect(functionsSeen(bravo).filter((f) => !/get_/.test(f)).length).toBe(before);
  });

  it('still sees every phone (it controls only its own)', async () => {
    const phones = await operatorA.req<{ id: string }[]>('GET', '/api/phones');
    expect(phones.body.map((p) => p.id).sort()).toEqual([a, b].sort());
    expect((await operatorA.req('GET', `/api/phones/${b}/state`)).status).toBe(200);
  });

  it('may not reboot, reset, manage phones, users or read the audit log', async () => {
    for (const [method, path, body] of [
      ['POST', `/api/phones/${a}/system`, { request: 'REBOOT', confirm: 'Alpha' }],
      ['POST', `/api/phones/${a}/system`, { request: 'RESET', confirm: 'Alpha' }],
      ['POST', `/api/phones/${a}/test`, undefined],
      ['PATCH', `/api/phones/${a}`, { name: 'Mine' }],
      ['POST', '/api/users', { username: 'sneaky', password: 'long enough pw', role: 'admin' }],
      ['PATCH', `/api/users/${operatorA.id}`, { role: 'admin' }],
      ['GET', '/api/audit'],
      ['POST', '/api/tokens', { name: 'mine', role: 'admin' }],
    ] as Route[]) {
      expectError(await operatorA.req(method, path, body), 403, 'forbidden');
    }
  });

  it('with every phone assigned controls every phone', async () => {
    const res = await operatorAll.req('POST', `/api/phones/${b}/calls`, { number: '203' });
    expect(res.status, res.text).toBe(200);
  });
});

describe('admin', () => {
  it('passes authorization for reboot and reset (the confirm field still guards them)', async () => {
    for (const request of ['REBOOT', 'RESET']) {
      const res = await h.admin.req('POST', `/api/phones/${a}/system`, { request, confirm: 'not the name' });
      expectError(res, 400, 'confirmation_mismatch');
    }
    expect(functionsSeen(h.phone('Alpha').sim, 'api-sys_operation')).toEqual([]);
  });
});

describe('a viewer limited to some phones', () => {
  let limited: SignedIn;
  beforeAll(async () => {
    limited = await h.user('viewer', { phoneIds: [a] });
  });

  it('lists and reads only those phones', async () => {
    const phones = await limited.req<{ id: string }[]>('GET', '/api/phones');
    expect(phones.body.map((p) => p.id)).toEqual([a]);
    const state = await limited.req<{ phoneId: string }[]>('GET', '/api/state');
    expect(state.body.map((s) => s.phoneId)).toEqual([a]);
    expectError(await limited.req('GET', `/api/phones/${b}`), 403, 'forbidden');
    expectError(await limited.req('GET', `/api/phones/${b}/state`), 403, 'forbidden');
    // The passthrough answers a phone this viewer may not see as it answers an unknown one: no hint it exists.
    expectError(await limited.req('GET', `/cti/${b}/cgi-bin/api-get_line_status`), 404, 'not_found');
  });

  it('gets only those phones on the event stream', async () => {
    const sse = openSse(`${h.url}/api/events`, { cookie: limited.cookie });
    try {
      expect(await sse.status).toBe(200);
      h.phone('Bravo').sim.ring('5550002', 'To Bravo');
      h.phone('Alpha').sim.ring('5550001', 'To Alpha');
      await sse.next(
        (f) => f.event === 'call' && (f.data as { remoteNumber: string }).remoteNumber === '5550001',
      );
      const phoneIds = sse.frames.filter((f) => f.data).map((f) => (f.data as { phoneId: string }).phoneId);
      expect(phoneIds.length).toBeGreaterThan(0);
      expect(new Set(phoneIds)).toEqual(new Set([a]));
    } finally {
      sse.close();
    }
  });
});

describe('cross-site requests (CSRF)', () => {
  it('a foreign Origin cannot act with the cookie, and the phone hears nothing', async () => {
    const before = functionsSeen(h.phone('Alpha').sim, 'api-make_call').length;
    const evil = client(h.url, 'evil', { cookie: operatorAll.cookie, origin: 'http://evil.example' });
    expectError(await evil.req('POST', `/api/phones/${a}/calls`, { number: '666' }), 403, 'forbidden');
    const evilAdmin = client(h.url, 'evil', {
      cookie: h.admin.headers.cookie ?? '',
      origin: 'http://evil.example',
    });
    expectError(
      await evilAdmin.req('POST', '/api/users', {
        username: 'planted',
        password: 'long enough pw',
        role: 'admin',
      }),
      403,
      'forbidden',
    );
    expectError(
      await evilAdmin.req('POST', '/api/tokens', { name: 'planted', role: 'admin' }),
      403,
      'forbidden',
    );
    // Same host name, other port: another origin.
    const otherPort = client(h.url, 'evil', { cookie: operatorAll.cookie, origin: 'http://127.0.0.1:1' });
    expectError(await otherPort.req('POST', `/api/phones/${a}/calls`, { number: '666' }), 403, 'forbidden');
    const nullOrigin = client(h.url, 'evil', { cookie: operatorAll.cookie, origin: 'null' });
    expectError(await nullOrigin.req('POST', `/api/phones/${a}/calls`, { number: '666' }), 403, 'forbidden');
    expect(functionsSeen(h.phone('Alpha').sim, 'api-make_call').length).toBe(before);
    const users = await h.admin.req<{ username: string }[]>('GET', '/api/users');
    expect(users.body.map((u) => u.username)).not.toContain('planted');
  });

  it('no Origin and no Sec-Fetch-Site: refused; Sec-Fetch-Site decides when there is no Origin', async () => {
    const bare = client(h.url, 'bare', { cookie: operatorAll.cookie });
    expectError(await bare.req('POST', `/api/phones/${a}/calls`, { number: '667' }), 403, 'forbidden');
    expectError(
      await bare.req('POST', `/api/phones/${a}/calls`, { number: '667' }, { 'sec-fetch-site': 'cross-site' }),
      403,
      'forbidden',
    );
    expectError(
      await bare.req('POST', `/api/phones/${a}/calls`, { number: '667' }, { 'sec-fetch-site': 'same-site' }),
      403,
      'forbidden',
    );
    const ok = await bare.req(
      'POST',
      `/api/phones/${a}/calls`,
      { number: '668' },
      { 'sec-fetch-site': 'same-origin' },
    );
    expect(ok.status, ok.text).toBe(200);
  });

  it('reads are not state changes: a GET needs no Origin', async () => {
    const bare = client(h.url, 'bare', { cookie: viewer.cookie });
    expect((await bare.req('GET', '/api/phones')).status).toBe(200);
  });

  it('Bearer tokens are not cookies: no Origin needed', async () => {
    const created = await h.admin.req<{ secret: string }>('POST', '/api/tokens', {
      name: 'csrf-test',
      role: 'operator',
    });
    const script = client(h.url, 'script', { authorization: `Bearer ${created.body.secret}` });
    const res = await script.req('POST', `/api/phones/${a}/calls`, { number: '669' });
    expect(res.status, res.text).toBe(200);
    const foreign = await script.req(
      'POST',
      `/api/phones/${a}/calls`,
      { number: '670' },
      { origin: 'http://x.example' },
    );
    expect(foreign.status, foreign.text).toBe(200);
  });

  it('sign-in from another site is refused (login CSRF)', async () => {
    const res = await h.anonymous.req(
      'POST',
      '/api/session',
      { username: viewer.username, password: viewer.password },
      { origin: 'http://evil.example' },
    );
    expectError(res, 403, 'forbidden');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
