/**
 * Commands against the real server and simulated phones: the phone's verdict, call confirmation, the
 * double-click guard and the Idempotency-Key that lets a client repeat a command on purpose, validation
 * before anything is sent, confirmation of system operations, and every
 * CTI failure mapped to its HTTP status, never retried. Polling is slow here (60 s) so that a fault
 * injected into a phone hits the command under test, not a poll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionsSeen,
  type Harness,
  sleep,
  startHarness,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';
import { send } from '../users/test-support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { name: 'Desk', model: 'GRP2614' },
      { name: 'Faulty', model: 'GRP2612' },
      { name: 'Rebooter', model: 'GRP2601', rebootMs: 200 },
      { name: 'Locked Out', model: 'GRP2602', passcode: uniquePasscode('wrong') },
      {
        name: 'User Level',
        model: 'GRP2603',
        userPasscode: 'user-level-passcode-1',
        passcode: 'user-level-passcode-1',
      },
    ],
    { pollIntervalMs: 60_000, ctiTimeoutMs: 400 },
  );
  // The first poll of every phone is done (the wrong passcode one is stopped by now).
  await waitFor(async () => {
    const states = (await h.api<{ updatedAt: string | null; status: string }[]>('GET', '/api/state')).body;
    return states.every((s) => s.updatedAt !== null || s.status === 'unauthorized');
  });
});
afterAll(async () => {
  await h?.close();
});

const post = (phone: string, what: string, body: unknown, headers?: Record<string, string>) =>
  h.api<Record<string, unknown>>('POST', `/api/phones/${h.phone(phone).id}/${what}`, body, headers);

/** The `keys` parameter of every api-send_key the phone received, in order. */
const keysSeen = (phone: string) =>
  h
    .phone(phone)
    .sim.requestLog()
    .filter((e) => e.function === 'api-send_key')
    .map((e) => e.params.keys);

let keyCounter = 0;
const newKey = () => `test-key-${process.pid}-${++keyCounter}`;

async function hangUp(phone: string) {
  const sim = h.phone(phone).sim;
  for (const l of sim.snapshot().lines) if (l.state !== 'idle') sim.farEndHangup(l.index);
}

describe('calls', () => {
  it('answers the phone verdict and confirms the call from line status', async () => {
    const res = await post('Desk', 'calls', { number: '2001' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, body: true, confirmed: true });
    expect(
      h
        .phone('Desk')
        .sim.snapshot()
        .lines.some((l) => l.state === 'calling' || l.state === 'dialing'),
    ).toBe(true);
    // The confirmation read went into the cache: the state shows the call without waiting for a poll.
    const state = await h.api<{ status: string }>('GET', `/api/phones/${h.phone('Desk').id}/state`);
    expect(state.body.status).toBe('busy');
    await hangUp('Desk');
  });

  it('double click: the identical command within 1.5 s is answered from the first, sent once', async () => {
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const [a, b] = await Promise.all([
      post('Desk', 'calls', { number: '2002' }),
      post('Desk', 'calls', { number: '2002' }),
    ]);
    const c = await post('Desk', 'calls', { number: '2002' });
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect([a.body.deduplicated, b.body.deduplicated, c.body.deduplicated].filter(Boolean)).toHaveLength(2);
    expect(functionsSeen(sim, 'api-make_call')).toHaveLength(1);
    await hangUp('Desk');
    // After the window the same command is a new command.
    await sleep(1600);
    await post('Desk', 'calls', { number: '2002' });
    expect(functionsSeen(sim, 'api-make_call')).toHaveLength(2);
    await hangUp('Desk');
  });

  it('400 before anything is sent: bad number, bad account, unknown fields', async () => {
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    for (const body of [
      { number: 'abc' },
      { number: '1 2' },
      { number: '' },
      { number: '1', account: -1 },
      { number: '1', x: 1 },
      {},
    ]) {
      const res = await post('Desk', 'calls', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body.error as { code: string }).code).toBe('invalid_input');
    }
    // In the contract's range but beyond any GRP26xx: the CTI client refuses it, still before sending.
    expect((await post('Desk', 'calls', { number: '1', account: 15 })).status).toBe(400);
    expect(functionsSeen(sim, 'api-make_call')).toEqual([]);
  });

  it('unknown phone: 404', async () => {
    const res = await h.api('POST', '/api/phones/unknown/calls', { number: '1' });
    expect(res.status).toBe(404);
  });
});

