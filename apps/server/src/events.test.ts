/**
 * SSE at /api/events against the real server and a simulated phone: state and call (journal) events with ids,
 * a snapshot for new clients, Last-Event-ID resume, heartbeats, and no leaked connections.
 */
import http from 'node:http';
import type { Call, PhoneState } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAccess } from './access/access.ts';
import { EventHub, type Freshness } from './events.ts';
import { createLogger } from './logger.ts';
import { type Harness, openSse, type SseFrame, startHarness, waitFor } from './test-support/harness.ts';
import { type HubServer, serveHub } from './test-support/hub-server.ts';

let h: Harness;

beforeAll(async () => {
  // Open access: this file is about the stream, not sign-in (auth tests cover who may read events).
  h = await startHarness([{ name: 'Lobby', model: 'GRP2612' }], {
    pollIntervalMs: 50,
    heartbeatMs: 100,
    access: createOpenAccess(),
  });
  await waitFor(() => h.server.cache.get(h.phone('Lobby').id)?.status === 'available');
});
afterAll(async () => {
  await h?.close();
});

/** Where a journal call is: ringing or talking while open, else its outcome. */
const stageOf = (call: Call) => call.outcome ?? (call.answeredAt ? 'talking' : 'ringing');
const isCall = (stage: string) => (f: SseFrame) => f.event === 'call' && stageOf(f.data as Call) === stage;

