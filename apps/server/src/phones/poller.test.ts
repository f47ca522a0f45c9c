/**
 * Polling against real simulated phones: exponential backoff while a phone fails, `offline` and recovery,
 * the auth stop (a refused passcode is never tried again by itself), resuming on a passcode change or a
 * successful test, and accounts read at start rather than on every poll.
 */
import { phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  functionsSeen,
  type Harness,
  sleep,
  startHarness,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { name: 'Flaky', model: 'GRP2612' },
      { name: 'Guarded', model: 'GRP2614' },
      { name: 'Disabled', model: 'GRP2601' },
    ],
    { pollIntervalMs: 50, ctiTimeoutMs: 300 },
  );
});
afterAll(async () => {
  await h?.close();
});

async function state(name: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${h.phone(name).id}/state`)).body);
}

describe('backoff', () => {
  it('backs off exponentially (capped) while the phone fails, shows offline, then recovers', async () => {
    const { sim } = h.phone('Flaky');
    await waitFor(async () => (await state('Flaky')).status === 'available');
    sim.injectFault({ kind: 'reset' }); // every request: connection dropped
    sim.clearLog();
    const offline = await waitFor(async () => {
      const s = await state('Flaky');
      return s.status === 'offline' ? s : undefined;
    });
    expect(offline.error?.code).toBe('unreachable');
    expect(offline.lines.length).toBe(4); // the last good lines stay visible
    await sleep(1700);
    const times = sim.requestLog().map((e) => Date.parse(e.time));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // Interval 50 ms: 100, 200, 400, then capped at 400 (the cap is 30 s in production, 400 ms in tests).
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(180);
    expect(gaps[2]).toBeGreaterThanOrEqual(370);
    for (const gap of gaps.slice(3)) {
      expect(gap).toBeGreaterThanOrEqual(370);
      expect(gap).toBeLessThan(600);
    }
    expect(times.length).toBeLessThan(9); // without backoff it would be ~30 requests

    sim.clearFaults();
    await waitFor(async () => (await state('Flaky')).status === 'available', 2000);
    expect((await state('Flaky')).error).toBeUndefined();
  });

  it('a phone that stops answering (timeout) is offline too', async () => {
    const { sim } = h.phone('Flaky');
    sim.injectFault({ kind: 'hang' });
    try {
      const s = await waitFor(async () => {
        const st = await state('Flaky');
        return st.status === 'offline' ? st : undefined;
      });
      expect(s.error?.code).toBe('timeout');
    } finally {
      sim.clearFaults();
    }
    await waitFor(async () => (await state('Flaky')).status === 'available', 3000);
  });
});

describe('auth stop', () => {
  it('a refused passcode: unauthorized, and polling stops (no second try)', async () => {
    const phone = h.phone('Guarded');
    await waitFor(async () => (await state('Guarded')).status === 'available');
    const wrong = uniquePasscode('wrong');
    h.secrets.add(wrong);
    expect((await h.api('PATCH', `/api/phones/${phone.id}`, { passcode: wrong })).status).toBe(200);
    const s = await waitFor(async () => {
      const st = await state('Guarded');
      return st.status === 'unauthorized' ? st : undefined;
    });
    expect(s.error?.code).toBe('phone_auth_failed');
    const seen = phone.sim.requestLog().length;
    await sleep(600); // 12 poll intervals
    expect(phone.sim.requestLog().length).toBe(seen);
    expect(phone.sim.snapshot().passcode.failures).toBe(1);
  });

  it('running test with the still-wrong passcode tries once and stays stopped', async () => {
    const phone = h.phone('Guarded');
    const res = await h.api<{ checks: { id: string; ok: boolean | null; advice?: string }[] }>(
      'POST',
      `/api/phones/${phone.id}/test`,
    );
    expect(res.body.checks.find((c) => c.id === 'passcode')).toMatchObject({ ok: false });
    const seen = phone.sim.requestLog().length;
    await sleep(300);
    expect(phone.sim.requestLog().length).toBe(seen);
    expect(phone.sim.snapshot().passcode.failures).toBe(2);
  });

  it('changing the passcode resumes polling', async () => {
    const phone = h.phone('Guarded');
    expect((await h.api('PATCH', `/api/phones/${phone.id}`, { passcode: phone.passcode })).status).toBe(200);
    await waitFor(async () => (await state('Guarded')).status === 'available');
    const seen = phone.sim.requestLog().length;
    await sleep(300);
    expect(phone.sim.requestLog().length).toBeGreaterThan(seen);
  });

  it('CTI switched off (403) stops polling too; a successful test after fixing it resumes', async () => {
    const phone = h.phone('Disabled');
    await waitFor(async () => (await state('Disabled')).status === 'available');
    phone.sim.updateSettings({ ctiEnabled: false });
    await waitFor(async () => (await state('Disabled')).status === 'unauthorized');
    const seen = phone.sim.requestLog().length;
    await sleep(300);
    expect(phone.sim.requestLog().length).toBe(seen);

    phone.sim.updateSettings({ ctiEnabled: true });
    const res = await h.api<{ ok: boolean }>('POST', `/api/phones/${phone.id}/test`);
    expect(res.body.ok).toBe(true);
    await waitFor(async () => (await state('Disabled')).status === 'available');
    await sleep(200);
    expect(phone.sim.requestLog().length).toBeGreaterThan(seen + 2);
  });
});

describe('load on the phone', () => {
  it('reads accounts at start, not on every poll', async () => {
    const { sim } = h.phone('Flaky');
    sim.clearLog();
    await sleep(500);
    expect(functionsSeen(sim, 'api-get_line_status').length).toBeGreaterThanOrEqual(4);
    expect(functionsSeen(sim, 'api-get_accounts')).toEqual([]);
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
  });
});
