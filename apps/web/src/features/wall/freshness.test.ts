import type { PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import type { StreamFreshness } from '../../lib/connectivity.ts';
import { shortAge, tileFreshness } from './freshness.ts';

const state = (phoneId: string, updatedAt: string | null): PhoneState => ({
  phoneId,
  status: 'available',
  dnd: null,
  forward: null,
  lines: [],
  accounts: [],
  updatedAt,
});

const t0 = Date.parse('2026-01-01T10:00:00Z');

/** A heartbeat sent at server time `serverTime`, arriving at wall time `receivedAt`. */
const heartbeat = (
  serverTime: number,
  receivedAt: number,
  stale: Record<string, string | null> = {},
): StreamFreshness => ({
  serverTime,
  receivedAt,
  staleAfterMs: 3000,
  heartbeatMs: 2000,
  stale: new Map(Object.entries(stale)),
});

describe('tileFreshness', () => {
  it('keeps a quiet phone fresh while the server reads it, however old its last state event', () => {
    // Idle for an hour: no state event since, but the server's heartbeat does not list it.
    const quiet = state('a', '2026-01-01T09:00:00Z');
    const fresh = tileFreshness('a', quiet, 'live', heartbeat(t0, t0), t0 + 1500, 3000);
    expect(fresh.stale).toBe(false);
    expect(fresh.ageMs).toBe(1500);
  });

  it('flags a phone the server lists as stale, aged from the server’s last read', () => {
    const down = state('a', '2026-01-01T09:00:00Z');
    const hb = heartbeat(t0, t0, { a: '2026-01-01T09:59:55Z' });
    expect(tileFreshness('a', down, 'live', hb, t0 + 1000, 3000)).toEqual({ stale: true, ageMs: 6000 });
    expect(tileFreshness('b', state('b', '2026-01-01T09:00:00Z'), 'live', hb, t0, 3000).stale).toBe(false);
  });

  it('measures on the server clock, whatever the wall clock says', () => {
    // The wall is 10 minutes behind the server: the heartbeat's own time is what counts.
    const wall = t0 - 600_000;
    const hb = heartbeat(t0, wall, { a: '2026-01-01T09:59:58Z' });
    expect(tileFreshness('a', state('a', null), 'live', hb, wall + 1000, 3000)).toEqual({
      stale: true,
      ageMs: 3000,
    });
  });

  it('flags every tile while the stream is down, with the age since the last word', () => {
    const hb = heartbeat(t0, t0);
    const tile = tileFreshness('a', state('a', '2026-01-01T09:00:00Z'), 'down', hb, t0 + 8000, 3000);
    expect(tile).toEqual({ stale: true, ageMs: 8000 });
  });

  it('judges the first seconds (no heartbeat yet) by the fetched data’s age', () => {
    expect(tileFreshness('a', state('a', '2026-01-01T09:59:59Z'), 'connecting', null, t0, 3000).stale).toBe(
      false,
    );
    expect(tileFreshness('a', state('a', '2026-01-01T09:59:50Z'), 'connecting', null, t0, 3000).stale).toBe(
      true,
    );
  });

  it('treats never-read and unknown phones as stale', () => {
    const hb = heartbeat(t0, t0);
    expect(tileFreshness('a', state('a', null), 'live', hb, t0, 3000)).toEqual({
      stale: true,
      ageMs: undefined,
    });
    expect(tileFreshness('b', undefined, 'live', hb, t0, 3000).stale).toBe(true);
    expect(tileFreshness('c', state('c', null), 'live', heartbeat(t0, t0, { c: null }), t0, 3000).stale).toBe(
      true,
    );
  });
});

describe('shortAge', () => {
  it('fits the smallest tile', () => {
    expect(shortAge(undefined)).toBe('no data');
    expect(shortAge(2500)).toBe('2 s');
    expect(shortAge(4 * 60_000)).toBe('4 min');
    expect(shortAge(3 * 3_600_000)).toBe('3 h');
    expect(shortAge(49 * 3_600_000)).toBe('2 d');
  });
});
