/**
 * The phones REST API against the real server and real simulated phones over HTTP:
 * CRUD, state from the cache, validation, error bodies, diagnosis, and no passcode anywhere.
 */
import { apiErrorBodySchema, diagnosisSchema, phoneSchema, phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionsSeen,
  type Harness,
  startHarness,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness([
    { name: 'Reception', model: 'GRP2614' },
    { name: 'Sales', model: 'GRP2602' },
  ]);
});
afterAll(async () => {
  await h?.close();
});

function expectError(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  const parsed = apiErrorBodySchema.parse(res.body);
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return parsed.error;
}

describe('health and phones', () => {
  it('GET /api/health', async () => {
    const res = await h.api('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, phones: 2 });
  });

  it('GET /api/phones lists phones without passcodes', async () => {
    const res = await h.api<unknown[]>('GET', '/api/phones');
    expect(res.status).toBe(200);
    expect(res.body.map((p) => phoneSchema.parse(p).name).sort()).toEqual(['Reception', 'Sales']);
    // `auth: "passcode"` names the scheme; no passcode field or value may appear.
    expect(res.text).not.toMatch(/"passcode"\s*:/i);
    h.expectNoSecrets();
  });

  it('GET /api/phones/:id and 404 for an unknown id', async () => {
    const reception = h.phone('Reception');
    const res = await h.api('GET', `/api/phones/${reception.id}`);
    expect(phoneSchema.parse(res.body)).toMatchObject({
      name: 'Reception',
      model: 'GRP2614',
      host: reception.sim.host,
    });
    const missing = await h.api('GET', '/api/phones/nope');
    expect(expectError(missing, 404, 'not_found').phoneId).toBe('nope');
  });

  it('POST validates the body: 400 with issues, nothing stored', async () => {
    const bad = await h.api('POST', '/api/phones', { name: '', host: 'not a host!', passcode: '' });
    const error = expectError(bad, 400, 'invalid_input');
    expect(error.issues?.map((i) => i.path).sort()).toEqual(['host', 'name', 'passcode']);
    expectError(
      await h.api('POST', '/api/phones', { name: 'X', host: '10.0.0.1', passcode: 'p', extra: 1 }),
      400,
      'invalid_input',
    );
    expectError(
      await h.api('POST', '/api/phones', { name: 'Reception', host: '10.0.0.1', passcode: 'p' }),
      400,
      'invalid_input',
    );
    expect((await h.api<unknown[]>('GET', '/api/phones')).body.length).toBe(2);
  });

  it('malformed JSON and oversized bodies are invalid_input', async () => {
    const res = await new Promise<{ status: number; text: string }>((resolve) => {
      void fetch(`${h.url}/api/phones`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name": ',
      }).then(async (r) => resolve({ status: r.status, text: await r.text() }));
    });
    expectError({ status: res.status, body: JSON.parse(res.text) }, 400, 'invalid_input');
    const big = await fetch(`${h.url}/api/phones`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(100_000) }),
    });
    expectError({ status: big.status, body: await big.json() }, 413, 'invalid_input');
  });

  it('unknown API routes are 404 not_found as JSON', async () => {
    expectError(await h.api('GET', '/api/nothing-here'), 404, 'not_found');
  });

  it('POST creates (201), PATCH updates, DELETE removes; no answer holds the passcode', async () => {
    const passcode = uniquePasscode('new');
    h.secrets.add(passcode);
    const created = await h.api<{ id: string }>('POST', '/api/phones', {
      name: 'Temp',
      host: '127.0.0.1:9',
      passcode,
      model: 'GRP2612',
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/phones/${created.body.id}`);
    const id = created.body.id;

    const secondPasscode = uniquePasscode('changed');
    h.secrets.add(secondPasscode);
    const patched = await h.api('PATCH', `/api/phones/${id}`, {
      name: 'Temp 2',
      passcode: secondPasscode,
      model: '',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Temp 2', model: null });
    expectError(await h.api('PATCH', `/api/phones/${id}`, { host: 'bad host!' }), 400, 'invalid_input');
    expectError(await h.api('PATCH', '/api/phones/missing', { name: 'x' }), 404, 'not_found');

    // Port 9 (discard) refuses: the new phone is shown offline, never with its passcode.
    const offline = await waitFor(async () => {
      const s = await h.api<{ status: string }>('GET', `/api/phones/${id}/state`);
      return s.body.status === 'offline' ? s : undefined;
    });
    expect(phoneStateSchema.parse(offline.body).error?.code).toBe('unreachable');

    expect((await h.api('DELETE', `/api/phones/${id}`)).status).toBe(204);
    expectError(await h.api('GET', `/api/phones/${id}`), 404, 'not_found');
    expectError(await h.api('DELETE', `/api/phones/${id}`), 404, 'not_found');
  });
});

describe('state', () => {
  it('GET /api/phones/:id/state answers from the cache with lines and accounts', async () => {
    const reception = h.phone('Reception');
    const res = await waitFor(async () => {
      const r = await h.api('GET', `/api/phones/${reception.id}/state`);
      return phoneStateSchema.parse(r.body).accounts.length > 0 ? r : undefined;
    });
    const state = phoneStateSchema.parse(res.body);
    expect(state.status).toBe('available');
    expect(state.lines).toHaveLength(8); // GRP2614 has 8 line keys: never assume 3
    expect(state.lines[0]).toMatchObject({ line: 1, state: 'idle', known: true });
    expect(state.accounts[0]).toMatchObject({ id: 1, registered: true });
    expect(state.updatedAt).not.toBeNull();
  });

  it('GET /api/state gives every phone; viewers do not add phone traffic', async () => {
    const reception = h.phone('Reception');
    const res = await h.api<unknown[]>('GET', '/api/state');
    expect(res.body.map((s) => phoneStateSchema.parse(s).phoneId).sort()).toEqual(
      h.phones.map((p) => p.id).sort(),
    );
    const before = functionsSeen(reception.sim).length;
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => h.api('GET', `/api/phones/${reception.id}/state`)));
    const polls = Math.ceil((Date.now() - started) / 50) + 1;
    // Only the poller's own requests (two per 50 ms poll) happened meanwhile, however slow the machine.
    expect(functionsSeen(reception.sim).length - before).toBeLessThanOrEqual(2 * polls + 1);
    expect(functionsSeen(reception.sim).length - before).toBeLessThan(50);
  });

  it('an incoming call shows as ringing with the caller', async () => {
    const sales = h.phone('Sales');
    sales.sim.ring('+4930123456', 'Ada');
    const state = await waitFor(async () => {
      const s = phoneStateSchema.parse((await h.api('GET', `/api/phones/${sales.id}/state`)).body);
      return s.status === 'ringing' ? s : undefined;
    });
    expect(state.lines.find((l) => l.state === 'ringing')).toMatchObject({ remoteNumber: '+4930123456' });
    sales.sim.farEndHangup();
    await waitFor(
      async () =>
        phoneStateSchema.parse((await h.api('GET', `/api/phones/${sales.id}/state`)).body).status ===
        'available',
    );
  });
});

describe('POST /api/phones/:id/test (diagnosis)', () => {
  it('all good on a healthy phone; click-to-dial is not checked', async () => {
    const reception = h.phone('Reception');
    const res = await h.api('POST', `/api/phones/${reception.id}/test`);
    expect(res.status).toBe(200);
    const d = diagnosisSchema.parse(res.body);
    expect(d.ok).toBe(true);
    expect(Object.fromEntries(d.checks.map((c) => [c.id, c.ok]))).toEqual({
      reachable: true,
      passcode: true,
      cti_enabled: true,
      model: null,
      click_to_dial: null,
    });
    expect(d.checks.find((c) => c.id === 'click_to_dial')?.advice).toContain('Click-To-Dial Feature');
    expect(functionsSeen(reception.sim, 'api-make_call')).toEqual([]);
  });

  it('CTI disabled: advice quotes Action URI Support and the Allowed IP List', async () => {
    const reception = h.phone('Reception');
    reception.sim.updateSettings({ ctiEnabled: false });
    try {
      const d = diagnosisSchema.parse((await h.api('POST', `/api/phones/${reception.id}/test`)).body);
      expect(d.ok).toBe(false);
      const cti = d.checks.find((c) => c.id === 'cti_enabled');
      expect(cti?.ok).toBe(false);
      expect(cti?.advice).toContain('Network → Remote Control');
      expect(cti?.advice).toContain('Action URI Support');
      expect(cti?.advice).toContain('Allowed IP List');
    } finally {
      reception.sim.updateSettings({ ctiEnabled: true });
    }
  });

  it('unreachable: reachable false with advice, the rest not checked', async () => {
    const created = await h.api<{ id: string }>('POST', '/api/phones', {
      name: 'Gone',
      host: '127.0.0.1:9',
      passcode: 'gone-pass-1',
    });
    h.secrets.add('gone-pass-1');
    const d = diagnosisSchema.parse((await h.api('POST', `/api/phones/${created.body.id}/test`)).body);
    expect(d.checks.find((c) => c.id === 'reachable')).toMatchObject({ ok: false });
    expect(d.checks.find((c) => c.id === 'passcode')?.ok).toBeNull();
    await h.api('DELETE', `/api/phones/${created.body.id}`);
  });

  it('model and firmware: supported, too old, unknown model', async () => {
    const { modelCheck } = await import('./diagnosis.ts');
    expect(modelCheck('GRP2614', '1.0.9.30').ok).toBe(true);
    expect(modelCheck('GRP2614', '1.0.5.1')).toMatchObject({ ok: false });
    expect(modelCheck('GXP2170', null)).toMatchObject({ ok: false });
    expect(modelCheck('GRP2614', null).ok).toBeNull();
    expect(modelCheck(null, null).ok).toBeNull();
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
    expect(h.logLines.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(h.logLines.some((l) => l.includes('"msg":"phone state"'))).toBe(true);
  });
});
