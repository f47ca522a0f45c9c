/**
 * DND, call forward and the Click-To-Dial fix through the real server: the config API with read-back on
 * session phones (an ignored write is a 502 that says so), the DND key as a toggle pressed only when the
 * known state differs on passcode phones (unknown: 409), forward not available without known P-values,
 * the poller reading the flags of a session phone; REBOOT answered by a dropped connection; the
 * passthrough's 256 kB answer cap.
 */
import { phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness, waitFor } from '../test-support/harness.ts';
import { count, type FirmwarePhone, firmwarePhones } from './firmware-test-phones.ts';

let h: Harness;
const phones = firmwarePhones(() => h);
let session: FirmwarePhone;
let desk: FirmwarePhone;

beforeAll(async () => {
  h = await startHarness([], {
    pollIntervalMs: 100,
    ctiTimeoutMs: 800,
    // The flags are read with the accounts: every 400 ms here, every 30 s in production.
    poller: { accountsIntervalMs: 400, maxBackoffMs: 400 },
    commands: { dedupeMs: 1500, confirmMs: 300, confirmPollMs: 50 },
  });
  session = await phones.add({
    name: 'Session desk',
    firmwareProfile: 'session',
    auth: 'session',
    settings: { clickToDial: false },
  });
  desk = await phones.add({ name: 'Passcode desk', firmwareProfile: 'passcode' });
  for (const p of [session, desk]) {
    await waitFor(async () => (await state(p.id)).status === 'available');
  }
});
afterAll(async () => {
  await h?.close();
  await phones.closeAll();
});