describe('operations and keys', () => {
  it('accept, hold, end an incoming call', async () => {
    const sim = h.phone('Desk').sim;
    const rang = sim.ring('3003', 'Grace');
    expect(rang.ok).toBe(true);
    expect((await post('Desk', 'operations', { command: 'acceptcall', line: rang.line })).body).toEqual({
      ok: true,
      body: true,
    });
    expect(sim.snapshot().lines.some((l) => l.state === 'connected')).toBe(true);
    const line = sim.snapshot().lines.find((l) => l.state === 'connected')?.index;
    expect((await post('Desk', 'operations', { command: 'holdcall', line })).status).toBe(200);
    expect(sim.snapshot().lines.some((l) => l.state === 'onhold')).toBe(true);
    expect((await post('Desk', 'operations', { command: 'endcall' })).status).toBe(200);
  });

  it('409 rejected when the phone says no (nothing to accept)', async () => {
    const res = await post('Desk', 'operations', { command: 'acceptcall' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'rejected', phoneId: h.phone('Desk').id });
  });

  it('400 for an unknown operation or line', async () => {
    expect((await post('Desk', 'operations', { command: 'explode' })).status).toBe(400);
    expect((await post('Desk', 'operations', { command: 'endcall', line: 99 })).status).toBe(400);
  });

  it('keys are sent joined with ":"; unknown keys are 400', async () => {
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const res = await post('Desk', 'keys', { keys: ['1', '0', '0', '0'] });
    expect(res.body).toEqual({ ok: true, body: 'complete' });
    expect(sim.requestLog().find((e) => e.function === 'api-send_key')?.params.keys).toBe('1:0:0:0');
    expect((await post('Desk', 'keys', { keys: ['FOO'] })).status).toBe(400);
    expect((await post('Desk', 'keys', { keys: [] })).status).toBe(400);
    expect((await post('Desk', 'keys', { keys: ['1&passcode=x'] })).status).toBe(400);
    expect(functionsSeen(sim, 'api-send_key')).toHaveLength(1);
    await post('Desk', 'keys', { keys: ['ONHOOK'] });
  });
});

