import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CtiClient, createCtiClient } from './client.ts';
import { CtiError, type CtiErrorCode } from './errors.ts';
import { closedPortHost, failure, startTestPhone, success, type TestPhone } from './test-phone-server.ts';

// `&`, `=` and `#` would each break a hand-built query string.
const PASSCODE = 'S3cr&t=pw#Zz';
const ENCODED_PASSCODE = encodeURIComponent(PASSCODE);

let phone: TestPhone;
let client: CtiClient;

beforeEach(async () => {
  phone = await startTestPhone();
  client = createCtiClient({ host: phone.host, passcode: PASSCODE, timeoutMs: 2000 });
});

afterEach(async () => {
  await phone.close();
});

async function catchError(promise: Promise<unknown>): Promise<CtiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(CtiError);
    return err as CtiError;
  }
  throw new Error('expected a CtiError, got success');
}

/** Every way an error could be printed, logged or serialized, concatenated. */
function renderings(value: unknown): string {
  const parts = [String(value), JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) {
    parts.push(value.message, value.stack ?? '');
    for (const v of Object.values(value)) parts.push(String(v), JSON.stringify(v) ?? '');
    if (value.cause !== undefined) parts.push(renderings(value.cause));
  }
  return parts.join('\n');
}

function expectNoPasscode(value: unknown) {
  const text = renderings(value);
  expect(text).not.toContain(PASSCODE);
  expect(text).not.toContain(ENCODED_PASSCODE);
  expect(text).not.toContain('S3cr');
}

async function expectCode(promise: Promise<unknown>, code: CtiErrorCode): Promise<CtiError> {
  const err = await catchError(promise);
  expect(err.code).toBe(code);
  expectNoPasscode(err);
  return err;
}

