import type { Call, CallPage } from '@linedeck/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  callQueries,
  callsExportUrl,
  callsSearch,
  mayMatch,
  onJournalCall,
  patchPages,
  REFRESH_EVERY_MS,
  receiveCall,
  seenBefore,
} from './calls-queries.ts';
import { queryClient } from './query-client.ts';
import { isJournalCall } from './use-events.ts';

function call(id: string, patch: Partial<Call> = {}): Call {
  return {
    id,
    phoneId: 'p1',
    line: 1,
    account: 1,
    direction: 'incoming',
    outcome: null,
    remoteNumber: '5551234',
    remoteE164: null,
    remoteName: 'Ada',
    contact: null,
    startedAt: '2026-12-01T10:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    ringSeconds: 0,
    talkSeconds: 0,
    holdSeconds: 0,
    transferTarget: null,
    dialledBy: null,
    answeredBy: null,
    endedBy: null,
    interrupted: false,
    turnedAway: null,
    ...patch,
  };
}

describe('callsSearch', () => {
  it('writes only the filters that are set, trimmed, in a fixed order, then paging', () => {
    expect(callsSearch({ q: ' Ada ', phoneId: 'p1', number: '' })).toBe('?phoneId=p1&q=Ada');
    expect(callsSearch({ outcome: 'missed,rejected', limit: 10, cursor: 'abc' })).toBe(
      '?outcome=missed%2Crejected&limit=10&cursor=abc',
    );
    expect(callsSearch({})).toBe('');
    expect(callsExportUrl({ direction: 'incoming' })).toBe('/api/calls/export.csv?direction=incoming');
  });

  it('gives one cache entry to filters that ask the same', () => {
    expect(callQueries.list({ q: 'Ada', number: '' }).queryKey).toEqual(
      callQueries.list({ q: ' Ada' }).queryKey,
    );
  });
});

describe('mayMatch', () => {
  const c = call('a', { outcome: 'missed' });
  it('rules out lists whose plain filters the call fails', () => {
    expect(mayMatch(c, {})).toBe(true);
    expect(mayMatch(c, { phoneId: 'p2' })).toBe(false);
    expect(mayMatch(c, { direction: 'outgoing' })).toBe(false);
    expect(mayMatch(c, { outcome: 'answered,rejected' })).toBe(false);
    expect(mayMatch(c, { outcome: 'rejected,missed' })).toBe(true);
    expect(mayMatch(c, { from: '2026-12-01T10:00:01.000Z' })).toBe(false);
    expect(mayMatch(c, { to: '2026-12-01T10:00:00.000Z' })).toBe(false);
    // Names and numbers are the server's to match.
    expect(mayMatch(c, { q: 'nobody' })).toBe(true);
  });
});

describe('patchPages', () => {
  it('replaces the call where it is, and says when no page holds it', () => {
    const pages: CallPage[] = [
      { calls: [call('a')], nextCursor: 'x' },
      { calls: [call('b')], nextCursor: null },
    ];
    const ended = call('b', { outcome: 'missed' });
    const next = patchPages(pages, ended);
    expect(next?.[1]?.calls[0]).toBe(ended);
    expect(next?.[0]).toBe(pages[0]);
    expect(patchPages(pages, call('c'))).toBeUndefined();
  });
});

describe('seenBefore', () => {
  it('is now, or just after the newest call shown when the server clock is ahead', () => {
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    expect(seenBefore([], now)).toBe('2026-12-01T10:00:00.000Z');
    expect(seenBefore([{ startedAt: '2026-12-01T10:00:05.000Z' }], now)).toBe('2026-12-01T10:00:05.001Z');
  });
});

describe('isJournalCall', () => {
  it('tells a journal call from an older line event', () => {
    expect(isJournalCall(call('a'))).toBe(true);
    expect(isJournalCall({ phoneId: 'p1', line: 1, kind: 'ringing', at: 'x' })).toBe(false);
    expect(isJournalCall(undefined)).toBe(false);
  });
});

describe('receiveCall', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    queryClient.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    queryClient.clear();
  });

  it('patches a list that shows the call, without a refetch', () => {
    const list = callQueries.list({});
    queryClient.setQueryData(list.queryKey, {
      pages: [{ calls: [call('a')], nextCursor: null }],
      pageParams: [undefined],
    });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    receiveCall(call('a', { outcome: 'answered', direction: 'outgoing' }));
    vi.advanceTimersByTime(5000);
    expect(queryClient.getQueryData(list.queryKey)?.pages[0]?.calls[0]?.outcome).toBe('answered');
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('refetches lists a new call may join, and the counts, at most once a second for a burst', () => {
    const all = callQueries.list({});
    const other = callQueries.recent('p2');
    queryClient.setQueryData(all.queryKey, {
      pages: [{ calls: [], nextCursor: null }],
      pageParams: [undefined],
    });
    queryClient.setQueryData(other.queryKey, { calls: [], nextCursor: null });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    const heard: string[] = [];
    const off = onJournalCall((c) => heard.push(c.id));

    for (let i = 0; i < 20; i++) receiveCall(call(`n${i}`, { outcome: 'missed' }));
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    const keys = invalidate.mock.calls.map(([filters]) => JSON.stringify(filters?.queryKey));
    expect(keys.sort()).toEqual(
      [all.queryKey, callQueries.missed().queryKey, callQueries.today().queryKey]
        .map((k) => JSON.stringify(k))
        .sort(),
    );
    // Phone p2's list cannot gain a call of p1.
    expect(keys).not.toContain(JSON.stringify(other.queryKey));

    invalidate.mockClear();
    receiveCall(call('later', { outcome: 'missed' }));
    vi.advanceTimersByTime(REFRESH_EVERY_MS - 300);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(invalidate).toHaveBeenCalled();
    expect(heard).toHaveLength(21);
    off();
  });
});
