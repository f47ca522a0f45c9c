/**
 * Session-only firmware through the real server: one login for many session TTLs of polling, shared by
 * commands, the passthrough and the diagnosis; a session ended by a login elsewhere is renewed by one
 * login and logged; dologout on remove and on shutdown; `detect` settles on the scheme that works with
 * at most one passcode try and one login; the firmware version comes from the login.
 */
import { phoneSchema, phoneStateSchema } from '@linedeck/contract';
import { createCtiClient } from '@linedeck/cti';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness, uniquePasscode, waitFor } from '../test-support/harness.ts';
import { count, firmwarePhones } from './firmware-test-phones.ts';

let h: Harness;
const phones = firmwarePhones(() => h);

beforeAll(async () => {
  h = await startHarness([], { pollIntervalMs: 200, ctiTimeoutMs: 800 });
});
afterAll(async () => {
  await h?.close();
  await phones.closeAll();
});

async function state(id: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${id}/state`)).body);
}
async function record(id: string) {
  return phoneSchema.parse((await h.api('GET', `/api/phones/${id}`)).body);
}

describe('a session phone', () => {
  it('is polled for many session TTLs on one login, shared by commands, passthrough and test', async () => {
    const phone = await phones.add({
      name: 'Session',
      firmwareProfile: 'session',
      firmware: '1.0.7.12',
      sessionTtlMs: 1500,
      auth: 'session',
    });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      const [keys, relayed] = await Promise.all([
        h.api('POST', `/api/phones/${phone.id}/keys`, { keys: [String(Math.floor(Math.random() * 10))] }),
        h.raw(`/cti/${phone.id}/cgi-bin/api-get_line_status`),
      ]);
      expect([keys.status, relayed.status]).toEqual([200, 200]);
      // The phone's answer, with our headers only: no cookie of the phone's comes back.
      expect(relayed.headers['set-cookie']).toBeUndefined();
      expect(relayed.headers['content-type']).toMatch(/^application\/json/);
      expect(Array.isArray((relayed.body as unknown as { body: unknown }).body)).toBe(true);
      await sleep(700);
    }
    const test = await h.api<{ ok: boolean; auth?: string; firmware: string | null }>(
      'POST',
      `/api/phones/${phone.id}/test`,
    );
    expect(test.body).toMatchObject({ ok: true, auth: 'session', firmware: '1.0.7.12' });
    expect(phone.sim.snapshot().session.logins).toBe(1);
    expect(count(phone.sim, 'dologin')).toBe(1);
    expect(count(phone.sim, 'api-get_line_status')).toBeGreaterThan(30);
    expect(phone.sim.snapshot().session.failedLogins).toBe(0);
    expect((await record(phone.id)).firmware).toBe('1.0.7.12');
  }, 20_000);

  it('a login elsewhere ends the session: one login renews it, and the log says so', async () => {
    const phone = await phones.add({ name: 'Kicked', firmwareProfile: 'session', auth: 'session' });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    expect(phone.sim.snapshot().session.logins).toBe(1);
    const logged = h.logLines.length;

    // A person opens the phone's web page with the same account.
    const intruder = createCtiClient({
      host: phone.sim.host,
      credential: { scheme: 'session', username: 'admin', secret: phone.admin },
    });
    await intruder.getPhoneStatus();
    await waitFor(() => phone.sim.snapshot().session.logins === 3, 3000);
    await sleep(1000);
    expect(phone.sim.snapshot().session.logins).toBe(3); // ours, the intruder's, ours again: no loop
    expect((await state(phone.id)).status).toBe('available');
    const lines = h.logLines.slice(logged).join('');
    expect(lines).toContain("the phone ended LineDeck's web session");
    await intruder.close();
  });

  it('dologout when the phone is removed', async () => {
    const phone = await phones.add({ name: 'Removed', firmwareProfile: 'session', auth: 'session' });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    expect(phone.sim.snapshot().session.active).toBe(1);
    expect((await h.api('DELETE', `/api/phones/${phone.id}`)).status).toBe(204);
    expect(count(phone.sim, 'dologout')).toBe(1);
    expect(phone.sim.snapshot().session.active).toBe(0);
    const seen = count(phone.sim);
    await sleep(500);
    expect(count(phone.sim)).toBe(seen);
  });

  it('dologout when the credential changes (the new one logs in once) and on server shutdown', async () => {
    const other = await startHarness([], { pollIntervalMs: 200, ctiTimeoutMs: 800 });
    const otherPhones = firmwarePhones(() => other);
    try {
      const phone = await otherPhones.add({ name: 'Shutdown', firmwareProfile: 'session', auth: 'session' });
      const read = async () =>
        phoneStateSchema.parse((await other.api('GET', `/api/phones/${phone.id}/state`)).body);
      await waitFor(async () => (await read()).status === 'available');
      expect((await other.api('PATCH', `/api/phones/${phone.id}`, { passcode: phone.admin })).status).toBe(
        200,
      );
      await waitFor(() => phone.sim.snapshot().session.logins === 2);
      await waitFor(async () => (await read()).status === 'available');
      expect(count(phone.sim, 'dologout')).toBe(1);
      await other.close();
      expect(count(phone.sim, 'dologout')).toBe(2);
      expect(phone.sim.snapshot().session.active).toBe(0);
    } finally {
      await other.close();
      await otherPhones.closeAll();
    }
  });
});

describe('the passthrough on a session phone', () => {
  it('a session ended under a passthrough request: 502 without a stop; the next request logs in once', async () => {
    // Polling once a minute, so the passthrough is the one that meets the ended session.
    const slow = await startHarness([], { pollIntervalMs: 60_000, ctiTimeoutMs: 800 });
    const slowPhones = firmwarePhones(() => slow);
    try {
      const phone = await slowPhones.add({ name: 'Relay', firmwareProfile: 'session', auth: 'session' });
      await waitFor(() => slow.server.cache.get(phone.id)?.status === 'available');
      const intruder = createCtiClient({
        host: phone.sim.host,
        credential: { scheme: 'session', username: 'admin', secret: phone.admin },
      });
      await intruder.getPhoneStatus();
      const ended = await slow.raw(`/cti/${phone.id}/cgi-bin/api-get_line_status`);
      expect(ended.status).toBe(502);
      expect((ended.body as unknown as { error: { message: string } }).error.message).toContain(
        "ended LineDeck's web session during this request",
      );
      expect(slow.server.registry.entry(phone.id).poller.mode).toBe('running');
      const logins = phone.sim.snapshot().session.logins;
      const next = await slow.raw(`/cti/${phone.id}/cgi-bin/api-get_line_status`);
      expect(next.status).toBe(200);
      expect(phone.sim.snapshot().session.logins).toBe(logins + 1);
      await intruder.close();
      slow.expectNoSecrets();
    } finally {
      await slow.close();
      await slowPhones.closeAll();
    }
  });
});

describe('detect', () => {
  it('a passcode phone: one passcode try, no login, stored as passcode', async () => {
    const phone = await phones.add({ name: 'Detect passcode', firmwareProfile: 'passcode', auth: 'detect' });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    // What detect learned is stored after the poll that learned it: wait for the write, not the poll.
    await waitFor(async () => (await record(phone.id)).auth !== 'detect');
    expect((await record(phone.id)).auth).toBe('passcode');
    expect(count(phone.sim, 'access') + count(phone.sim, 'dologin')).toBe(0);
  });

  it('a session phone: one passcode try (a bare 401/403), one login, stored as session with its firmware', async () => {
    const phone = await phones.add({
      name: 'Detect session',
      firmwareProfile: 'session',
      firmware: '1.0.7.30',
      auth: 'detect',
    });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    const stored = await waitFor(async () => {
      const r = await record(phone.id);
      return r.auth !== 'detect' && r.firmware ? r : undefined;
    });
    expect([stored.auth, stored.firmware]).toEqual(['session', '1.0.7.30']);
    await sleep(600);
    const log = phone.sim.requestLog();
    const withPasscode = log.filter((e) => e.params.passcode !== undefined);
    expect(withPasscode.length).toBe(1);
    // Session firmware answers a passcode barely: 401, or 403 for a request without its Referer.
    expect([401, 403]).toContain(withPasscode[0]?.status);
    expect(phone.sim.snapshot().session.logins).toBe(1);
  });

  it('a wrong password on session firmware: one passcode try, one refused login, then nothing', async () => {
    const phone = await phones.add({
      name: 'Detect wrong',
      firmwareProfile: 'session',
      auth: 'detect',
      passcode: uniquePasscode('wrong'),
    });
    const s = await waitFor(async () => {
      const st = await state(phone.id);
      return st.status === 'unauthorized' ? st : undefined;
    });
    expect(s.error?.auth).toEqual({ reason: 'wrong_credential', attemptsLeft: 4 });
    await sleep(600);
    expect(count(phone.sim, 'dologin')).toBe(1);
    expect(phone.sim.requestLog().filter((e) => e.params.passcode !== undefined).length).toBe(1);
    expect((await record(phone.id)).auth).toBe('detect');
  });

  it('a wrong passcode on wrongN firmware is a real refusal: no login attempted', async () => {
    const phone = await phones.add({
      name: 'Detect wrongn',
      firmwareProfile: 'passcode-wrongn',
      auth: 'detect',
      passcode: uniquePasscode('wrong'),
    });
    const s = await waitFor(async () => {
      const st = await state(phone.id);
      return st.status === 'unauthorized' ? st : undefined;
    });
    expect(s.error?.message).toContain('wrong password, 4 attempts left');
    await sleep(600);
    expect(count(phone.sim)).toBe(1);
    expect((await record(phone.id)).auth).toBe('detect');
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
  });
});