describe('requests on the wire', () => {
  it('getLineStatus sends only the passcode, encoded', async () => {
    phone.respond('api-get_line_status', success([]));
    await client.getLineStatus();
    expect(phone.requests).toHaveLength(1);
    expect(phone.requests[0]?.method).toBe('GET');
    expect(phone.requests[0]?.fn).toBe('api-get_line_status');
    expect(phone.requests[0]?.rawQuery).toBe('passcode=S3cr%26t%3Dpw%23Zz');
    expect(phone.requests[0]?.query.get('passcode')).toBe(PASSCODE);
  });

  it.each([
    ['getPhoneStatus', 'api-get_phone_status', success('available', { misc: '0' })],
    ['getAccounts', 'api-get_accounts', success([])],
  ] as const)('%s calls %s with the passcode only', async (method, fn, answer) => {
    phone.respond(fn, answer);
    await client[method]();
    expect(phone.requests.map((r) => [r.fn, r.rawQuery])).toEqual([[fn, `passcode=${ENCODED_PASSCODE}`]]);
  });

  it('phoneOperation sends cmd, and arg for a line', async () => {
    phone.respond('api-phone_operation', success(true));
    await expect(client.phoneOperation('holdcall')).resolves.toEqual({ ok: true, body: true, extra: {} });
    await client.phoneOperation('endcall', { line: 3 });
    await client.phoneOperation('unhold', { line: 16 });
    expect(phone.requests.map((r) => r.rawQuery)).toEqual([
      `passcode=${ENCODED_PASSCODE}&cmd=holdcall`,
      `passcode=${ENCODED_PASSCODE}&cmd=endcall&arg=3`,
      `passcode=${ENCODED_PASSCODE}&cmd=unhold&arg=16`,
    ]);
    expect(phone.requests.every((r) => r.fn === 'api-phone_operation')).toBe(true);
  });

  it('makeCall sends phonenumber, and account when given (0-based)', async () => {
    phone.respond('api-make_call', success(true));
    await expect(client.makeCall('3501')).resolves.toEqual({ ok: true, body: true, extra: {} });
    await client.makeCall('3501', { account: 0 });
    await client.makeCall('3501', { account: 2 });
    expect(phone.requests.map((r) => r.rawQuery)).toEqual([
      `passcode=${ENCODED_PASSCODE}&phonenumber=3501`,
      `passcode=${ENCODED_PASSCODE}&phonenumber=3501&account=0`,
      `passcode=${ENCODED_PASSCODE}&phonenumber=3501&account=2`,
    ]);
  });

  it('makeCall encodes +, * and # so the phone receives the number unchanged', async () => {
    phone.respond('api-make_call', success(true));
    await client.makeCall('+49*1#');
    const req = phone.requests[0];
    expect(req?.rawQuery).toBe(`passcode=${ENCODED_PASSCODE}&phonenumber=%2B49*1%23`);
    expect(req?.query.get('phonenumber')).toBe('+49*1#');
    expect([...(req?.query.keys() ?? [])]).toEqual(['passcode', 'phonenumber']);
  });

  it('sendKeys joins keys with ":" and takes a single key as a string', async () => {
    phone.respond('api-send_key', success('complete'));
    await expect(client.sendKeys(['1', '0', '0', '0'])).resolves.toEqual({
      ok: true,
      body: 'complete',
      extra: {},
    });
    await client.sendKeys('SPEAKER');
    await client.sendKeys(['*', '#', 'LINE16', 'SOFT4', 'MPK48']);
    expect(phone.requests.map((r) => r.query.get('keys'))).toEqual([
      '1:0:0:0',
      'SPEAKER',
      '*:#:LINE16:SOFT4:MPK48',
    ]);
    expect(phone.requests[0]?.rawQuery).toBe(`passcode=${ENCODED_PASSCODE}&keys=1%3A0%3A0%3A0`);
  });

  it('sysOperation sends request=REBOOT / RESET and returns the body', async () => {
    phone.respond('api-sys_operation', success('savereboot'));
    await expect(client.sysOperation('REBOOT')).resolves.toEqual({ ok: true, body: 'savereboot', extra: {} });
    phone.respond('api-sys_operation', success('reset'));
    await expect(client.sysOperation('RESET')).resolves.toMatchObject({ ok: true, body: 'reset' });
    expect(phone.requests.map((r) => [r.fn, r.rawQuery])).toEqual([
      ['api-sys_operation', `passcode=${ENCODED_PASSCODE}&request=REBOOT`],
      ['api-sys_operation', `passcode=${ENCODED_PASSCODE}&request=RESET`],
    ]);
  });

  it('never retries: one failing command is one request', async () => {
    phone.respond('api-make_call', { status: 500, body: 'oops', contentType: 'text/plain' });
    await expectCode(client.makeCall('100'), 'http_status');
    phone.respond('api-get_line_status', { hang: true });
    const quick = createCtiClient({ host: phone.host, passcode: PASSCODE, timeoutMs: 100 });
    await expectCode(quick.getLineStatus(), 'timeout');
    expect(phone.requests.map((r) => r.fn)).toEqual(['api-make_call', 'api-get_line_status']);
  });
});

