/**
 * Trusted pushes (the phone's Action URL with its hook token) against the real server and simulated phones
 * over HTTP. Polling is at 60 s and, where it matters, the phone's answers are slowed by a fault, so an
 * event seen sooner can only come from the push; the simulators' request logs show which pushes woke a poll.
 */
import http from 'node:http';
import os from 'node:os';
import { type CallEvent, callEventSchema, phoneSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionUrlTemplates } from '../simulated-fleet.ts';
import {
  functionsSeen,
  openSse,
  recordCallEvents,
  type SseClient,
  sleep,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';
import { type AuthHarness, startAuthHarness } from '../users/test-support.ts';

/** A push as a phone sends it: a bare GET, no cookie; optionally from a given local address. */
function push(base: string, path: string, localAddress?: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, ...(localAddress ? { localAddress } : {}), agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
  });
}

const lanIp = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let h: AuthHarness;
let sse: SseClient;
let callsSeen: CallEvent[];
/** Every token handed out in this file, rotated ones included: none may reach a log line. */
const tokens = new Set<string>();

const idOf = (name: string) => h.phone(name).id;
function hookPath(name: string, token = h.server.registry.hookToken(idOf(name))): string {
  tokens.add(token);
  return `/hooks/action-url/${idOf(name)}/${token}`;
}
const lineReads = (name: string) => functionsSeen(h.phone(name).sim, 'api-get_line_status').length;

/** The phone's call events for `remoteNumber` after the first `from` (SSE `call` carries journal calls). */
function calls(name: string, remoteNumber: string, from: number): CallEvent[] {
  const id = idOf(name);
  return callsSeen
    .slice(from)
    .map((c) => callEventSchema.parse(c))
    .filter((c) => c.phoneId === id && c.remoteNumber === remoteNumber);
}

const callEvent = (name: string, kind: string, number: string, from: number, ms = 2000) =>
  waitFor(() => calls(name, number, from).find((c) => c.kind === kind), ms, 5);

beforeAll(async () => {
  h = await startAuthHarness(
    [
      { name: 'Ring', model: 'GRP2614' },
      { name: 'Flags', model: 'GRP2612' },
      { name: 'Locked', model: 'GRP2601', passcode: uniquePasscode('wrong') },
      ...(lanIp ? [{ name: 'Lan', model: 'GRP2614', host: lanIp }] : []),
    ],
    // A CTI timeout well above the faults' delays: a slowed poll answers late, it does not fail.
    {
      pollIntervalMs: 60_000,
      config: { ctiTimeoutMs: 3000 },
      commands: { confirmMs: 100, confirmPollMs: 20, dedupeMs: 0 },
    },
  );
  for (const name of ['Ring', 'Flags']) {
    h.phone(name).sim.updateSettings({
      actionUrls: actionUrlTemplates(h.url, idOf(name), h.server.registry.hookToken(idOf(name))),
    });
  }
  await waitFor(() =>
    h.phones.every((p) => h.server.cache.get(p.id)?.updatedAt || h.server.cache.get(p.id)?.error),
  );
  callsSeen = recordCallEvents(h.server);
  sse = openSse(`${h.url}/api/events`, h.authHeaders());
  expect(await sse.status).toBe(200);
});
afterAll(async () => {
  sse?.close();
  await h?.close();
});

