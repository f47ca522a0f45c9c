/**
 * The raw CTI passthrough: parsing rules (pure) and the real proxy in front of a simulated phone. Every
 * refusal is checked to send nothing to the phone; every accepted request carries the phone's passcode,
 * never the caller's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCtiRequest } from './cti-proxy.ts';
import { AppError } from './errors.ts';
import {
  functionsSeen,
  type Harness,
  startHarness,
  uniquePasscode,
  waitFor,
} from './test-support/harness.ts';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function refusal(url: string): { code: string; status: number } {
  try {
    parseCtiRequest(url);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, status: err.status };
    throw err;
  }
  throw new Error(`accepted: ${url}`);
}

describe('parseCtiRequest', () => {
  it('accepts the guide functions with valid parameters', () => {
    expect(parseCtiRequest(`/cti/${ID}/cgi-bin/api-get_line_status`)).toEqual({
      phoneId: ID,
      fn: 'api-get_line_status',
      params: [],
      droppedPasscode: false,
    });
    expect(
      parseCtiRequest(`/cti/${ID}/cgi-bin/api-make_call?phonenumber=%2B4930123&account=1&hs=1`).params,
    ).toEqual([
      ['phonenumber', '+4930123'],
      ['account', '1'],
      ['hs', '1'],
    ]);
    expect(parseCtiRequest(`/cti/${ID}/cgi-bin/api-send_key?keys=1:0:0:0&&`).params).toEqual([
      ['keys', '1:0:0:0'],
    ]);
    expect(parseCtiRequest(`/cti/${ID}/cgi-bin/api-phone_operation?cmd=holdcall&arg=2`).params).toHaveLength(
      2,
    );
  });

  it('drops any passcode parameter, whatever its spelling', () => {
    for (const q of [
      'passcode=x',
      'PassCode=x',
      'pass%63ode=x',
      '%70%61%73%73%63%6F%64%65=x',
      'passcode',
      'passcode=a&passcode=b',
    ]) {
      const parsed = parseCtiRequest(`/cti/${ID}/cgi-bin/api-get_accounts?${q}`);
      expect(parsed.params, q).toEqual([]);
      expect(parsed.droppedPasscode).toBe(true);
    }
  });

  it('refuses traversal and encoded paths (400)', () => {
    for (const path of [
      `/cti/${ID}/cgi-bin/../cgi-bin/api-get_line_status`,
      `/cti/${ID}/cgi-bin/%2e%2e/api-get_line_status`,
      `/cti/${ID}/cgi-bin/api-get_line_status%2f..%2fadmin`,
      `/cti/${ID}/cgi-bin%2fapi-get_line_status`,
      `/cti/${ID}/cgi-bin/api-get_line_status/..`,
      `/cti/${ID}//cgi-bin/api-get_line_status`,
      `/cti/${ID}/cgi-bin/./api-get_line_status`,
      `/cti/${ID}/cgi-bin\\api-get_line_status`,
    ]) {
      expect(refusal(path), path).toEqual({ code: 'invalid_input', status: 400 });
    }
  });

  it('refuses other paths and functions (404) and system operations (403)', () => {
    for (const path of [
      `/cti/${ID}/index.html`,
      `/cti/${ID}/cgi-bin/api-unknown`,
      `/cti/${ID}/cgi-bin/config`,
      '/cti/',
      `/cti/${ID}`,
    ]) {
      expect(refusal(path), path).toEqual({ code: 'not_found', status: 404 });
    }
    expect(refusal(`/cti/${ID}/cgi-bin/api-sys_operation?request=REBOOT`)).toEqual({
      code: 'forbidden',
      status: 403,
    });
    expect(refusal(`/cti/${ID}/cgi-bin/api-sys_operation?request=RESET`)).toEqual({
      code: 'forbidden',
      status: 403,
    });
  });

  it('applies the REST validation to every parameter (400)', () => {
    for (const q of [
      'api-make_call?phonenumber=12a',
      'api-make_call?phonenumber=1%26cmd%3DREBOOT',
      'api-make_call',
      'api-make_call?phonenumber=1&account=99',
      'api-make_call?phonenumber=1&phonenumber=2',
      'api-send_key?keys=FOO',
      'api-send_key?keys=1:0:',
      'api-phone_operation?cmd=explode',
      'api-phone_operation?cmd=endcall&arg=17',
      'api-phone_operation?cmd=endcall&request=REBOOT',
      'api-get_line_status?foo=bar',
      'api-get_line_status?x=%E0%A4%A',
    ]) {
      expect(refusal(`/cti/${ID}/cgi-bin/${q}`), q).toEqual({ code: 'invalid_input', status: 400 });
    }
  });
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { name: 'Desk', model: 'GRP2614' },
      { name: 'Other', model: 'GRP2602' },
    ],
    {
      pollIntervalMs: 60_000,
      ctiTimeoutMs: 400,
    },
  );
  await waitFor(() => h.server.cache.get(h.phone('Desk').id)?.updatedAt);
});
afterAll(async () => {
  await h?.close();
});

const cti = (fnAndQuery: string, phone = 'Desk') => h.raw(`/cti/${h.phone(phone).id}/cgi-bin/${fnAndQuery}`);

describe('GET /cti/:id/cgi-bin/api-*', () => {
  it('forwards a read with the phone passcode and answers the phone raw JSON', async () => {
    const res = await cti('api-get_line_status');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const body = res.body as unknown as { response: string; body: unknown[] };
    expect(body.response).toBe('success');
    expect(body.body).toHaveLength(8);
  });

  it("drops the caller's passcode (any spelling) and uses the phone's", async () => {
    const { sim } = h.phone('Desk');
    const wrong = uniquePasscode('caller');
    h.secrets.add(wrong);
    sim.clearLog();
    for (const q of [`passcode=${wrong}`, `PASSCODE=${wrong}`, `pass%63ode=${wrong}`]) {
      const res = await cti(`api-get_phone_status?${q}`);
      expect(res.status, q).toBe(200);
    }
    expect(sim.snapshot().passcode.failures).toBe(0);
    for (const entry of sim.requestLog()) expect(Object.keys(entry.params)).toEqual(['passcode']);
  });

  it('forwards commands after validation: make_call with +number, keys', async () => {
    const { sim } = h.phone('Desk');
    sim.clearLog();
    const call = await cti('api-make_call?phonenumber=%2B4930123');
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ response: 'success', body: true });
    const keys = await cti('api-send_key?keys=1:0:0:0');
    expect(keys.body).toMatchObject({ body: 'complete' });
    const log = sim
      .requestLog()
      .filter((e) => e.function !== 'api-get_line_status' && e.function !== 'api-get_phone_status');
    expect(log.map((e) => [e.function, e.params.phonenumber ?? e.params.keys])).toEqual([
      ['api-make_call', '+4930123'],
      ['api-send_key', '1:0:0:0'],
    ]);
    await cti('api-phone_operation?cmd=endcall');
  });

  it('refuses before sending: traversal, encoded tricks, other paths, bad values, sys_operation, POST', async () => {
    const { sim, id } = h.phone('Desk');
    await new Promise((r) => setTimeout(r, 100)); // the poll kicked by the last command is done
    sim.clearLog();
    const cases: [string, number][] = [
      [`/cti/${id}/cgi-bin/../cgi-bin/api-get_line_status`, 400],
      [`/cti/${id}/cgi-bin/%2e%2e/api-get_line_status`, 400],
      [`/cti/${id}/cgi-bin/%2E%2E%2Fapi-get_line_status`, 400],
      [`/cti/${id}/cgi-bin%2fapi-get_line_status`, 400],
      [`/cti/${id}/../../etc/passwd`, 400],
      [`/cti/${id}/index.html`, 404],
      [`/cti/${id}/cgi-bin/api-whatever`, 404],
      [`/cti/${id}/cgi-bin/api-sys_operation?request=REBOOT`, 403],
      [`/cti/${id}/cgi-bin/api-make_call?phonenumber=abc`, 400],
      [`/cti/${id}/cgi-bin/api-send_key?keys=1&keys=2`, 400],
      [`/cti/${id}/cgi-bin/api-get_line_status?host=evil.example`, 400],
      ['/cti/not-a-phone/cgi-bin/api-get_line_status', 404],
    ];
    for (const [path, status] of cases) {
      const res = await h.raw(path);
      expect(res.status, path).toBe(status);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBeTruthy();
    }
    const post = await h.raw(`/cti/${id}/cgi-bin/api-get_line_status`, 'POST');
    expect([403, 405]).toContain(post.status); // 405 from the proxy, or 403 from CSRF before it
    expect(functionsSeen(sim)).toEqual([]);
  });

  it('phone failures answer the error model: 504 timeout, 502 unreachable', async () => {
    const { sim } = h.phone('Other');
    sim.injectFault({ kind: 'hang', times: 1 });
    const hung = await cti('api-get_accounts', 'Other');
    expect(hung.status).toBe(504);
    expect(hung.body).toMatchObject({ error: { code: 'timeout' } });
    sim.injectFault({ kind: 'down', ms: 300 });
    const down = await cti('api-get_accounts', 'Other');
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ error: { code: 'unreachable' } });
    await new Promise((r) => setTimeout(r, 350));
  });

  it('waits its turn: at most one request in flight per phone, REST and passthrough together', async () => {
    const { sim, id } = h.phone('Desk');
    sim.clearLog();
    sim.injectFault({ kind: 'delay', ms: 150, times: 2 });
    await Promise.all([
      cti('api-send_key?keys=VUP'),
      h.api('POST', `/api/phones/${id}/keys`, { keys: ['VDOWN'] }),
    ]);
    const times = sim
      .requestLog()
      .filter((e) => e.function === 'api-send_key')
      .map((e) => Date.parse(e.time));
    expect(times).toHaveLength(2);
    // The second request reached the phone only after the first (delayed 150 ms) was answered.
    expect(Math.abs((times[1] as number) - (times[0] as number))).toBeGreaterThanOrEqual(140);
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode, and the upstream URL is never logged', () => {
    h.expectNoSecrets();
    expect(h.logLines.some((l) => l.includes('/cgi-bin/api-') && !l.includes('/cti/'))).toBe(false);
  });
});