describe('parsing results', () => {
  it('maps line status to camelCase, accepting remotenum and remotenumber', async () => {
    phone.respond(
      'api-get_line_status',
      success([
        { line: 1, state: 'connected', acct: 0, remotename: 'Ann', remotenumber: '3501', active: 1, conf: 0 },
        { line: 2, state: 'ringing', acct: '2', remotename: '', remotenum: '+4930123', active: 0, conf: 1 },
        { line: 3, state: 'idle', acct: '', remotename: '', remotenum: '', active: 0 },
      ]),
    );
    expect(await client.getLineStatus()).toEqual([
      {
        line: 1,
        state: 'connected',
        account: 0,
        remoteName: 'Ann',
        remoteNumber: '3501',
        active: true,
        conference: false,
      },
      {
        line: 2,
        state: 'ringing',
        account: 2,
        remoteName: '',
        remoteNumber: '+4930123',
        active: false,
        conference: true,
      },
      {
        line: 3,
        state: 'idle',
        account: null,
        remoteName: '',
        remoteNumber: '',
        active: false,
        conference: false,
      },
    ]);
  });

  it('reports unknown line states with their raw text instead of failing', async () => {
    phone.respond('api-get_line_status', success([{ line: 1, state: 'transferred', acct: 1 }]));
    const [line] = await client.getLineStatus();
    expect(line).toMatchObject({ line: 1, state: 'unknown', rawState: 'transferred', account: 1 });
  });

  it('handles any number of lines (2 to 16)', async () => {
    const lines = Array.from({ length: 16 }, (_, i) => ({ line: i + 1, state: 'idle', acct: '' }));
    phone.respond('api-get_line_status', success(lines));
    expect((await client.getLineStatus()).map((l) => l.line)).toEqual(lines.map((l) => l.line));
  });

  it('parses phone status with misc and keeps extra fields', async () => {
    phone.respond(
      'api-get_phone_status',
      success('busy', { misc: '1', battery: 80, session_expiring: false }),
    );
    expect(await client.getPhoneStatus()).toEqual({
      status: 'busy',
      misc: '1',
      extra: { battery: 80, session_expiring: false },
    });
    phone.respond('api-get_phone_status', success('sleeping'));
    expect(await client.getPhoneStatus()).toEqual({
      status: 'unknown',
      rawStatus: 'sleeping',
      misc: '',
      extra: {},
    });
  });

  it('parses accounts and ignores extra fields', async () => {
    phone.respond(
      'api-get_accounts',
      success([
        {
          id: 1,
          sip_server: 'testsipserver.com',
          sip_id: '1234',
          name: 'test_account',
          reg: 1,
          transport: 'udp',
        },
        { id: '2', sip_server: '', sip_id: '', name: '', reg: 0 },
      ]),
    );
    expect(await client.getAccounts()).toEqual([
      { id: 1, sipServer: 'testsipserver.com', sipId: '1234', name: 'test_account', registered: true },
      { id: 2, sipServer: '', sipId: '', name: '', registered: false },
    ]);
  });

  it.each(['text/html', 'text/plain', 'text/plain; charset=ISO-8859-1', ''])(
    'accepts the JSON envelope with Content-Type "%s"',
    async (contentType) => {
      phone.respond('api-get_phone_status', {
        contentType,
        body: '{"response": "success", "body": "available", "misc": "0"}',
      });
      expect((await client.getPhoneStatus()).status).toBe('available');
    },
  );

  it('keeps extra top-level fields of command answers', async () => {
    phone.respond('api-send_key', success('complete', { session_expiring: true }));
    expect(await client.sendKeys('OK')).toEqual({
      ok: true,
      body: 'complete',
      extra: { session_expiring: true },
    });
  });
});

describe('line status poll after poll', () => {
  const lines = [{ line: 1, state: 'idle', acct: 0, remotename: '', remotenumber: '', active: 0, conf: 0 }];

  it('an answer identical to the last gives the same frozen lines; a changed or refused one is read anew', async () => {
    phone.respond('api-get_line_status', success(lines));
    const first = await client.getLineStatus();
    const again = await client.getLineStatus();
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    phone.respond('api-get_line_status', success([{ ...lines[0], state: 'ringing', remotenumber: '202' }]));
    const ringing = await client.getLineStatus();
    expect(ringing).not.toBe(first);
    expect(ringing[0]).toMatchObject({ state: 'ringing', remoteNumber: '202' });
    phone.respond('api-get_line_status', failure('error'));
    await expectCode(client.getLineStatus(), 'rejected');
    phone.respond('api-get_line_status', success(lines));
    expect((await client.getLineStatus())[0]?.state).toBe('idle');
  });
});

