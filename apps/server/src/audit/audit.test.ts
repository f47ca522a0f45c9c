/**
 * The audit log over HTTP: one row per command and per change, readable
 * once the answer is, with who / role / address / phone / what / the phone's
 * verdict, never a passcode, password or secret; and `GET /api/audit`
 * (admin only) pages through it with filters.
 */
import { type AuditEntry, auditPageSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthHarness,
  answersThatMustNotHoldSecrets,
  expectError,
  type SignedIn,
  startAlphaBravo,
} from '../users/test-support.ts';

let h: AuthHarness;
let a: string;
let b: string;
let operator: SignedIn;
let viewer: SignedIn;

beforeAll(async () => {
  ({ h, a, b } = await startAlphaBravo());
  operator = await h.user('operator', { phoneIds: [a, b] });
  viewer = await h.user('viewer');
});
afterAll(async () => {
  await h?.close();
});

async function rowCount(): Promise<number> {
  await h.server.auditLog.settled();
  return (await h.server.db.selectFrom('audit').select('id').execute()).length;
}

/** The newest row, read from the database itself (not through the API under test). */
async function lastRow(): Promise<AuditEntry> {
  await h.server.auditLog.settled();
  const row = await h.server.db
    .selectFrom('audit')
    .selectAll()
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    role: row.role,
    address: row.address,
    phoneId: row.phone_id,
    action: row.action,
    params: JSON.parse(row.params_json),
    result: row.result,
  };
}

async function allEntries(query = ''): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: number | null = null;
  do {
    const sep = query ? '&' : '';
    const res = await h.admin.req(
      'GET',
      `/api/audit?${query}${sep}limit=50${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status, res.text).toBe(200);
    const page = auditPageSchema.parse(res.body);
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return entries;
}

describe('one row per command, readable once answered', () => {
  it('records each REST and passthrough command once, with who, role, address, phone and verdict', async () => {
    const commands: [string, string, unknown, string, Record<string, unknown>][] = [
      ['POST', `/api/phones/${a}/calls`, { number: '+4930555' }, 'calls:make', { number: '+4930555' }],
      ['POST', `/api/phones/${a}/keys`, { keys: ['1', '2', '#'] }, 'keys:send', { keys: ['1', '2', '#'] }],
      [
        'POST',
        `/api/phones/${a}/operations`,
        { command: 'endcall' },
        'calls:operation',
        { command: 'endcall' },
      ],
      [
        'GET',
        `/cti/${a}/cgi-bin/api-send_key?keys=4:5&passcode=sneaky-pass`,
        undefined,
        'cti:command',
        { keys: '4:5' },
      ],
    ];
    for (const [method, path, body, action, params] of commands) {
      const before = await rowCount();
      const res = await operator.req(method, path, body);
      // The row is there the moment the answer is: a read waits for the rows written behind the answers.
      expect(await rowCount(), `${action}: ${res.status} ${res.text}`).toBe(before + 1);
      const row = await lastRow();
      expect(row).toMatchObject({
        userId: operator.id,
        username: operator.username,
        role: 'operator',
        phoneId: a,
        action,
      });
      expect(row.params).toMatchObject(params);
      expect(row.address).toMatch(/127\.0\.0\.1/);
      expect(row.result).toMatch(/^(ok|forwarded|rejected)$/);
    }
    expect(JSON.stringify((await lastRow()).params)).not.toContain('sneaky-pass');
  });

  it('a refused command (403) reaches neither the phone nor the log as a command', async () => {
    const before = await rowCount();
    expectError(await viewer.req('POST', `/api/phones/${a}/calls`, { number: '111' }), 403, 'forbidden');
    expect(await rowCount()).toBe(before);
  });

  it('records changes: phones, users, tokens, display keys, password changes, sign-ins', async () => {
    const newPasscode = 'new-secret-passcode-42';
    h.secrets.add(newPasscode);
    expect((await h.admin.req('PATCH', `/api/phones/${b}`, { passcode: newPasscode })).status).toBe(200);
    const phoneRow = await lastRow();
    expect(phoneRow).toMatchObject({ action: 'phones:update', phoneId: b, username: 'admin', role: 'admin' });

    const token = await h.admin.req<{ id: string; secret: string }>('POST', '/api/tokens', {
      name: 'audited',
      role: 'viewer',
    });
    h.passwords.add(token.body.secret);
    expect(await lastRow()).toMatchObject({
      action: 'tokens:create',
      params: { tokenId: token.body.id, role: 'viewer' },
    });
    const key = await h.admin.req<{ id: string; secret: string }>('POST', '/api/display-keys', {
      name: 'audited',
      phoneIds: [a],
    });
    h.passwords.add(key.body.secret);
    expect(await lastRow()).toMatchObject({
      action: 'display-keys:create',
      params: { displayKeyId: key.body.id },
    });
    expect(
      (await h.admin.req('PATCH', `/api/users/${viewer.id}`, { password: 'reset-by-admin-1' })).status,
    ).toBe(200);
    h.passwords.add('reset-by-admin-1');
    expect(await lastRow()).toMatchObject({
      action: 'users:update',
      params: { userId: viewer.id, passwordReset: true },
    });
    const actions = new Set((await allEntries()).map((e) => e.action));
    for (const action of ['phones:create', 'users:create', 'session:sign-in'])
      expect(actions).toContain(action);
  });

  it('a command sent with an API token is recorded under that token', async () => {
    const token = await h.admin.req<{ id: string; secret: string }>('POST', '/api/tokens', {
      name: 'dialer',
      role: 'operator',
    });
    h.passwords.add(token.body.secret);
    const res = await fetch(`${h.url}/api/phones/${a}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ number: '777' }),
    });
    expect(res.status).toBe(200);
    expect(await lastRow()).toMatchObject({
      action: 'calls:make',
      userId: `token:${token.body.id}`,
      username: 'token:dialer',
      role: 'operator',
    });
  });
});