describe('Idempotency-Key: deliberate repeats are sent, retries of one intent are not', () => {
  // A window of its own for each test: what an earlier test sent must not be taken for a repeat.
  const settle = () => sleep(1600);

  it('the same key twice (at once and again): one request to the phone, answered from the first', async () => {
    await settle();
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const key = newKey();
    const [a, b] = await Promise.all([
      post('Desk', 'keys', { keys: ['VUP'] }, { 'Idempotency-Key': key }),
      post('Desk', 'keys', { keys: ['VUP'] }, { 'Idempotency-Key': key }),
    ]);
    const c = await post('Desk', 'keys', { keys: ['VUP'] }, { 'Idempotency-Key': key });
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect([a.body.deduplicated, b.body.deduplicated, c.body.deduplicated].filter(Boolean)).toHaveLength(2);
    expect(c.body).toEqual({ ok: true, body: 'complete', deduplicated: true });
    expect(keysSeen('Desk')).toEqual(['VUP']);
  });

  it('new keys with identical bodies: each is sent, in order (DTMF "100" reaches the call as 1, 0, 0)', async () => {
    await settle();
    const sim = h.phone('Desk').sim;
    const rang = sim.ring('3100', 'IVR');
    expect(rang.ok).toBe(true);
    await post('Desk', 'operations', { command: 'acceptcall', line: rang.line });
    sim.clearLog();
    const answers = [];
    for (const digit of ['1', '0', '0']) {
      answers.push(await post('Desk', 'keys', { keys: [digit] }, { 'Idempotency-Key': newKey() }));
    }
    expect(answers.map((a) => a.body)).toEqual([
      { ok: true, body: 'complete' },
      { ok: true, body: 'complete' },
      { ok: true, body: 'complete' },
    ]);
    expect(keysSeen('Desk')).toEqual(['1', '0', '0']);
    expect(sim.snapshot().lines.find((l) => l.index === rang.line)?.dtmf).toBe('100');

    // Resume right after Hold: both are `holdcall`, which toggles on GRP26xx firmware.
    const line = rang.line;
    const hold = await post(
      'Desk',
      'operations',
      { command: 'holdcall', line },
      { 'Idempotency-Key': newKey() },
    );
    expect(hold.body).toEqual({ ok: true, body: true });
    expect(sim.snapshot().lines.find((l) => l.index === line)?.state).toBe('onhold');
    const resume = await post(
      'Desk',
      'operations',
      { command: 'holdcall', line },
      { 'Idempotency-Key': newKey() },
    );
    expect(resume.body).toEqual({ ok: true, body: true });
    expect(sim.snapshot().lines.find((l) => l.index === line)?.state).toBe('connected');
    expect(functionsSeen(sim, 'api-phone_operation')).toHaveLength(2);
    await hangUp('Desk');
  });

  it('without the header the double-click guard is unchanged, and keyed commands do not meet it', async () => {
    await settle();
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const plain = [
      await post('Desk', 'keys', { keys: ['VDOWN'] }),
      await post('Desk', 'keys', { keys: ['VDOWN'] }),
    ];
    expect(plain.map((r) => r.body.deduplicated)).toEqual([undefined, true]);
    expect(keysSeen('Desk')).toEqual(['VDOWN']);
    // A keyed command with the same body inside the window is still sent: the key says it is a new intent.
    const keyed = await post('Desk', 'keys', { keys: ['VDOWN'] }, { 'Idempotency-Key': newKey() });
    expect(keyed.body).toEqual({ ok: true, body: 'complete' });
    expect(keysSeen('Desk')).toEqual(['VDOWN', 'VDOWN']);
  });

  it('keys belong to who sent them: the same key from an API token is another command', async () => {
    await settle();
    const sim = h.phone('Desk').sim;
    const token = await h.api<{ secret: string }>('POST', '/api/tokens', {
      name: 'idem script',
      role: 'operator',
    });
    expect(token.status, token.text).toBe(201);
    sim.clearLog();
    const key = newKey();
    expect((await post('Desk', 'keys', { keys: ['MUTE'] }, { 'Idempotency-Key': key })).body).toEqual({
      ok: true,
      body: 'complete',
    });
    const script = await send<Record<string, unknown>>(
      h.url,
      'POST',
      `/api/phones/${h.phone('Desk').id}/keys`,
      {
        body: { keys: ['MUTE'] },
        headers: { authorization: `Bearer ${token.body.secret}`, 'Idempotency-Key': key },
      },
    );
    expect(script.status, script.text).toBe(200);
    expect(script.body).toEqual({ ok: true, body: 'complete' });
    expect(keysSeen('Desk')).toEqual(['MUTE', 'MUTE']);
  });

  it('a key reused for another command within the window: 400, nothing sent', async () => {
    await settle();
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const key = newKey();
    expect((await post('Desk', 'keys', { keys: ['UP'] }, { 'Idempotency-Key': key })).status).toBe(200);
    const reused = await post('Desk', 'keys', { keys: ['DOWN'] }, { 'Idempotency-Key': key });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ code: 'invalid_input' });
    expect(keysSeen('Desk')).toEqual(['UP']);
  });

  it('a malformed key: 400 invalid_input on every command route, and nothing is sent', async () => {
    const sim = h.phone('Desk').sim;
    sim.clearLog();
    const bad = ['', 'a'.repeat(65), 'has space', 'semi;colon', 'dot.ted', 'ünï', 'a,b'];
    const routes: [string, unknown][] = [
      ['calls', { number: '2003' }],
      ['operations', { command: 'endcall' }],
      ['keys', { keys: ['1'] }],
      ['system', { request: 'REBOOT', confirm: 'Desk' }],
    ];
    for (const key of bad) {
      for (const [what, body] of routes) {
        const res = await post('Desk', what, body, { 'Idempotency-Key': key });
        expect(res.status, `${what} ${JSON.stringify(key)}`).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_input' });
      }
    }
    // Polls may come and go (the last command kicked one); no command may.
    expect(functionsSeen(sim).filter((f) => !f.startsWith('api-get_'))).toEqual([]);
    // The boundaries that are valid: 1 and 64 characters of [A-Za-z0-9_-].
    for (const key of ['a', `${'A-_9'.repeat(16)}`]) {
      expect((await post('Desk', 'keys', { keys: ['RIGHT'] }, { 'Idempotency-Key': key })).status).toBe(200);
    }
    expect(keysSeen('Desk')).toEqual(['RIGHT', 'RIGHT']);
  });
});