describe('GET /api/events', () => {
  it('starts with a snapshot, then pushes state and call events with increasing ids', async () => {
    const sse = openSse(`${h.url}/api/events`);
    try {
      expect(await sse.status).toBe(200);
      const snapshot = await sse.next((f) => f.event === 'state');
      expect(snapshot.id).toBeUndefined();
      expect((snapshot.data as PhoneState).status).toBe('available');

      const lobby = h.phone('Lobby');
      lobby.sim.ring('+4930123456', 'Ada');
      const ringing = await sse.next(isCall('ringing'));
      expect(ringing.data).toMatchObject({ phoneId: lobby.id, remoteNumber: '+4930123456', outcome: null });
      const state = await sse.next((f) => f.event === 'state' && (f.data as PhoneState).status === 'ringing');
      expect(Number(state.id)).toBeGreaterThan(0);

      lobby.sim.farEndHangup();
      const missed = await sse.next(isCall('missed'));
      expect(missed.data).toMatchObject({ remoteNumber: '+4930123456' });
      const ids = sse.frames.filter((f) => f.id).map((f) => Number(f.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      sse.close();
    }
  });

  it('pushes a change within 50 ms of the poll that saw it', async () => {
    const lobby = h.phone('Lobby');
    const sse = openSse(`${h.url}/api/events`);
    try {
      await sse.next((f) => f.event === 'state');
      let sawAt = 0;
      const off = h.server.cache.onState((s) => {
        if (s.phoneId === lobby.id && s.status === 'ringing') sawAt ||= Date.now();
      });
      lobby.sim.ring('777', 'Bob');
      // States go out from the poll itself; calls wait for the journal's write (journal.test.ts).
      await sse.next((f) => f.event === 'state' && (f.data as PhoneState).status === 'ringing');
      const delay = Date.now() - sawAt;
      off();
      expect(delay).toBeLessThan(50);
      lobby.sim.farEndHangup();
      await sse.next(isCall('missed'));
    } finally {
      sse.close();
    }
  });

  it('resumes from Last-Event-ID with exactly the missed events, no snapshot', async () => {
    const lobby = h.phone('Lobby');
    const first = openSse(`${h.url}/api/events`);
    await first.next((f) => f.event === 'state');
    lobby.sim.ring('555', 'Carol');
    const ring = await first.next(isCall('ringing'));
    const lastId = Number(ring.id);
    first.close();

    // Meanwhile the call is answered and ends.
    const rang = lobby.sim.snapshot().lines.find((l) => l.state === 'ringing');
    lobby.sim.operate('acceptcall', rang?.index);
    await waitFor(() => h.server.cache.get(lobby.id)?.status === 'busy');
    lobby.sim.farEndHangup();
    await waitFor(() => h.server.cache.get(lobby.id)?.status === 'available');

    const resumed = openSse(`${h.url}/api/events`, { 'Last-Event-ID': String(lastId) });
    try {
      await resumed.next(isCall('answered'));
      // Heartbeats carry no id and are not replayed: everything else is exactly what was missed.
      const replayed = resumed.frames.filter((f) => f.event && f.event !== 'freshness');
      expect(replayed.every((f) => Number(f.id) > lastId)).toBe(true);
      // The call's later versions only (answer and end may fall into one journal write).
      const stages = replayed.filter((f) => f.event === 'call').map((f) => stageOf(f.data as Call));
      expect(stages.at(-1)).toBe('answered');
      expect(stages.every((x) => x === 'talking' || x === 'answered')).toBe(true);
    } finally {
      resumed.close();
    }
  });

  it('an unknown or too old Last-Event-ID gets the snapshot instead', async () => {
    const sse = openSse(`${h.url}/api/events`, { 'Last-Event-ID': '1' });
    try {
      const f = await sse.next((x) => x.event === 'state');
      expect(f.id).toBeUndefined();
    } finally {
      sse.close();
    }
  });

  it('sends freshness heartbeats (no id) and forgets closed connections', async () => {
    await waitFor(() => h.server.events.clientCount === 0);
    const clients = Array.from({ length: 5 }, () => openSse(`${h.url}/api/events`));
    const beats = await Promise.all(
      clients.map((c) => c.next((f) => f.event === 'freshness' && c.frames.indexOf(f) > 1, 1000)),
    );
    for (const beat of beats) {
      expect(beat.id).toBeUndefined();
      expect(beat.heartbeat).toMatchObject({ staleAfterMs: 2000, heartbeatMs: 100, stale: {} });
      expect(Math.abs((beat.heartbeat as Freshness).serverTime - Date.now())).toBeLessThan(1000);
    }
    expect(h.server.events.clientCount).toBe(5);
    for (const c of clients) c.close();
    await waitFor(() => h.server.events.clientCount === 0);
  });

  it('lists a phone that stops answering as stale within the limit and a heartbeat, with its last read', async () => {
    const lobby = h.phone('Lobby');
    const sse = openSse(`${h.url}/api/events`);
    try {
      const first = await sse.next((f) => f.event === 'freshness');
      expect((first.heartbeat as Freshness).stale).toEqual({});
      const downAt = Date.now();
      lobby.sim.injectFault({ kind: 'down', ms: 4000 });
      const flagged = await sse.next(
        (f) => f.event === 'freshness' && lobby.id in (f.heartbeat as Freshness).stale,
        4000,
      );
      const waited = Date.now() - downAt;
      expect(waited).toBeGreaterThanOrEqual(1900);
      expect(waited).toBeLessThan(2000 + 100 + 500);
      const lastRead = Date.parse((flagged.heartbeat as Freshness).stale[lobby.id] ?? '');
      expect(downAt - lastRead).toBeLessThan(500);
      // Back up: the next read takes it off the list.
      await sse.next(
        (f) =>
          f.event === 'freshness' &&
          sse.frames.indexOf(f) > sse.frames.indexOf(flagged) &&
          !(lobby.id in (f.heartbeat as Freshness).stale),
        6000,
      );
    } finally {
      lobby.sim.clearFaults();
      sse.close();
    }
  });

  it('headers fit a stream through a reverse proxy', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) => {
      const req = http.get(`${h.url}/api/events`, resolve);
      req.on('error', () => {});
    });
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['cache-control']).toContain('no-cache');
    expect(res.headers['x-accel-buffering']).toBe('no');
    res.destroy();
  });
});

