/**
 * The call journal end to end: the real server (its calls repository) and simulated phones over HTTP.
 * Calls are made with the simulator's own control API (the caller, the far end, the person at the desk)
 * and LineDeck's API (answer, reject, hold, end, dial); the journal is read back from GET /api/calls.
 */
import { type Call, callPageSchema, callSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionUrlTemplates } from '../simulated-fleet.ts';
import { openSse, type SseFrame, sleep, waitFor } from '../test-support/harness.ts';
import { type AuthHarness, browser, cookieFrom, send, startAuthHarness } from '../users/test-support.ts';

let h: AuthHarness;

/** What the control API of the phone named `name` is told (the world around the phone). */
async function sim(name: string, path: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${h.phone(name).sim.url}/sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function linedeck(name: string, path: string, body: unknown): Promise<void> {
  const res = await h.api('POST', `/api/phones/${h.phone(name).id}/${path}`, body);
  expect(res.status, res.text).toBe(200);
}

const lineState = (name: string) => h.server.cache.get(h.phone(name).id)?.lines[0]?.state;
const untilLine = (name: string, state: string) => waitFor(() => lineState(name) === state, 3000);

async function callsWith(number: string): Promise<Call[]> {
  const res = await h.api('GET', `/api/calls?number=${encodeURIComponent(number)}`);
  expect(res.status, res.text).toBe(200);
  return callPageSchema.parse(res.body).calls;
}

/** The one call with this number once it has ended (fails on a second call for it). */
async function endedCall(number: string): Promise<Call> {
  const [call] = await waitFor(async () => {
    const calls = await callsWith(number);
    return calls.length > 0 && calls.every((c) => c.outcome !== null) ? calls : null;
  }, 4000);
  expect(await callsWith(number)).toHaveLength(1);
  return call as Call;
}

beforeAll(async () => {
  h = await startAuthHarness([{ name: 'Desk' }, { name: 'Out' }], {
    commands: { confirmMs: 100, confirmPollMs: 20, dedupeMs: 0 },
    config: { defaultCountry: 'DE' },
  });
  await waitFor(() => h.phones.every((p) => h.server.cache.get(p.id)?.status === 'available'));
});
afterAll(async () => {
  await h?.close();
});

describe('incoming calls', () => {
  it('a caller who gives up is missed', async () => {
    await sim('Desk', 'ring', { number: '+4930111001', name: 'Ann Gone' });
    await untilLine('Desk', 'ringing');
    await sim('Desk', 'hangup');
    const call = await endedCall('+4930111001');
    expect(call).toMatchObject({
      phoneId: h.phone('Desk').id,
      direction: 'incoming',
      outcome: 'missed',
      remoteName: 'Ann Gone',
      remoteE164: '+4930111001',
      answeredAt: null,
      talkSeconds: 0,
      interrupted: false,
    });
    expect(call.endedAt).not.toBeNull();
  });

  it('answered from LineDeck, held and ended: talk and hold seconds, who answered and ended', async () => {
    await sim('Desk', 'ring', { number: '030111002', name: 'Bo Held' });
    await untilLine('Desk', 'ringing');
    await linedeck('Desk', 'operations', { command: 'acceptcall' });
    await untilLine('Desk', 'connected');
    await sleep(1200);
    await linedeck('Desk', 'operations', { command: 'holdcall' });
    await untilLine('Desk', 'onhold');
    await sleep(2200);
    await linedeck('Desk', 'operations', { command: 'unhold' });
    await untilLine('Desk', 'connected');
    await sleep(600);
    await linedeck('Desk', 'operations', { command: 'endcall' });
    const call = await endedCall('+4930111002');
    expect(call).toMatchObject({
      outcome: 'answered',
      remoteNumber: '030111002',
      remoteE164: '+4930111002',
      answeredBy: 'admin',
      endedBy: 'admin',
    });
    expect(call.holdSeconds).toBeGreaterThanOrEqual(2);
    expect(call.holdSeconds).toBeLessThanOrEqual(3);
    expect(call.talkSeconds).toBeGreaterThanOrEqual(1);
    expect(call.talkSeconds).toBeLessThanOrEqual(3);
    expect(Date.parse(call.answeredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(call.startedAt));
  });

  it('rejected from LineDeck', async () => {
    await sim('Desk', 'ring', { number: '+4930111003' });
    await untilLine('Desk', 'ringing');
    await linedeck('Desk', 'operations', { command: 'rejectcall' });
    expect(await endedCall('+4930111003')).toMatchObject({ outcome: 'rejected', endedBy: 'admin' });
  });
});

describe('outgoing calls', () => {
  it('dialled from LineDeck and answered by the far end', async () => {
    await linedeck('Out', 'calls', { number: '0301112004' });
    await untilLine('Out', 'calling');
    await sim('Out', 'answer');
    await untilLine('Out', 'connected');
    await sim('Out', 'hangup');
    expect(await endedCall('+49301112004')).toMatchObject({
      direction: 'outgoing',
      outcome: 'answered',
      dialledBy: 'admin',
      answeredBy: null,
    });
  });

  it('unanswered: no answer when the desk hangs up, cancelled when LineDeck does', async () => {
    await linedeck('Out', 'calls', { number: '0301112005' });
    await untilLine('Out', 'calling');
    await sim('Out', 'operate', { cmd: 'endcall' });
    expect(await endedCall('+49301112005')).toMatchObject({ outcome: 'no_answer', endedBy: null });
    await untilLine('Out', 'idle');

    await linedeck('Out', 'calls', { number: '0301112006' });
    await untilLine('Out', 'calling');
    await linedeck('Out', 'operations', { command: 'endcall' });
    expect(await endedCall('+49301112006')).toMatchObject({ outcome: 'cancelled', endedBy: 'admin' });
  });

  it('failed when the far end is busy (the line shows failed)', async () => {
    await untilLine('Out', 'idle');
    await linedeck('Out', 'calls', { number: '0301112007' });
    await untilLine('Out', 'calling');
    await sim('Out', 'hangup', { busy: true });
    await untilLine('Out', 'failed');
    expect(await endedCall('+49301112007')).toMatchObject({ outcome: 'failed', answeredAt: null });
    await sim('Out', 'operate', { cmd: 'endcall' });
    await untilLine('Out', 'idle');
    expect(await callsWith('+49301112007')).toHaveLength(1);
  });
});

describe('the stream and the store', () => {
  it("a call's SSE event arrives once the call is readable", async () => {
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    try {
      expect(await sse.status).toBe(200);
      const readable: boolean[] = [];
      const seen = new Set<string>();
      // Each call frame is checked against the API the moment it arrives.
      const checking = waitFor(async () => {
        for (const f of sse.frames) {
          if (f.event !== 'call' || seen.has(f.id ?? '')) continue;
          seen.add(f.id ?? '');
          const call = callSchema.parse(f.data);
          if (call.remoteNumber !== '+4930111008') continue;
          const stored = (await callsWith('+4930111008')).find((c) => c.id === call.id);
          readable.push(stored !== undefined && (call.outcome === null || stored.outcome === call.outcome));
          if (call.outcome !== null) return true;
        }
        return false;
      }, 4000);
      await sim('Desk', 'ring', { number: '+4930111008' });
      await untilLine('Desk', 'ringing');
      await sim('Desk', 'hangup');
      await checking;
      expect(readable.length).toBeGreaterThanOrEqual(1);
      expect(readable.every(Boolean)).toBe(true);
    } finally {
      sse.close();
    }
  });

  it("a display key's stream gets states but no call events", async () => {
    const desk = h.phone('Desk');
    const key = await h.api<{ secret: string }>('POST', '/api/display-keys', {
      name: 'Hall',
      phoneIds: [desk.id],
    });
    expect(key.status, key.text).toBe(201);
    h.passwords.add(key.body.secret);
    const opened = await send(h.url, 'GET', `/wall?key=${encodeURIComponent(key.body.secret)}`);
    expect(opened.status, opened.text).toBe(303);
    const wall = openSse(`${h.url}/api/events`, browser(h.url, cookieFrom(opened)).headers);
    const admin = openSse(`${h.url}/api/events`, h.authHeaders());
    try {
      expect(await wall.status).toBe(200);
      expect(await admin.status).toBe(200);
      await sim('Desk', 'ring', { number: '+4930111009', name: 'Secret Caller' });
      await untilLine('Desk', 'ringing');
      await sim('Desk', 'hangup');
      const isMissed = (f: SseFrame) => f.event === 'call' && (f.data as Call).outcome === 'missed';
      await admin.next(isMissed, 4000);
      // The wall saw the ring (a state) and, by now, everything the admin saw.
      await wall.next((f) => f.event === 'state' && (f.data as { status: string }).status === 'ringing');
      await sleep(300);
      expect(wall.frames.filter((f) => f.event === 'call')).toEqual([]);
    } finally {
      wall.close();
      admin.close();
    }
  });

  it('a call going on across a restart is one call, followed to its end', async () => {
    await sim('Desk', 'ring', { number: '+4930111010' });
    await untilLine('Desk', 'ringing');
    await sim('Desk', 'operate', { cmd: 'acceptcall' });
    await untilLine('Desk', 'connected');
    const [answered] = await waitFor(async () => {
      const calls = await callsWith('+4930111010');
      return calls[0]?.answeredAt ? calls : null;
    }, 3000);
    await sleep(1100);

    await h.restart();
    // Still going after the start: open, not closed as interrupted, and no second call.
    const goingOn = await waitFor(async () => {
      const calls = await callsWith('+4930111010');
      return calls.length === 1 && calls[0]?.talkSeconds && calls[0].talkSeconds >= 1 ? calls : null;
    }, 3000);
    expect(goingOn[0]).toMatchObject({ id: answered?.id, outcome: null, interrupted: false });

    await sleep(200);
    await sim('Desk', 'hangup');
    await untilLine('Desk', 'idle');
    const ended = await endedCall('+4930111010');
    expect(ended).toMatchObject({ id: answered?.id, outcome: 'answered', interrupted: false });
    expect(Date.parse(ended.endedAt ?? '')).toBeGreaterThan(Date.parse(ended.answeredAt ?? '') + 1000);
  });

  it('a call that ends while LineDeck is stopped is closed at the start, marked interrupted, once', async () => {
    await sim('Desk', 'ring', { number: '+4930111011' });
    await untilLine('Desk', 'ringing');
    await sim('Desk', 'operate', { cmd: 'acceptcall' });
    await untilLine('Desk', 'connected');
    await waitFor(async () => (await callsWith('+4930111011'))[0]?.answeredAt, 3000);
    await sleep(1100);

    await h.restart(() => sim('Desk', 'hangup'));
    const closed = await endedCall('+4930111011');
    expect(closed).toMatchObject({ outcome: 'answered', interrupted: true });
    expect(closed.talkSeconds).toBeGreaterThanOrEqual(1);
    expect(Date.parse(closed.endedAt ?? '')).toBeGreaterThan(Date.parse(closed.answeredAt ?? ''));
    await sleep(600);
    expect(await callsWith('+4930111011')).toEqual([closed]);
  });

  it('a call that began while LineDeck was stopped is recorded from the start, to its end', async () => {
    await h.restart(async () => {
      await sim('Desk', 'ring', { number: '+4930111012', name: 'While Away' });
      await sim('Desk', 'operate', { cmd: 'acceptcall' });
    });
    const [found] = await waitFor(async () => {
      const calls = await callsWith('+4930111012');
      return calls[0]?.answeredAt ? calls : null;
    }, 3000);
    expect(found).toMatchObject({ outcome: null, remoteName: 'While Away', interrupted: false });
    await sleep(1100);
    await sim('Desk', 'hangup');
    await untilLine('Desk', 'idle');
    const ended = await endedCall('+4930111012');
    expect(ended).toMatchObject({ id: found?.id, outcome: 'answered' });
    expect(ended.talkSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe('a short ring seen only by a trusted push', () => {
  let p: AuthHarness;
  beforeAll(async () => {
    // Polls 60 s apart: a 300 ms ring falls between two of them unless the phone pushes it.
    p = await startAuthHarness([{ name: 'Pushy', model: 'GRP2614' }], {
      pollIntervalMs: 60_000,
      config: { ctiTimeoutMs: 3000, defaultCountry: 'DE' },
    });
    const id = p.phone('Pushy').id;
    await waitFor(() => p.server.cache.get(id)?.updatedAt);
    p.phone('Pushy').sim.updateSettings({
      actionUrls: actionUrlTemplates(p.url, id, p.server.registry.hookToken(id)),
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('is one missed call', async () => {
    const phone = p.phone('Pushy');
    const post = (path: string, body: unknown) =>
      fetch(`${phone.sim.url}/sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('ring', { number: '+4930111011', name: 'Quick Caller' })).status).toBe(200);
    await sleep(300);
    expect((await post('hangup', {})).status).toBe(200);
    const calls = await waitFor(async () => {
      const res = await p.api('GET', '/api/calls?number=%2B4930111011');
      const page = callPageSchema.parse(res.body);
      return page.calls.length > 0 && page.calls.every((c) => c.outcome) ? page.calls : null;
    }, 4000);
    expect(calls).toEqual([
      expect.objectContaining({ outcome: 'missed', direction: 'incoming', remoteName: 'Quick Caller' }),
    ]);
    await sleep(500);
    expect(
      callPageSchema.parse((await p.api('GET', '/api/calls?number=%2B4930111011')).body).calls,
    ).toHaveLength(1);
  });
});

describe('a caller turned away by Do Not Disturb', () => {
  let p: AuthHarness;
  beforeAll(async () => {
    p = await startAuthHarness([{ name: 'Quiet', model: 'GRP2614' }], {
      config: { ctiTimeoutMs: 3000, defaultCountry: 'DE' },
    });
    const id = p.phone('Quiet').id;
    await waitFor(() => p.server.cache.get(id)?.updatedAt);
    p.phone('Quiet').sim.updateSettings({
      actionUrls: actionUrlTemplates(p.url, id, p.server.registry.hookToken(id)),
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('is a missed call that says DND turned it away; a call that rang does not', async () => {
    const phone = p.phone('Quiet');
    const post = (path: string, body: unknown) =>
      fetch(`${phone.sim.url}/sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const journal = async (number: string) =>
      callPageSchema.parse((await p.api('GET', `/api/calls?number=${encodeURIComponent(number)}`)).body)
        .calls;
    // The person at the desk switches DND on: the phone pushes it, so LineDeck knows.
    expect((await post('dnd', { on: true })).status).toBe(200);
    await waitFor(() => p.server.cache.get(phone.id)?.dnd === true, 3000);
    const refused = await post('ring', { number: '+4930111012', name: 'Turned Away' });
    expect(((await refused.json()) as { farEnd?: string }).farEnd).toBe('busy');
    const [away] = await waitFor(async () => {
      const calls = await journal('+4930111012');
      return calls.length > 0 ? calls : null;
    }, 4000);
    expect(away).toEqual(
      expect.objectContaining({
        outcome: 'missed',
        turnedAway: 'dnd',
        ringSeconds: 0,
        remoteName: 'Turned Away',
      }),
    );

    expect((await post('dnd', { on: false })).status).toBe(200);
    await waitFor(() => p.server.cache.get(phone.id)?.dnd === false, 3000);
    expect((await post('ring', { number: '+4930111013' })).status).toBe(200);
    await waitFor(() => p.server.cache.get(phone.id)?.lines[0]?.state === 'ringing', 3000);
    expect((await post('hangup', {})).status).toBe(200);
    const [rang] = await waitFor(async () => {
      const calls = await journal('+4930111013');
      return calls.length > 0 && calls.every((c) => c.outcome) ? calls : null;
    }, 4000);
    expect(rang).toEqual(expect.objectContaining({ outcome: 'missed', turnedAway: null }));
  });
});
