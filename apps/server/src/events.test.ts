/**
 * SSE at /api/events against the real server and a simulated phone: state and call events with ids,
 * a snapshot for new clients, Last-Event-ID resume, heartbeats, and no leaked connections.
 */
import http from 'node:http';
import type { CallEvent, PhoneState } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAccess } from './access/access.ts';
import { type Harness, openSse, type SseFrame, startHarness, waitFor } from './test-support/harness.ts';

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

const isCall = (kind: string) => (f: SseFrame) => f.event === 'call' && (f.data as CallEvent).kind === kind;

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
      expect(ringing.data).toMatchObject({ phoneId: lobby.id, remoteNumber: '+4930123456', kind: 'ringing' });
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
      const off = h.server.cache.onCall(() => {
        sawAt ||= Date.now();
      });
      lobby.sim.ring('777', 'Bob');
      await sse.next(isCall('ringing'));
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
      await resumed.next(isCall('ended'));
      const replayed = resumed.frames.filter((f) => f.event);
      expect(replayed.every((f) => Number(f.id) > lastId)).toBe(true);
      const kinds = replayed.filter((f) => f.event === 'call').map((f) => (f.data as CallEvent).kind);
      expect(kinds).toEqual(['answered', 'ended']);
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

  it('sends heartbeats and forgets closed connections', async () => {
    await waitFor(() => h.server.events.clientCount === 0);
    const before = 0;
    const clients = Array.from({ length: 5 }, () => openSse(`${h.url}/api/events`));
    await Promise.all(clients.map((c) => c.next((f) => f.comment === 'heartbeat', 1000)));
    expect(h.server.events.clientCount).toBe(before + 5);
    for (const c of clients) c.close();
    await waitFor(() => h.server.events.clientCount === before);
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