async function state(id: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${id}/state`)).body);
}
type ErrorBody = { error: { code: string; message: string } };

describe('session phone: the config API', () => {
  it('the poller reads DND from the phone (a change at the desk shows up)', async () => {
    await waitFor(async () => (await state(session.id)).dnd === false);
    session.sim.setDnd(true);
    await waitFor(async () => (await state(session.id)).dnd === true, 2000);
    session.sim.setDnd(false);
    await waitFor(async () => (await state(session.id)).dnd === false, 2000);
    // No P-values of forward are known for GRP26xx: unknown, never guessed.
    expect((await state(session.id)).forward).toBeNull();
  });

  it('PUT dnd writes it, reads it back and shows it; the same click twice is sent once', async () => {
    const before = count(session.sim, 'config_update');
    const [first, second] = await Promise.all([
      h.api('PUT', `/api/phones/${session.id}/dnd`, { on: true }),
      h.api('PUT', `/api/phones/${session.id}/dnd`, { on: true }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    // Sent together, either may reach the guard first (on Postgres the sign-in check awaits the
    // database): one is sent, the other answered from it.
    const bodies = [first.body, second.body] as { deduplicated?: boolean }[];
    const sent = bodies.filter((b) => !b.deduplicated);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ ok: true, body: { dnd: true } });
    expect(bodies.filter((b) => b.deduplicated === true)).toHaveLength(1);
    expect(count(session.sim, 'config_update')).toBe(before + 1);
    expect(session.sim.snapshot().dnd).toBe(true);
    expect((await state(session.id)).dnd).toBe(true);
  });

  it('a write the phone ignores: 502 not_applied saying the phone did not keep it', async () => {
    session.sim.updateSettings({ quirks: { ignoredConfigWrites: [':dnd'] } });
    try {
      const res = await h.api<ErrorBody>('PUT', `/api/phones/${session.id}/dnd`, { on: false });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('not_applied');
      expect(res.body.error.message).toContain('did not keep DND');
      expect(session.sim.snapshot().dnd).toBe(true);
      expect((await state(session.id)).dnd).toBe(true);
    } finally {
      session.sim.updateSettings({ quirks: { ignoredConfigWrites: [] } });
    }
    // The same body again at once would be the double-click guard's: a new Idempotency-Key says "send".
    const retry = await h.api(
      'PUT',
      `/api/phones/${session.id}/dnd`,
      { on: false },
      { 'Idempotency-Key': 'dnd-2' },
    );
    expect(retry.status).toBe(200);
    expect(session.sim.snapshot().dnd).toBe(false);
  });

  it('forward: 409 not_available where the family has no known P-values; 400 for bad bodies', async () => {
    const res = await h.api<ErrorBody>('PUT', `/api/phones/${session.id}/forward`, {
      mode: 'always',
      number: '2000',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'not_available',
      message: "Call forward is not available with this phone's firmware or credentials.",
    });
    const writes = count(session.sim, 'config_update');
    for (const body of [{ mode: 'always' }, { mode: 'sideways', number: '1' }, { on: true }]) {
      expect((await h.api('PUT', `/api/phones/${session.id}/forward`, body)).status).toBe(400);
    }
    expect((await h.api('PUT', `/api/phones/${session.id}/dnd`, { on: 'yes' })).status).toBe(400);
    expect(count(session.sim, 'config_update')).toBe(writes);
  });

  it('Test connection reads Click-To-Dial; the fix switches it on after the name is typed', async () => {
    const test = await h.api<{
      ok: boolean;
      auth?: string;
      fixes?: string[];
      checks: { id: string; ok: boolean | null; advice?: string }[];
    }>('POST', `/api/phones/${session.id}/test`);
    expect(test.body.auth).toBe('session');
    expect(test.body.checks.find((c) => c.id === 'click_to_dial')).toMatchObject({ ok: false });
    expect(test.body.fixes).toEqual(['enable_click_to_dial']);

    const wrongName = await h.api('POST', `/api/phones/${session.id}/click-to-dial`, { confirm: 'nope' });
    expect(wrongName.status).toBe(400);
    expect(session.sim.snapshot().settings.clickToDial).toBe(false);

    const fixed = await h.api('POST', `/api/phones/${session.id}/click-to-dial`, { confirm: session.name });
    expect(fixed.status, fixed.text).toBe(200);
    expect(session.sim.snapshot().settings.clickToDial).toBe(true);
    const again = await h.api<{
      ok: boolean;
      fixes?: string[];
      checks: { id: string; ok: boolean | null }[];
    }>('POST', `/api/phones/${session.id}/test`);
    expect(again.body.checks.find((c) => c.id === 'click_to_dial')?.ok).toBe(true);
    expect(again.body.fixes).toBeUndefined();
  });
});

describe('passcode phone: the DND key', () => {
  it('unknown DND state: 409 not_available, nothing sent', async () => {
    expect((await state(desk.id)).dnd).toBeNull();
    const before = count(desk.sim, 'api-send_key');
    const res = await h.api<ErrorBody>('PUT', `/api/phones/${desk.id}/dnd`, { on: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_available');
    expect(res.body.error.message).toContain('DND state unknown');
    expect(count(desk.sim, 'api-send_key')).toBe(before);
  });

  it('known state: the toggle is pressed only when it differs', async () => {
    // What a trusted Action URL push (dnd_off) records; the push itself is the hook's part.
    h.server.cache.applyFlags(desk.id, { dnd: false });
    const before = count(desk.sim, 'api-send_key');
    const on = await h.api(
      'PUT',
      `/api/phones/${desk.id}/dnd`,
      { on: true },
      { 'Idempotency-Key': 'dnd-on' },
    );
    expect(on.status, on.text).toBe(200);
    expect(desk.sim.snapshot().dnd).toBe(true);
    expect(count(desk.sim, 'api-send_key')).toBe(before + 1);
    expect((await state(desk.id)).dnd).toBe(true);
    await sleep(1600); // past the double-click window: this is a new request
    const same = await h.api('PUT', `/api/phones/${desk.id}/dnd`, { on: true });
    expect(same.status).toBe(200);
    expect(count(desk.sim, 'api-send_key')).toBe(before + 1);
    expect(desk.sim.snapshot().dnd).toBe(true);
  });

  it('forward: 409 not_available, nothing sent', async () => {
    const seen = count(desk.sim, 'api-send_key');
    const res = await h.api<ErrorBody>('PUT', `/api/phones/${desk.id}/forward`, { mode: 'off' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      "Call forward is not available with this phone's firmware or credentials.",
    );
    expect(count(desk.sim, 'api-send_key')).toBe(seen);
  });
});

describe('answers of real firmware', () => {
  it('REBOOT answered by a dropped connection is a success: rebooting', async () => {
    const phone = await phones.add({
      name: 'Dropper',
      quirks: { rebootDropsConnection: true },
      rebootMs: 300,
    });
    await waitFor(async () => (await state(phone.id)).status === 'available');
    const res = await h.api('POST', `/api/phones/${phone.id}/system`, {
      request: 'REBOOT',
      confirm: phone.name,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ok: true, body: 'rebooting' });
    expect(count(phone.sim, 'api-sys_operation')).toBe(1);
  });

  it('the passthrough cuts an endless answer at 256 kB: 502 malformed', async () => {
    // Aimed at the function read here, so a poll cannot take the fault first.
    desk.sim.injectFault({ kind: 'endless', times: 1, fn: 'api-get_accounts' });
    const res = await h.raw(`/cti/${desk.id}/cgi-bin/api-get_accounts`);
    expect(res.status).toBe(502);
    expect((res.body as unknown as ErrorBody).error.code).toBe('malformed');
    expect(res.text.length).toBeLessThan(1000);
    desk.sim.clearFaults();
    expect((await h.raw(`/cti/${desk.id}/cgi-bin/api-get_accounts`)).status).toBe(200);
  });
});

describe('redaction', () => {
  it('no response body or log line contains any passcode', () => {
    h.expectNoSecrets();
  });
});
