import type { PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { isStale, shortAge, trackFreshness } from './freshness.ts';

const state = (phoneId: string, updatedAt: string | null): PhoneState => ({
  phoneId,
  status: 'available',
  dnd: null,
  forward: null,
  lines: [],
  accounts: [],
  updatedAt,
});

describe('trackFreshness', () => {
  const t0 = Date.parse('2026-01-01T10:00:00Z');

  it('marks a phone stale once its updatedAt stops moving for longer than the limit', () => {
    let seen = trackFreshness(new Map(), [state('a', '2026-01-01T10:00:00Z')], t0);
    expect(isStale(seen.get('a'), t0 + 1000, 3000)).toBe(false);
    seen = trackFreshness(seen, [state('a', '2026-01-01T10:00:01Z')], t0 + 1000);
    // The same updatedAt again (a poll that read nothing new) does not count as fresh.
    seen = trackFreshness(seen, [state('a', '2026-01-01T10:00:01Z')], t0 + 3000);
    expect(isStale(seen.get('a'), t0 + 3900, 3000)).toBe(false);
    expect(isStale(seen.get('a'), t0 + 4100, 3000)).toBe(true);
  });

  it('measures on the wall clock, whatever the server clock says', () => {
    // The server is 10 minutes ahead of the wall: still fresh once the data moves on.
    let seen = trackFreshness(new Map(), [state('a', '2026-01-01T10:10:00Z')], t0);
    seen = trackFreshness(seen, [state('a', '2026-01-01T10:10:01Z')], t0 + 1000);
    expect(isStale(seen.get('a'), t0 + 1500, 3000)).toBe(false);
  });

  it('takes the server age of data seen for the first time', () => {
    const seen = trackFreshness(new Map(), [state('a', '2026-01-01T09:50:00Z')], t0);
    expect(isStale(seen.get('a'), t0, 3000)).toBe(true);
  });

  it('treats never-read phones and unknown phones as stale', () => {
    const seen = trackFreshness(new Map(), [state('a', null)], t0);
    expect(isStale(seen.get('a'), t0, 3000)).toBe(true);
    expect(isStale(seen.get('b'), t0, 3000)).toBe(true);
  });

  it('forgets phones that left the list, so the map stays the size of the fleet', () => {
    let seen = trackFreshness(new Map(), [state('a', null), state('b', null)], t0);
    seen = trackFreshness(seen, [state('b', null)], t0 + 1000);
    expect([...seen.keys()]).toEqual(['b']);
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