describe('GET /api/audit', () => {
  it('pages newest first without gaps or repeats', async () => {
    const all = await allEntries();
    expect(all.length).toBe(await rowCount());
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const small: AuditEntry[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const res = await h.admin.req('GET', `/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const page = auditPageSchema.parse(res.body);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      small.push(...page.entries);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBeGreaterThan(2);
    expect(small.map((e) => e.id)).toEqual(ids);
  });

  it('filters by phone, user and time', async () => {
    const byPhone = await allEntries(`phoneId=${a}`);
    expect(byPhone.length).toBeGreaterThan(0);
    expect(new Set(byPhone.map((e) => e.phoneId))).toEqual(new Set([a]));
    const byUser = await allEntries(`userId=${operator.id}`);
    expect(byUser.length).toBeGreaterThanOrEqual(4);
    expect(new Set(byUser.map((e) => e.username))).toEqual(new Set([operator.username]));
    const first = (await allEntries()).at(-1) as AuditEntry;
    expect(await allEntries(`to=${encodeURIComponent(first.at)}`)).toEqual([]);
    expect(await allEntries('from=2999-01-01')).toEqual([]);
    expect((await allEntries(`from=${encodeURIComponent(first.at)}`)).length).toBe(await rowCount());
  });

  it('refuses bad queries', async () => {
    for (const q of ['limit=0', 'limit=9999', 'from=yesterday', 'cursor=-1', 'sort=asc']) {
      expectError(await h.admin.req('GET', `/api/audit?${q}`), 400, 'invalid_input');
    }
  });

  it('is for admins only', async () => {
    expectError(await operator.req('GET', '/api/audit'), 403, 'forbidden');
    expectError(await h.anonymous.req('GET', '/api/audit'), 401, 'unauthenticated');
  });
});

describe('nothing secret in the audit log', () => {
  it('holds no phone passcode, password, token or display key, in the API or in the database', async () => {
    const api = JSON.stringify(await allEntries());
    await h.server.auditLog.settled();
    const db = JSON.stringify(await h.server.db.selectFrom('audit').selectAll().execute());
    const secrets = [...h.secrets, ...h.passwords];
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) {
      expect(api).not.toContain(secret);
      expect(db).not.toContain(secret);
    }
    const answers = [...h.responses, ...answersThatMustNotHoldSecrets(), ...h.logLines].join('\n');
    for (const secret of secrets) expect(answers).not.toContain(secret);
  });
});
