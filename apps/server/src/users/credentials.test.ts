/**
 * Users, API tokens and display keys managed over HTTP by an admin, and what
 * each credential may do: tokens and display keys are shown once, stored
 * hashed, and stop working (open streams included) the moment they are
 * revoked; `/wall?key=` signs a browser in as the key's viewer; the last
 * active admin cannot be removed.
 */
import {
  apiTokenSchema,
  createdSecretSchema,
  displayKeySchema,
  sessionSchema,
  userSchema,
} from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsSeen, waitFor } from '../test-support/harness.ts';
import {
  type AuthHarness,
  answersThatMustNotHoldSecrets,
  browser,
  type Client,
  client,
  cookieFrom,
  expectError,
  openEventStream,
  send,
  startAlphaBravo,
} from './test-support.ts';

let h: AuthHarness;
let a: string;
let b: string;

beforeAll(async () => {
  ({ h, a, b } = await startAlphaBravo());
});
afterAll(async () => {
  await h?.close();
});

async function dbText(): Promise<string> {
  await h.server.auditLog.settled();
  const tables = ['users', 'sessions', 'api_tokens', 'display_keys', 'audit'] as const;
  const rows = await Promise.all(tables.map((t) => h.server.db.selectFrom(t).selectAll().execute()));
  return rows.map((r) => JSON.stringify(r)).join('\n');
}

async function newToken(
  role: string,
  name = `token-${role}`,
): Promise<{ id: string; secret: string; c: Client }> {
  const res = await h.admin.req('POST', '/api/tokens', { name, role });
  expect(res.status, res.text).toBe(201);
  const created = createdSecretSchema.parse(res.body);
  h.passwords.add(created.secret);
  return { ...created, c: client(h.url, name, { authorization: `Bearer ${created.secret}` }) };
}

describe('API tokens', () => {
  it('are shown once, listed without the secret, and stored only as a hash', async () => {
    const t = await newToken('viewer', 'monitoring');
    expect(t.secret).toMatch(/^ldt_[A-Za-z0-9_-]{43}$/);
    const list = await h.admin.req<unknown[]>('GET', '/api/tokens');
    const listed = list.body.map((x) => apiTokenSchema.parse(x)).find((x) => x.id === t.id);
    expect(listed).toMatchObject({ name: 'monitoring', role: 'viewer', lastUsedAt: null });
    expect(list.text).not.toContain(t.secret);
    expect(await dbText()).not.toContain(t.secret);
  });

  it('act with their role: a viewer token reads but cannot command; an operator token can', async () => {
    const viewer = await newToken('viewer');
    expect((await viewer.c.req('GET', '/api/phones')).status).toBe(200);
    expectError(await viewer.c.req('POST', `/api/phones/${a}/calls`, { number: '300' }), 403, 'forbidden');
    expectError(
      await viewer.c.req('GET', `/cti/${a}/cgi-bin/api-make_call?phonenumber=300`),
      403,
      'forbidden',
    );
    const operator = await newToken('operator');
    const call = await operator.c.req('POST', `/api/phones/${a}/calls`, { number: '301' });
    expect(call.status, call.text).toBe(200);
    expectError(await operator.c.req('GET', '/api/users'), 403, 'forbidden');
    const admin = await newToken('admin');
    expect((await admin.c.req('GET', '/api/users')).status).toBe(200);
    const me = await admin.c.req('GET', '/api/session');
    expect(sessionSchema.parse(me.body).user).toMatchObject({ id: `token:${admin.id}`, role: 'admin' });
  });

  it('record when they were last used', async () => {
    const t = await newToken('viewer', 'last-used');
    await t.c.req('GET', '/api/state');
    const list = await h.admin.req<{ id: string; lastUsedAt: string | null }[]>('GET', '/api/tokens');
    expect(list.body.find((x) => x.id === t.id)?.lastUsedAt).toMatch(/^\d{4}-/);
  });

  it('stop working the moment they are revoked, open event streams included', async () => {
    const t = await newToken('operator', 'revoked');
    const stream = openEventStream(h.url, { authorization: `Bearer ${t.secret}` });
    expect(await stream.status).toBe(200);
    expect((await t.c.req('GET', '/api/phones')).status).toBe(200);
    expect((await h.admin.req('DELETE', `/api/tokens/${t.id}`)).status).toBe(204);
    expectError(await t.c.req('GET', '/api/phones'), 401, 'unauthenticated');
    expectError(await t.c.req('POST', `/api/phones/${a}/calls`, { number: '302' }), 401, 'unauthenticated');
    await stream.ended;
    expectError(await h.admin.req('DELETE', `/api/tokens/${t.id}`), 404, 'not_found');
  });

  it('a wrong or malformed Authorization header is 401, even next to a valid cookie', async () => {
    const cookie = h.admin.headers.cookie ?? '';
    for (const authorization of ['Bearer ldt_not-a-real-token', 'Basic YWRtaW46YWRtaW4=', 'Bearer']) {
      const res = await send(h.url, 'GET', '/api/phones', { headers: { authorization, cookie } });
      expectError(res, 401, 'unauthenticated');
    }
  });

  it('refuse bad bodies', async () => {
    expectError(await h.admin.req('POST', '/api/tokens', { name: 'x', role: 'root' }), 400, 'invalid_input');
    expectError(await h.admin.req('POST', '/api/tokens', { name: '', role: 'viewer' }), 400, 'invalid_input');
    expectError(
      await h.admin.req('POST', '/api/tokens', { name: 'x', role: 'viewer', secret: 'mine' }),
      400,
      'invalid_input',
    );
  });
});