describe('trusted events', () => {
  it('an incoming push is a ringing event before any poll could see it; the late poll makes it missed', async () => {
    const ring = h.phone('Ring');
    // Every read of the phone now takes 800 ms: a poll cannot explain anything sooner.
    ring.sim.injectFault({ kind: 'delay', ms: 800, times: 2 });
    const from = callsSeen.length;
    const started = Date.now();
    expect(await push(h.url, `${hookPath('Ring')}?event=incoming&remote=+4940111&name=Eve%20Early`)).toBe(
      204,
    );
    const ringing = await callEvent('Ring', 'ringing', '+4940111', from, 500);
    expect(Date.now() - started).toBeLessThan(500);
    expect(ringing.remoteName).toBe('Eve Early');
    // The phone never rang: the poll the push kicked, read after it, finds no such call.
    await callEvent('Ring', 'missed', '+4940111', from, 4000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(calls('Ring', '+4940111', from).map((c) => c.kind)).toEqual(['ringing', 'missed']);
  });

  it('a pushed caller is named from contacts, as in poll events', async () => {
    const created = await h.admin.req('POST', '/api/contacts', { name: 'Grace Contact', number: '+4940777' });
    expect(created.status, created.text).toBe(201);
    const from = callsSeen.length;
    expect(await push(h.url, `${hookPath('Ring')}?event=incoming&remote=+4940777&name=whoever`)).toBe(204);
    const ringing = await callEvent('Ring', 'ringing', '+4940777', from, 500);
    expect(ringing.contact?.name).toBe('Grace Contact');
    await callEvent('Ring', 'missed', '+4940777', from, 2000);
  });

  it("a push's strings are scrubbed of the phone's secrets (something posing as the phone echoing them)", async () => {
    const secrets = [h.phone('Ring').passcode, h.server.registry.hookToken(idOf('Ring'))];
    const from = callsSeen.length;
    const name = encodeURIComponent(`Mallory ${secrets.join(' ')}`);
    expect(await push(h.url, `${hookPath('Ring')}?event=incoming&remote=+4940778&name=${name}`)).toBe(204);
    const ringing = await callEvent('Ring', 'ringing', '+4940778', from, 500);
    expect(ringing.remoteName).toMatch(/^Mallory \[redacted\] \[redacted\]$/);
    await callEvent('Ring', 'missed', '+4940778', from, 2000);
    const journal = await h.admin.req<{ calls: { remoteName: string }[] }>(
      'GET',
      '/api/calls?number=%2B4940778',
    );
    for (const call of journal.body.calls)
      for (const secret of secrets) expect(call.remoteName).not.toContain(secret);
  });

  it.each([
    { label: 'missed push, poll slowed past the ring', missedPush: true, delayMs: 600, number: '+4940201' },
    {
      label: 'no missed push, poll slowed past the ring',
      missedPush: false,
      delayMs: 600,
      number: '+4940202',
    },
    { label: 'missed push, the kicked poll sees the ring', missedPush: true, delayMs: 0, number: '+4940203' },
  ])('a 300 ms ring between two polls: one ringing and one missed event ($label)', async (c) => {
    const ring = h.phone('Ring');
    const templates = actionUrlTemplates(h.url, ring.id, h.server.registry.hookToken(ring.id));
    ring.sim.updateSettings({ actionUrls: { ...templates, missed: c.missedPush ? templates.missed : '' } });
    ring.sim.clearFaults();
    if (c.delayMs) ring.sim.injectFault({ kind: 'delay', ms: c.delayMs, times: 2 });
    const from = callsSeen.length;
    expect(ring.sim.ring(c.number, 'Short Ring').ok).toBe(true);
    await sleep(300);
    expect(ring.sim.farEndHangup().ok).toBe(true);
    const missed = await callEvent('Ring', 'missed', c.number, from, 4000);
    expect(missed.remoteName).toBe('Short Ring');
    // Whatever else arrives late (the poll seeing the line idle) must not announce it again.
    await sleep(c.delayMs * 2 + 300);
    expect(calls('Ring', c.number, from).map((e) => e.kind)).toEqual(['ringing', 'missed']);
    ring.sim.updateSettings({ actionUrls: templates });
  });

  it('DND pressed on the phone and forward pushes reach the state over SSE at once', async () => {
    const flags = h.phone('Flags');
    const stateOf = (from: number, match: (d: { dnd?: unknown; forward?: unknown }) => boolean) =>
      sse.next((f) => {
        const d = f.data as { phoneId?: string; dnd?: unknown; forward?: unknown };
        return f.event === 'state' && d.phoneId === flags.id && sse.frames.indexOf(f) >= from && match(d);
      }, 1000);
    let from = sse.frames.length;
    const pressed = await h.api('POST', `/api/phones/${flags.id}/keys`, { keys: ['DND'] });
    expect(pressed.status, pressed.text).toBe(200);
    await stateOf(from, (d) => d.dnd === true);
    from = sse.frames.length;
    await h.api('POST', `/api/phones/${flags.id}/keys`, { keys: ['DND'] });
    await stateOf(from, (d) => d.dnd === false);
    // A push says "forward on", neither the condition nor the number.
    from = sse.frames.length;
    expect(flags.sim.setForward({ mode: 'always', number: '2002' }).ok).toBe(true);
    await stateOf(from, (d) => JSON.stringify(d.forward) === '{"mode":"on","number":""}');
    // By hand, named after its P-value as a bare path word, as some admins set it up.
    from = sse.frames.length;
    expect(await push(h.url, `${hookPath('Flags')}/P8319`)).toBe(204);
    await stateOf(from, (d) => JSON.stringify(d.forward) === '{"mode":"off","number":""}');
  });
});

describe('without a valid token: a wake-up only', () => {
  it('a wrong token wakes the poller and records nothing', async () => {
    const before = lineReads('Flags');
    const dnd = h.server.cache.get(idOf('Flags'))?.dnd;
    const from = callsSeen.length;
    const wrong = `/hooks/action-url/${idOf('Flags')}/not-the-token`;
    expect(await push(h.url, `${wrong}?event=incoming&remote=+4940301`)).toBe(204);
    expect(await push(h.url, `${wrong}?event=dnd_on`)).toBe(204);
    await waitFor(() => lineReads('Flags') > before, 1000, 10);
    await sleep(200);
    expect(calls('Flags', '+4940301', from)).toEqual([]);
    expect(h.server.cache.get(idOf('Flags'))?.dnd).toBe(dnd);
  });

  it('rotating the token (admin only, audited) stops the old one at once', async () => {
    const id = idOf('Flags');
    const old = h.server.registry.hookToken(id);
    tokens.add(old);
    const operator = await h.user('operator');
    expect((await operator.req('POST', `/api/phones/${id}/hook-token`)).status).toBe(403);
    expect(h.server.registry.hookToken(id)).toBe(old);

    const rotated = await h.admin.req('POST', `/api/phones/${id}/hook-token`);
    expect(rotated.status, rotated.text).toBe(200);
    const phone = phoneSchema.parse(rotated.body);
    const fresh = h.server.registry.hookToken(id);
    tokens.add(fresh);
    expect(fresh).not.toBe(old);
    expect(phone.actionUrl?.url).toBe(`${h.url}/hooks/action-url/${id}/${fresh}`);
    const audit = await h.admin.req<{ entries: { action: string; phoneId: string; result: string }[] }>(
      'GET',
      '/api/audit',
    );
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({ action: 'phones:hook_token', phoneId: id, result: 'ok' }),
    );
    expect(audit.text).not.toContain(fresh);
    expect(audit.text).not.toContain(old);

    const from = callsSeen.length;
    const before = lineReads('Flags');
    expect(await push(h.url, `${hookPath('Flags', old)}?event=incoming&remote=+4940401`)).toBe(204);
    await waitFor(() => lineReads('Flags') > before, 1000, 10);
    await sleep(200);
    expect(calls('Flags', '+4940401', from)).toEqual([]);
    expect(await push(h.url, `${hookPath('Flags', fresh)}?event=incoming&remote=+4940402`)).toBe(204);
    await callEvent('Flags', 'ringing', '+4940402', from, 500);
  });

  it('a viewer does not see the token in GET /api/phones/:id', async () => {
    const viewer = await h.user('viewer');
    const phone = await viewer.req<{ actionUrl?: unknown }>('GET', `/api/phones/${idOf('Flags')}`);
    expect(phone.status).toBe(200);
    expect(phone.body.actionUrl).toBeUndefined();
  });
});