describe('error codes', () => {
  it.each([
    ['an HTML page', 'text/html', '<html><head><title>Login</title></head><body>Please log in</body></html>'],
    ['key=value text', 'text/plain', 'response=success\nbody=available\n'],
    ['truncated JSON', 'application/json', '{"response": "success", "body": [{"line": 1, "sta'],
    ['an empty body', 'application/json', ''],
    ['JSON without a response field', 'application/json', '{"body": "available"}'],
    ['a JSON array', 'application/json', '[1, 2]'],
  ])('%s is malformed', async (_name, contentType, body) => {
    phone.respond('api-get_phone_status', { contentType, body });
    const err = await expectCode(client.getPhoneStatus(), 'malformed');
    expect(err.host).toBe(phone.host);
  });

  it('a body of the wrong shape is malformed', async () => {
    phone.respond('api-get_line_status', success('complete'));
    await expectCode(client.getLineStatus(), 'malformed');
    phone.respond('api-get_line_status', success([{ state: 'idle' }]));
    await expectCode(client.getLineStatus(), 'malformed');
    phone.respond('api-get_accounts', success([{ name: 'no id' }]));
    await expectCode(client.getAccounts(), 'malformed');
    phone.respond('api-get_phone_status', success(['available']));
    await expectCode(client.getPhoneStatus(), 'malformed');
  });

  it.each([401, 403])('HTTP %i is auth_failed', async (status) => {
    phone.respond('api-get_line_status', {
      status,
      contentType: 'text/html',
      body: '<html>Forbidden</html>',
    });
    const err = await expectCode(client.getLineStatus(), 'auth_failed');
    expect(err.status).toBe(status);
  });

  it.each([failure('locked'), success('locked')])('a "locked" answer is auth_failed', async (answer) => {
    phone.respond('api-make_call', answer);
    await expectCode(client.makeCall('100'), 'auth_failed');
  });

  it.each([500, 404, 302])('HTTP %i is http_status', async (status) => {
    phone.respond('api-get_accounts', { status, contentType: 'text/html', body: '<html>no</html>' });
    const err = await expectCode(client.getAccounts(), 'http_status');
    expect(err.status).toBe(status);
  });

  it.each([
    ['api-make_call', () => client.makeCall('100'), 'Invalid Request'],
    ['api-phone_operation', () => client.phoneOperation('acceptcall'), false],
    ['api-sys_operation', () => client.sysOperation('RESET'), 'unknown'],
    ['api-send_key', () => client.sendKeys('XFER'), 'failed'],
  ] as const)('response "error" from %s is rejected with the phone body', async (fn, run, body) => {
    phone.respond(fn, failure(body));
    const err = await expectCode(run(), 'rejected');
    expect(err.body).toBe(body);
    expect(err.host).toBe(phone.host);
  });

  it('a redirect is reported as http_status, not followed with the passcode', async () => {
    phone.respond('api-get_accounts', { status: 302, headers: { location: '/login' }, body: '' });
    phone.respond('login', success([]));
    const err = await expectCode(client.getAccounts(), 'http_status');
    expect(err.status).toBe(302);
    expect(phone.requests.map((r) => r.fn)).toEqual(['api-get_accounts']);
  });

  it('a phone that never answers is a timeout', async () => {
    phone.respond('api-get_phone_status', { hang: true });
    const slow = createCtiClient({ host: phone.host, passcode: PASSCODE, timeoutMs: 150 });
    const started = Date.now();
    await expectCode(slow.getPhoneStatus(), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a closed port is unreachable', async () => {
    const host = await closedPortHost();
    const dead = createCtiClient({ host, passcode: PASSCODE });
    const err = await expectCode(dead.getLineStatus(), 'unreachable');
    expect(err.host).toBe(host);
    expect((err.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('never leaks the passcode through a cause that carries the URL', async () => {
    const leakyFetch: typeof fetch = async (input) => {
      const url = String(input);
      throw new TypeError(`fetch failed for ${url}`, { cause: new Error(`connect ECONNRESET ${url}`) });
    };
    const c = createCtiClient({ host: phone.host, passcode: PASSCODE, fetch: leakyFetch });
    const err = await expectCode(c.getAccounts(), 'unreachable');
    expect(String((err.cause as Error).message)).toContain('passcode=[redacted]');
  });
});

describe('input validation happens before any request', () => {
  it.each([
    ['an injection attempt', () => client.makeCall('1&cmd=REBOOT')],
    ['an empty number', () => client.makeCall('')],
    ['letters', () => client.makeCall('abc')],
    ['spaces', () => client.makeCall('030 123')],
    ['65 digits', () => client.makeCall('1'.repeat(65))],
    ['a + in the middle', () => client.makeCall('12+3')],
    ['a negative account', () => client.makeCall('100', { account: -1 })],
    ['a fractional account', () => client.makeCall('100', { account: 1.5 })],
    ['an account too high', () => client.makeCall('100', { account: 12 })],
    ['an unknown key', () => client.sendKeys(['1', 'BOOM'])],
    ['MPK49', () => client.sendKeys('MPK49')],
    ['a pre-joined key list', () => client.sendKeys('1:0')],
    ['a key with an injection', () => client.sendKeys('OK&request=RESET')],
    ['an empty key list', () => client.sendKeys([])],
    ['an empty key', () => client.sendKeys('')],
    ['too many keys', () => client.sendKeys(Array.from({ length: 65 }, () => '1'))],
    ['an unknown operation', () => client.phoneOperation('REBOOT' as never)],
    ['line 0', () => client.phoneOperation('endcall', { line: 0 })],
    ['line 17', () => client.phoneOperation('endcall', { line: 17 })],
    ['a line as text', () => client.phoneOperation('endcall', { line: '1&cmd=x' as never })],
    ['an unknown system request', () => client.sysOperation('reboot' as never)],
  ])('%s is invalid_input', async (_name, run) => {
    phone.respond('*', success(true));
    await expectCode(run(), 'invalid_input');
    expect(phone.requests).toHaveLength(0);
  });

  it.each([
    ['an empty host', ''],
    ['a path', 'http://10.0.0.2/cgi-bin'],
    ['a query', '10.0.0.2?x=1'],
    ['credentials', 'http://admin:secret@10.0.0.2'],
    ['an ftp URL', 'ftp://10.0.0.2'],
    ['a file URL', 'file:///etc/passwd'],
    ['a bare IPv6 address', '::1'],
    ['garbage', 'http://[nope'],
  ])('a host with %s is refused at creation', (_name, host) => {
    let err: unknown;
    try {
      createCtiClient({ host, passcode: PASSCODE });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CtiError);
    expect((err as CtiError).code).toBe('invalid_input');
    expect(renderings(err)).not.toContain('secret');
    expectNoPasscode(err);
  });

  it('refuses an empty passcode and a bad timeout', () => {
    expect(() => createCtiClient({ host: '10.0.0.2', passcode: '' })).toThrow(CtiError);
    expect(() => createCtiClient({ host: '10.0.0.2', passcode: 'x', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('the client object', () => {
  it('exposes the host but never the passcode', () => {
    expect(client.host).toBe(phone.host);
    expect(JSON.parse(JSON.stringify(client))).toEqual({ host: phone.host });
    expectNoPasscode(client);
    expect(Object.values(client).map(String).join()).not.toContain(PASSCODE);
  });

  it('accepts http:// URLs and [v6]:port hosts', async () => {
    phone.respond('api-get_phone_status', success('available'));
    const viaUrl = createCtiClient({ host: `http://${phone.host}/`, passcode: PASSCODE });
    expect(viaUrl.host).toBe(`http://${phone.host}`);
    expect((await viaUrl.getPhoneStatus()).status).toBe('available');
    expect(createCtiClient({ host: '[fe80::1]:8080', passcode: 'x' }).host).toBe('[fe80::1]:8080');
  });
});