describe('EventHub fan-out', () => {
  const t0 = Date.parse('2026-01-01T10:00:00Z');
  const phone = (phoneId: string, updatedAt: string | null): PhoneState => ({
    phoneId,
    status: 'available',
    dnd: null,
    forward: null,
    lines: [],
    accounts: [],
    updatedAt,
  });
  // a: read just now; b: 10 s ago; c: never. Stale limit 3 s.
  const states = [
    phone('a', new Date(t0 - 500).toISOString()),
    phone('b', new Date(t0 - 10_000).toISOString()),
    phone('c', null),
  ];
  let snapshots = 0;
  let hub: EventHub;
  let served: HubServer;
  let url = '';

  beforeAll(async () => {
    hub = new EventHub({
      logger: createLogger({ level: 'silent' }),
      heartbeatMs: 100,
      staleAfterMs: 3000,
      now: () => t0,
      snapshot: () => {
        snapshots++;
        return states;
      },
    });
    // A display key (`?wall`) gets no journal calls.
    served = await serveHub(hub);
    url = served.url;
  });
  afterAll(async () => {
    await served?.close();
  });

  it('lists the stale phones with their last read, each connection only its own', async () => {
    const all = openSse(url);
    const limited = openSse(`${url}?only=a,b`);
    try {
      const everyone = await all.next((f) => f.event === 'freshness');
      expect(everyone.heartbeat).toEqual({
        serverTime: t0,
        staleAfterMs: 3000,
        heartbeatMs: 100,
        stale: { b: states[1]?.updatedAt, c: null },
      });
      const mine = await limited.next((f) => f.event === 'freshness' && limited.frames.indexOf(f) > 2);
      expect((mine.heartbeat as Freshness).stale).toEqual({ b: states[1]?.updatedAt });
      // The snapshot on connect is limited too.
      expect(
        limited.frames.filter((f) => f.event === 'state').map((f) => (f.data as PhoneState).phoneId),
      ).toEqual(['a', 'b']);
      hub.publish({ type: 'state', data: { ...phone('c', null), status: 'ringing' } });
      await all.next((f) => f.event === 'state' && (f.data as PhoneState).status === 'ringing');
      await limited.next((f) => f.event === 'freshness' && limited.frames.indexOf(f) > 6);
      expect(limited.frames.some((f) => (f.data as PhoneState | undefined)?.status === 'ringing')).toBe(
        false,
      );
    } finally {
      all.close();
      limited.close();
    }
  });

  it('a display key gets states but no call events, live or replayed', async () => {
    const call = (id: string): Call => ({
      id,
      phoneId: 'a',
      line: 1,
      account: null,
      direction: 'incoming',
      outcome: 'missed',
      remoteNumber: '+4930555',
      remoteE164: '+4930555',
      remoteName: 'Secret Caller',
      contact: null,
      startedAt: new Date(t0).toISOString(),
      answeredAt: null,
      endedAt: new Date(t0).toISOString(),
      ringSeconds: 1,
      talkSeconds: 0,
      holdSeconds: 0,
      transferTarget: null,
      dialledBy: null,
      answeredBy: null,
      endedBy: null,
      interrupted: false,
      turnedAway: null,
    });
    const user = openSse(url);
    const wall = openSse(`${url}?wall&only=a`);
    try {
      await Promise.all([user, wall].map((c) => c.next((f) => f.event === 'freshness')));
      const before = hub.lastId;
      hub.publish({ type: 'call', data: call('call-live') });
      hub.publish({ type: 'state', data: { ...phone('a', null), status: 'busy' } });
      await user.next((f) => f.event === 'call');
      await wall.next((f) => f.event === 'state' && (f.data as PhoneState).status === 'busy');
      const resumed = openSse(`${url}?wall&only=a`, { 'Last-Event-ID': String(before) });
      try {
        await resumed.next((f) => f.event === 'state' && (f.data as PhoneState).status === 'busy');
        for (const c of [wall, resumed]) {
          expect(c.frames.filter((f) => f.event === 'call')).toEqual([]);
          expect(JSON.stringify(c.frames)).not.toContain('Secret Caller');
        }
      } finally {
        resumed.close();
      }
      // The same stream without `?wall` replays the call: the filter above is what kept it out.
      const replay = openSse(`${url}?only=a`, { 'Last-Event-ID': String(before) });
      try {
        await replay.next((f) => f.event === 'call' && (f.data as Call).id === 'call-live');
      } finally {
        replay.close();
      }
    } finally {
      user.close();
      wall.close();
    }
  });

  it('computes freshness once per heartbeat, however many connections listen', async () => {
    const clients = Array.from({ length: 40 }, () => openSse(url));
    try {
      await Promise.all(clients.map((c) => c.next((f) => f.event === 'freshness')));
      const before = snapshots;
      await new Promise((resolve) => setTimeout(resolve, 550));
      const ticks = snapshots - before;
      expect(ticks).toBeGreaterThanOrEqual(3);
      expect(ticks).toBeLessThanOrEqual(7);
      // Every connection heard every one of those heartbeats.
      for (const c of clients) {
        expect(c.frames.filter((f) => f.event === 'freshness').length).toBeGreaterThanOrEqual(ticks);
      }
    } finally {
      for (const c of clients) c.close();
    }
  });
});