describe('display keys and /wall', () => {
  async function newKey(phoneIds: string[], name = 'Lobby wall') {
    const res = await h.admin.req('POST', '/api/display-keys', { name, phoneIds });
    expect(res.status, res.text).toBe(201);
    const created = createdSecretSchema.parse(res.body);
    h.passwords.add(created.secret);
    return created;
  }

  async function openWall(secret: string) {
    const res = await send(h.url, 'GET', `/wall?key=${encodeURIComponent(secret)}`);
    expect(res.status, res.text).toBe(303);
    expect(res.headers.location).toBe('/wall');
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = cookieFrom(res);
    expect(cookie).not.toBe('');
    return browser(h.url, cookie, 'wall');
  }

  it('are shown once, listed without the secret, stored only as a hash, and refuse unknown phones', async () => {
    const key = await newKey([a]);
    expect(key.secret).toMatch(/^ldk_[A-Za-z0-9_-]{43}$/);
    const list = await h.admin.req<unknown[]>('GET', '/api/display-keys');
    const listed = list.body.map((x) => displayKeySchema.parse(x)).find((x) => x.id === key.id);
    expect(listed).toMatchObject({ name: 'Lobby wall', phoneIds: [a] });
    expect(list.text).not.toContain(key.secret);
    expect(await dbText()).not.toContain(key.secret);
    expectError(
      await h.admin.req('POST', '/api/display-keys', { name: 'x', phoneIds: ['no-such-phone'] }),
      400,
      'invalid_input',
    );
  });

  it('opening /wall?key= signs the browser in as a viewer of those phones, with no key left in the URL', async () => {
    const key = await newKey([a]);
    const wall = await openWall(key.secret);
    const me = sessionSchema.parse((await wall.req('GET', '/api/session')).body).user;
    expect(me).toMatchObject({ role: 'viewer', phoneIds: [a], id: `display:${key.id}` });
    const phones = await wall.req<{ id: string }[]>('GET', '/api/phones');
    expect(phones.body.map((p) => p.id)).toEqual([a]);
    const states = await wall.req<{ phoneId: string }[]>('GET', '/api/state');
    expect(states.body.map((s) => s.phoneId)).toEqual([a]);
    expectError(await wall.req('GET', `/api/phones/${b}/state`), 403, 'forbidden');
    const before = functionsSeen(h.phone('Alpha').sim, 'api-make_call').length;
    expectError(await wall.req('POST', `/api/phones/${a}/calls`, { number: '400' }), 403, 'forbidden');
    expectError(await wall.req('POST', `/api/phones/${a}/keys`, { keys: ['1'] }), 403, 'forbidden');
    expectError(await wall.req('GET', `/cti/${a}/cgi-bin/api-make_call?phonenumber=400`), 403, 'forbidden');
    expect(functionsSeen(h.phone('Alpha').sim, 'api-make_call').length).toBe(before);
    const list = await h.admin.req<{ id: string; lastUsedAt: string | null }[]>('GET', '/api/display-keys');
    expect(list.body.find((k) => k.id === key.id)?.lastUsedAt).toMatch(/^\d{4}-/);
  });

  it('keeps the wall view parameters through the sign-in, never the key or unknown ones', async () => {
    const key = await newKey([a], 'Light wall');
    const cases: [string, string][] = [
      [`key=${key.secret}&theme=light`, '/wall?theme=light'],
      [`theme=dark&key=${key.secret}`, '/wall?theme=dark'],
      // Unknown parameters and values, and a repeated theme, are dropped rather than passed on.
      [`key=${key.secret}&theme=light&token=x&next=//evil.example`, '/wall?theme=light'],
      [`key=${key.secret}&theme=%22%3E%3Cscript%3E`, '/wall'],
      [`key=${key.secret}&theme=light&theme=dark`, '/wall'],
      // The wall's own view options survive too, when their values are valid.
      [
        `key=${key.secret}&show=active&phones=Reception,Sales%20desk&page_seconds=15&page=2`,
        '/wall?show=active&phones=Reception%2CSales+desk&page_seconds=15&page=2',
      ],
      [`key=${key.secret}&show=everything&page_seconds=2&page=0&phones=%3Cb%3E`, '/wall'],
    ];
    for (const [query, location] of cases) {
      const res = await send(h.url, 'GET', `/wall?${query}`);
      expect(res.status, query).toBe(303);
      expect(res.headers.location, query).toBe(location);
      expect(res.headers.location).not.toContain(key.secret);
      expect(cookieFrom(res)).not.toBe('');
    }
  });

  it('a key without phones shows every phone', async () => {
    const wall = await openWall((await newKey([], 'All phones')).secret);
    const phones = await wall.req<{ id: string }[]>('GET', '/api/phones');
    expect(phones.body.map((p) => p.id).sort()).toEqual([a, b].sort());
  });

  it('revoking the key ends its browsers and open streams at once', async () => {
    const key = await newKey([a], 'Revoked wall');
    const wall = await openWall(key.secret);
    const stream = openEventStream(h.url, { cookie: wall.headers.cookie ?? '' });
    expect(await stream.status).toBe(200);
    expect((await wall.req('GET', '/api/state')).status).toBe(200);
    expect((await h.admin.req('DELETE', `/api/display-keys/${key.id}`)).status).toBe(204);
    expectError(await wall.req('GET', '/api/state'), 401, 'unauthenticated');
    await stream.ended;
    const again = await send(h.url, 'GET', `/wall?key=${key.secret}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expectError(await h.admin.req('DELETE', `/api/display-keys/${key.id}`), 404, 'not_found');
  });

  it('an unknown key gets a page saying so; /wall without a key is left to the web app', async () => {
    for (const query of ['key=ldk_bogus', 'key=a&key=b', 'key=']) {
      const res = await send(h.url, 'GET', `/wall?${query}`);
      expect(res.status, query).toBe(401);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/display link does not work/);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // No built web app in tests: the SPA's 404 answers, not the key check.
    expect((await send(h.url, 'GET', '/wall')).status).toBe(404);
  });

  it('the key never reaches a log line', async () => {
    const key = await newKey([a], 'Logged wall');
    await openWall(key.secret);
    await waitFor(() => h.logLines.some((l) => l.includes('/wall?key=[Redacted]')));
    expect(h.logLines.join('\n')).not.toContain(key.secret);
  });
});

describe('users', () => {
  it('an admin creates users; the answers never carry a password or its hash', async () => {
    const res = await h.admin.req('POST', '/api/users', {
      username: 'dora',
      password: 'doras-password-1',
      role: 'operator',
      phoneIds: [a],
    });
    h.passwords.add('doras-password-1');
    expect(res.status, res.text).toBe(201);
    expect(userSchema.parse(res.body)).toMatchObject({
      username: 'dora',
      role: 'operator',
      phoneIds: [a],
      disabled: false,
      mustChangePassword: false,
    });
    const list = await h.admin.req<unknown[]>('GET', '/api/users');
    expect(list.body.map((u) => userSchema.parse(u).username)).toContain('dora');
    for (const text of [res.text, list.text]) {
      expect(text).not.toMatch(/scrypt|password_hash|passwordHash|doras-password-1/);
    }
  });

  it('refuses duplicates (any case), unknown fields, short passwords, unknown roles and phones', async () => {
    const good = { username: 'erin', password: 'erins-password-1', role: 'viewer' };
    expect((await h.admin.req('POST', '/api/users', good)).status).toBe(201);
    h.passwords.add(good.password);
    for (const body of [
      { ...good, username: 'ERIN' },
      { ...good, username: 'frank', isAdmin: true },
      { ...good, username: 'frank', password: 'short' },
      { ...good, username: 'frank', role: 'root' },
      { ...good, username: 'frank', phoneIds: ['nope'] },
      { ...good, username: 'no spaces allowed' },
    ]) {
      expectError(await h.admin.req('POST', '/api/users', body), 400, 'invalid_input');
    }
  });

  it('a role or phone change applies to the next request of a signed-in user', async () => {
    const u = await h.user('operator', { phoneIds: [a, b] });
    expect((await u.req('POST', `/api/phones/${b}/calls`, { number: '500' })).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${u.id}`, { phoneIds: [a] })).status).toBe(200);
    expectError(await u.req('POST', `/api/phones/${b}/calls`, { number: '501' }), 403, 'forbidden');
    expect((await h.admin.req('PATCH', `/api/users/${u.id}`, { role: 'viewer' })).status).toBe(200);
    expectError(await u.req('POST', `/api/phones/${a}/calls`, { number: '502' }), 403, 'forbidden');
    const me = sessionSchema.parse((await u.req('GET', '/api/session')).body).user;
    expect(me).toMatchObject({ role: 'viewer', phoneIds: [a] });
  });

  it('the last active admin can be neither disabled, demoted nor deleted', async () => {
    const users = await h.admin.req<{ id: string; username: string }[]>('GET', '/api/users');
    const adminId = users.body.find((u) => u.username === 'admin')?.id as string;
    // A disabled admin does not count.
    const other = await h.admin.req<{ id: string }>('POST', '/api/users', {
      username: 'admin-two',
      password: 'admin-two-password',
      role: 'admin',
    });
    h.passwords.add('admin-two-password');
    expect((await h.admin.req('PATCH', `/api/users/${other.body.id}`, { disabled: true })).status).toBe(200);

    expectError(await h.admin.req('PATCH', `/api/users/${adminId}`, { disabled: true }), 403, 'forbidden');
    expectError(await h.admin.req('PATCH', `/api/users/${adminId}`, { role: 'operator' }), 403, 'forbidden');
    expectError(await h.admin.req('DELETE', `/api/users/${adminId}`), 403, 'forbidden');
    expect((await h.admin.req('GET', '/api/session')).status).toBe(200);

    // With a second active admin, demoting and deleting that one is fine.
    expect((await h.admin.req('PATCH', `/api/users/${other.body.id}`, { disabled: false })).status).toBe(200);
    expect((await h.admin.req('PATCH', `/api/users/${other.body.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await h.admin.req('DELETE', `/api/users/${other.body.id}`)).status).toBe(204);
  });

  it('unknown users are 404', async () => {
    expectError(await h.admin.req('PATCH', '/api/users/nope', { role: 'viewer' }), 404, 'not_found');
    expectError(await h.admin.req('DELETE', '/api/users/nope'), 404, 'not_found');
  });
});

describe('nothing secret leaves the server', () => {
  it('no response or log line holds a password, token or display key', async () => {
    expect(answersThatMustNotHoldSecrets().length).toBeGreaterThan(20);
    const haystack = [...h.responses, ...answersThatMustNotHoldSecrets(), ...h.logLines].join('\n');
    expect(h.passwords.size).toBeGreaterThan(5);
    for (const secret of [...h.passwords, ...h.secrets]) expect(haystack).not.toContain(secret);
  });
});
