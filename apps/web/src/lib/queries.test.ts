import type { PhoneState } from '@linedeck/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newerState, phoneQueries, stateQueries, writeState } from './queries.ts';
import { queryClient } from './query-client.ts';
import { matchPath } from './router.tsx';
import { heartbeatOverdueMs, reconnectDelay, streamUrl } from './use-events.ts';

const state = (updatedAt: string | null, status: PhoneState['status'] = 'available'): PhoneState => ({
  phoneId: 'p1',
  status,
  dnd: null,
  forward: null,
  lines: [],
  accounts: [],
  updatedAt,
});

describe('newerState', () => {
  it('keeps a newer pushed state over an older polled one', () => {
    const pushed = state('2026-01-01T00:00:02Z', 'ringing');
    const polled = state('2026-01-01T00:00:01Z');
    expect(newerState(pushed, polled)).toBe(pushed);
    expect(newerState(polled, pushed)).toBe(pushed);
    expect(newerState(undefined, polled)).toBe(polled);
  });
});

/** The server answers `body`; `meanwhile` runs while the request is on its way (the stream pushes). */
function serve(body: unknown, meanwhile: () => void = () => {}) {
  vi.stubGlobal('fetch', async () => {
    meanwhile();
    return new Response(JSON.stringify(body), { status: 200 });
  });
}

describe('a fetched state and the states the stream pushed', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    queryClient.clear();
  });

  const fleet = () => queryClient.fetchQuery(stateQueries.all());
  const one = () => queryClient.fetchQuery(phoneQueries.state('p1'));

  it("keeps the snapshot's ring when the fleet's first answer, served before it, comes after it", async () => {
    // The list has no data yet: the push lands in the phone's own entry only.
    serve([state('2026-01-01T00:00:01Z')], () => writeState(state('2026-01-01T00:00:02Z', 'ringing')));
    expect((await fleet()).map((s) => s.status)).toEqual(['ringing']);
  });

  it('keeps a push from the same poll (an error, DND) that came while the answer was on its way', async () => {
    serve([state('2026-01-01T00:00:01Z')]);
    await fleet();
    const offline = { ...state('2026-01-01T00:00:01Z', 'offline'), error: { code: 'timeout', message: 'x' } };
    serve([state('2026-01-01T00:00:01Z')], () => writeState(offline));
    expect((await fleet()).map((s) => s.status)).toEqual(['offline']);
    serve(state('2026-01-01T00:00:01Z'), () => writeState({ ...offline, dnd: true }));
    expect(await one()).toMatchObject({ status: 'offline', dnd: true });
  });

  it('takes the answer over a push it already contains, and an answer from a later poll', async () => {
    writeState({ ...state('2026-01-01T00:00:01Z'), dnd: true });
    // DND went off again without a poll: the answer, asked for after the push, knows it.
    serve(state('2026-01-01T00:00:01Z'));
    expect((await one()).dnd).toBeNull();
    serve([state('2026-01-01T00:00:03Z', 'busy')], () =>
      writeState(state('2026-01-01T00:00:02Z', 'ringing')),
    );
    expect((await fleet()).map((s) => s.status)).toEqual(['busy']);
  });
});

describe('query keys', () => {
  it("nests a phone's state under ['phones', id] so commands invalidate it", () => {
    expect(phoneQueries.state('p1').queryKey.slice(0, 2)).toEqual(phoneQueries.detail('p1'));
    expect(stateQueries.all().queryKey).toEqual(['state']);
  });
});

describe('matchPath', () => {
  it('matches and decodes parameters', () => {
    expect(matchPath('/phones/:id', '/phones/a%20b')).toEqual({ id: 'a b' });
    expect(matchPath('/phones/:id', '/phones')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/phones/:id', '/phones/%E0%A4%A')).toBeNull();
  });
});

describe('reconnectDelay', () => {
  it('grows and stays under 30 s', () => {
    expect(reconnectDelay(0)).toBeLessThanOrEqual(1000);
    expect(reconnectDelay(0)).toBeGreaterThanOrEqual(500);
    expect(reconnectDelay(20)).toBeLessThanOrEqual(30_000);
    expect(reconnectDelay(20)).toBeGreaterThanOrEqual(15_000);
  });
});

describe('streamUrl', () => {
  it('resumes after the last event id, and ignores anything that is not one', () => {
    expect(streamUrl('/api/events', '')).toBe('/api/events');
    expect(streamUrl('/api/events', '1796117522868')).toBe('/api/events?lastEventId=1796117522868');
    expect(streamUrl('/api/events?x=1', '5')).toBe('/api/events?x=1&lastEventId=5');
    expect(streamUrl('/api/events', '5&evil=1')).toBe('/api/events');
  });
});

describe('heartbeatOverdueMs', () => {
  it('allows two missed heartbeats before the stream counts as down', () => {
    expect(heartbeatOverdueMs(2000)).toBe(5000);
  });
});
