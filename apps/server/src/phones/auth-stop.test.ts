/**
 * The auth stop against firmware that counts wrong passwords (`passcode-wrongn`): the phone sees the
 * stored credential refused ONCE, however much traffic LineDeck gets meanwhile (Action URL pushes, SSE
 * viewers, REST reads, commands, DND, the passthrough, for 5 s); the state and the command errors say
 * what the phone said; a locked phone shows its lock time; a new passcode resumes. Also the passthrough
 * as a source of the stop, and Test connection as exactly one attempt.
 */
import { phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Harness,
  openSse,
  sleep,
  startHarness,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';
import { count, firmwarePhones, push } from './firmware-test-phones.ts';

let h: Harness;
const phones = firmwarePhones(() => h);

beforeAll(async () => {
  h = await startHarness([], { pollIntervalMs: 50, ctiTimeoutMs: 400 });
});
afterAll(async () => {
  await h?.close();
  await phones.closeAll();
});

async function state(id: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${id}/state`)).body);
}

describe('a wrong passcode on firmware that counts failures', () => {
  it('reaches the phone once while pushes, viewers, reads, commands and the passthrough go on for 5 s', async () => {
    const wrong = uniquePasscode('wrong');
    const phone = await phones.add({ name: 'Counted', firmwareProfile: 'passcode-wrongn', passcode: wrong });
    const stopped = await waitFor(async () => {
      const s = await state(phone.id);
      return s.status === 'unauthorized' ? s : undefined;
    });
    expect(stopped.error).toMatchObject({
      code: 'phone_auth_failed',
      auth: { reason: 'wrong_credential', attemptsLeft: 4 },
    });
    expect(stopped.error?.message).toContain('wrong password, 4 attempts left');

    const viewers = [0, 1, 2].map(() => openSse(`${h.url}/api/events`, h.authHeaders()));
    const answers: { status: number; code?: string; message?: string }[] = [];
    const note = (res: { status: number; body: unknown }) => {
      const error = (res.body as { error?: { code: string; message: string } } | undefined)?.error;
      answers.push({ status: res.status, ...(error ? { code: error.code, message: error.message } : {}) });
    };
    const until = Date.now() + 5200;
    let round = 0;
    while (Date.now() < until) {
      round++;
      await Promise.all([
        push(h.url, phone.id),
        h.api('GET', `/api/phones/${phone.id}/state`),
        h.api('GET', '/api/state'),
        // New bodies each round, so the double-click guard cannot be what keeps them from the phone.
        h.api('POST', `/api/phones/${phone.id}/calls`, { number: String(1000 + round) }).then(note),
        h.api('POST', `/api/phones/${phone.id}/keys`, { keys: [String(round % 10)] }).then(note),
        h.api('PUT', `/api/phones/${phone.id}/dnd`, { on: round % 2 === 0 }).then(note),
        h.raw(`/cti/${phone.id}/cgi-bin/api-get_line_status`).then(note),
        h.raw(`/cti/${phone.id}/cgi-bin/api-send_key?keys=${round % 10}`).then(note),
      ]);
      await sleep(100);
    }
    for (const v of viewers) v.close();

    expect(round).toBeGreaterThan(10);
    // Everything that would have reached the phone was answered by the stop itself.
    expect(phone.sim.snapshot().passcode.failures).toBe(1);
    expect(count(phone.sim)).toBe(1);
    expect(answers.length).toBe(round * 5);
    for (const a of answers) {
      expect(a).toMatchObject({ status: 502, code: 'phone_auth_failed' });
      expect(a.message).toContain('wrong password, 4 attempts left');
    }
    expect((await state(phone.id)).error?.message).toContain('wrong password, 4 attempts left');

    // The right passcode: a new credential, polling resumes.
    expect((await h.api('PATCH', `/api/phones/${phone.id}`, { passcode: phone.admin })).status).toBe(200);
    await waitFor(async () => (await state(phone.id)).status === 'available');
    expect((await state(phone.id)).error).toBeUndefined();
    expect(phone.sim.snapshot().passcode.failures).toBe(0);
  }, 15_000);

  it('Test connection with the still-wrong passcode sends exactly one attempt and says what the phone said', async () => {
    const wrong = uniquePasscode('wrong');
    const phone = await phones.add({ name: 'Tested', firmwareProfile: 'passcode-wrongn', passcode: wrong });
    await waitFor(async () => (await state(phone.id)).status === 'unauthorized');
    const res = await h.api<{ ok: boolean; checks: { id: string; ok: boolean | null; advice?: string }[] }>(
      'POST',
      `/api/phones/${phone.id}/test`,
    );
    expect(res.body.ok).toBe(false);
    const check = res.body.checks.find((c) => c.id === 'passcode');
    expect(check?.ok).toBe(false);
    expect(check?.advice).toContain('wrong password, 3 attempts left');
    await sleep(400);
    expect(count(phone.sim)).toBe(2);
    expect(phone.sim.snapshot().passcode.failures).toBe(2);
    expect((await state(phone.id)).error?.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 3 });
  });

  it('a locked phone shows its lock time, and the right passcode does not unlock it', async () => {
    // Locked before LineDeck knows it: five wrong passcodes from somewhere else.
    const phone = await phones.add({
      name: 'Locked',
      firmwareProfile: 'passcode-wrongn',
      lockoutMs: 5 * 60_000,
      passcode: uniquePasscode('wrong'),
    });
    await waitFor(async () => (await state(phone.id)).status === 'unauthorized');
    for (let i = 0; i < 4; i++) await fetch(`${phone.sim.url}/cgi-bin/api-get_phone_status?passcode=nope`);
    expect(phone.sim.snapshot().passcode.lockedUntil).toBeGreaterThan(Date.now());

    expect((await h.api('PATCH', `/api/phones/${phone.id}`, { passcode: phone.admin })).status).toBe(200);
    const locked = await waitFor(async () => {
      const s = await state(phone.id);
      return s.error?.auth?.reason === 'locked' ? s : undefined;
    });
    expect(locked.status).toBe('unauthorized');
    expect(locked.error?.auth?.lockMinutes).toBe(5);
    expect(locked.error?.message).toContain('locked for 5 minutes');
    const seen = count(phone.sim);
    await sleep(400);
    expect(count(phone.sim)).toBe(seen);
  });
});

describe('the passthrough as a source of the stop', () => {
  it('a refusal seen by the passthrough stops polls and commands like a refused command', async () => {
    // Polling once a minute: after the first read, the passthrough is the only one talking to the phone.
    const slow = await startHarness([], { pollIntervalMs: 60_000, ctiTimeoutMs: 400 });
    const slowPhones = firmwarePhones(() => slow);
    try {
      const phone = await slowPhones.add({ name: 'Relayed', firmwareProfile: 'passcode-wrongn' });
      const read = async () =>
        phoneStateSchema.parse((await slow.api('GET', `/api/phones/${phone.id}/state`)).body);
      await waitFor(async () => (await read()).status === 'available');
      phone.sim.updateSettings({ ctiEnabled: false });
      const before = count(phone.sim);
      const first = await slow.raw(`/cti/${phone.id}/cgi-bin/api-get_accounts`);
      expect(first.status).toBe(502);
      expect((first.body as unknown as { error: { code: string } }).error.code).toBe('phone_auth_failed');
      expect(count(phone.sim)).toBe(before + 1);
      const stopped = await read();
      expect(stopped.status).toBe('unauthorized');
      expect(stopped.error?.auth?.reason).toBe('refused');
      expect(slow.server.registry.entry(phone.id).poller.mode).toBe('auth_stopped');

      const again = await slow.raw(`/cti/${phone.id}/cgi-bin/api-get_accounts`);
      const command = await slow.api('POST', `/api/phones/${phone.id}/keys`, { keys: ['1'] });
      expect([again.status, command.status]).toEqual([502, 502]);
      expect(count(phone.sim)).toBe(before + 1);
      slow.expectNoSecrets();
    } finally {
      await slow.close();
      await slowPhones.closeAll();
    }
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
  });
});