describe('a valid token is not enough', () => {
  it.skipIf(!lanIp)("it must come from the phone's address too", async () => {
    const lan = h.phone('Lan');
    lan.sim.clearLog();
    const from = callsSeen.length;
    const path = `${hookPath('Lan')}?event=incoming&remote=+4940501`;
    expect(await push(h.url, path)).toBe(204);
    await sleep(300);
    expect(functionsSeen(lan.sim)).toEqual([]);
    expect(calls('Lan', '+4940501', from)).toEqual([]);
    expect(await push(h.url, path, lanIp)).toBe(204);
    await callEvent('Lan', 'ringing', '+4940501', from, 500);
  });

  it('a phone stopped for a refused passcode is never polled by a trusted push (lockouts)', async () => {
    const locked = h.phone('Locked');
    expect(h.server.cache.get(locked.id)?.status).toBe('unauthorized');
    locked.sim.clearLog();
    for (const event of ['incoming', 'missed', 'dnd_on']) {
      expect(await push(h.url, `${hookPath('Locked')}?event=${event}&remote=+4940601`)).toBe(204);
      await sleep(150);
    }
    await sleep(200);
    expect(functionsSeen(locked.sim)).toEqual([]);
    expect(h.server.cache.get(locked.id)?.status).toBe('unauthorized');
  });
});

describe('logs', () => {
  it('no hook token in any log line, no caller name or number at all', () => {
    expect(tokens.size).toBeGreaterThan(3);
    for (const line of h.logLines) {
      for (const token of tokens) expect(line).not.toContain(token);
      expect(line).not.toContain('4940111');
      expect(line).not.toContain('Eve');
    }
    expect(h.logLines.some((l) => l.includes('action url trusted'))).toBe(true);
  });
});