describe('system', () => {
  it('400 confirmation_mismatch unless confirm is the phone name; nothing sent', async () => {
    const sim = h.phone('Rebooter').sim;
    sim.clearLog();
    const res = await post('Rebooter', 'system', { request: 'REBOOT', confirm: 'rebooter' });
    expect(res.status).toBe(400);
    expect((res.body.error as { code: string }).code).toBe('confirmation_mismatch');
    expect((await post('Rebooter', 'system', { request: 'SHUTDOWN', confirm: 'Rebooter' })).status).toBe(400);
    expect(functionsSeen(sim)).toEqual([]);
  });

  it('RESET with a user passcode: 502 phone_auth_failed, and polling goes on', async () => {
    const phone = h.phone('User Level');
    const res = await post('User Level', 'system', { request: 'RESET', confirm: 'User Level' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'phone_auth_failed' });
    expect(String((res.body.error as { message: string }).message)).toContain('admin passcode');
    expect(h.server.registry.entry(phone.id).poller.mode).toBe('running');
    expect(phone.sim.snapshot().passcode.failures).toBe(0);
  });

  it('REBOOT with the right name: the phone says savereboot', async () => {
    const res = await post('Rebooter', 'system', { request: 'REBOOT', confirm: 'Rebooter' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, body: 'savereboot' });
  });
});

describe('CTI failures map to HTTP and are never retried', () => {
  const cases = [
    { fault: { kind: 'http500', times: 1 }, key: 'VUP', status: 502, code: 'http_status' },
    { fault: { kind: 'html', times: 1 }, key: 'VDOWN', status: 502, code: 'malformed' },
    { fault: { kind: 'truncated', times: 1 }, key: 'MUTE', status: 502, code: 'malformed' },
    { fault: { kind: 'hang', times: 1 }, key: 'UP', status: 504, code: 'timeout' },
    { fault: { kind: 'reset', times: 1 }, key: 'DOWN', status: 502, code: 'unreachable' },
  ] as const;
  for (const c of cases) {
    it(`${c.fault.kind} -> ${c.status} ${c.code}`, async () => {
      const sim = h.phone('Faulty').sim;
      await sleep(50);
      sim.clearLog();
      sim.injectFault(c.fault);
      // A different key each time: an identical command within 1.5 s would be answered from the first.
      const res = await post('Faulty', 'keys', { keys: [c.key] });
      expect(res.status).toBe(c.status);
      expect(res.body.error).toMatchObject({ code: c.code, phoneId: h.phone('Faulty').id });
      expect(functionsSeen(sim, 'api-send_key')).toHaveLength(1);
    });
  }

  it('down -> 502 unreachable', async () => {
    const sim = h.phone('Faulty').sim;
    sim.injectFault({ kind: 'down', ms: 300 });
    const res = await post('Faulty', 'keys', { keys: ['LEFT'] });
    expect(res.status).toBe(502);
    expect((res.body.error as { code: string }).code).toBe('unreachable');
    await sleep(400);
  });

  it('a refused passcode: 502 phone_auth_failed, and later commands are not even sent', async () => {
    const phone = h.phone('Locked Out');
    const res = await post('Locked Out', 'calls', { number: '5' });
    expect(res.status).toBe(502);
    expect((res.body.error as { code: string }).code).toBe('phone_auth_failed');
    expect(functionsSeen(phone.sim, 'api-make_call')).toEqual([]);
    expect(phone.sim.snapshot().passcode.failures).toBe(1);
  });
});

describe('call confirmation with a phone that says success but starts nothing', () => {
  // Field notes: api-make_call may answer success without a call; the simulator's silentMakeCall quirk.
  it('answers confirmed: false after the 3 s watch, and sends make_call once', async () => {
    const sim = h.phone('Desk').sim;
    sim.updateSettings({ quirks: { silentMakeCall: true } });
    sim.clearLog();
    try {
      const started = Date.now();
      const res = await post('Desk', 'calls', { number: '2099' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, body: true, confirmed: false });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
      expect(functionsSeen(sim, 'api-make_call')).toHaveLength(1);
      expect(sim.snapshot().lines.some((l) => l.remoteNumber === '2099')).toBe(false);
    } finally {
      sim.updateSettings({ quirks: { silentMakeCall: false } });
    }
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
  });
});
