import type { Campaign, CampaignCounts } from '@linedeck/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { queryClient } from '../../lib/query-client.ts';
import { streamTopic } from '../../lib/stream-topics.ts';
import { progressParts, progressSummary } from './campaign-text.ts';
import { campaignQueries, isCampaignEvent, patchList, receiveCampaign } from './campaigns-queries.ts';
import { secondsLeft } from './countdown.ts';

function counts(patch: Partial<CampaignCounts> = {}): CampaignCounts {
  return {
    total: 10,
    remaining: 6,
    dialling: 1,
    done: 3,
    outcomes: {
      answered: 2,
      no_answer: 1,
      busy: 1,
      failed: 0,
      cancelled: 0,
      skipped: 0,
      invalid: 0,
      do_not_call: 0,
    },
    ...patch,
  };
}

function campaign(id: string, patch: Partial<Campaign> = {}): Campaign {
  return {
    id,
    name: `Campaign ${id}`,
    mode: 'automatic',
    state: 'running',
    phoneIds: ['p1'],
    wrapUpSeconds: 5,
    ringTimeoutSeconds: 30,
    maxAttempts: 2,
    retryAfterMinutes: 30,
    callingHours: null,
    pausedBy: null,
    createdBy: 'admin',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: null,
    counts: counts(),
    progress: 0.3,
    phones: [],
    ...patch,
  };
}

afterEach(() => {
  queryClient.clear();
  vi.useRealTimers();
});

describe('progress', () => {
  it('splits the bar into answered, done otherwise, calling and to go, over the total', () => {
    expect(progressParts(counts()).map((p) => [p.key, p.count, p.share])).toEqual([
      ['answered', 2, 0.2],
      ['other', 1, 0.1],
      ['dialling', 1, 0.1],
      ['remaining', 6, 0.6],
    ]);
  });

  it('caps answered by what is done (outcome counts include entries waiting for a retry)', () => {
    const parts = progressParts(counts({ done: 1, outcomes: { ...counts().outcomes, answered: 3 } }));
    expect(parts.find((p) => p.key === 'answered')?.count).toBe(1);
    expect(parts.find((p) => p.key === 'other')?.count).toBe(0);
  });

  it('says the same in words, naming only outcomes that happened', () => {
    expect(progressSummary(counts())).toBe('3 of 10 done, 6 to go · answered 2, no answer 1, busy 1');
    expect(
      progressSummary(
        counts({ done: 0, outcomes: { ...counts().outcomes, answered: 0, no_answer: 0, busy: 0 } }),
      ),
    ).toBe('0 of 10 done, 6 to go');
  });
});

describe('countdown', () => {
  it('counts whole seconds down to the dial, never below zero', () => {
    const now = Date.parse('2026-12-01T10:00:00.000Z');
    expect(secondsLeft('2026-12-01T10:00:04.200Z', now)).toBe(5);
    expect(secondsLeft('2026-12-01T09:59:59.000Z', now)).toBe(0);
    expect(secondsLeft(null, now)).toBeUndefined();
    expect(secondsLeft('not a time', now)).toBeUndefined();
  });
});

describe('pushed campaigns', () => {
  it('replaces a campaign in place, adds a new one first, and drops a deleted one', () => {
    const list = { campaigns: [campaign('a'), campaign('b')] };
    expect(
      patchList(list, 'b', campaign('b', { state: 'paused' })).campaigns.map((c) => [c.id, c.state]),
    ).toEqual([
      ['a', 'running'],
      ['b', 'paused'],
    ]);
    expect(patchList(list, 'c', campaign('c')).campaigns.map((c) => c.id)).toEqual(['c', 'a', 'b']);
    expect(patchList(list, 'a', null).campaigns.map((c) => c.id)).toEqual(['b']);
  });

  it('writes events into the list and the detail in the order they come, and refetches the entries', () => {
    vi.useFakeTimers();
    const topic = streamTopic('campaign');
    if (!topic) throw new Error('campaigns registered no stream topic');
    queryClient.setQueryData(campaignQueries.list().queryKey, { campaigns: [campaign('a')] });
    queryClient.setQueryData(campaignQueries.entries('a').queryKey, { entries: [], total: 0 });
    const later = campaign('a', { state: 'paused', updatedAt: '2026-12-01T10:05:00.000Z' });
    topic.receive({ campaignId: 'a', phoneIds: ['p1'], campaign: later });
    expect(queryClient.getQueryData(campaignQueries.detail('a').queryKey)?.state).toBe('paused');
    expect(queryClient.getQueryData(campaignQueries.list().queryKey)?.campaigns[0]?.state).toBe('paused');

    expect(queryClient.getQueryState(campaignQueries.entries('a').queryKey)?.isInvalidated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(queryClient.getQueryState(campaignQueries.entries('a').queryKey)?.isInvalidated).toBe(true);

    topic.receive({ phoneId: 'p1', lines: [] });
    expect(queryClient.getQueryData(campaignQueries.list().queryKey)?.campaigns).toHaveLength(1);
    receiveCampaign({ campaignId: 'a', phoneIds: ['p1'], campaign: null });
    expect(queryClient.getQueryData(campaignQueries.list().queryKey)?.campaigns).toEqual([]);
    expect(queryClient.getQueryData(campaignQueries.detail('a').queryKey)).toBeUndefined();
  });

  it('keeps a push that came while a read was on its way over the older answer', async () => {
    const older = campaign('a', { phones: [] });
    const pushed = campaign('a', { updatedAt: '2026-12-01T10:00:01.000Z' });
    const answers: ((body: unknown) => void)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        () =>
          new Promise<Response>((resolve) =>
            answers.push((body) =>
              resolve(
                new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
              ),
            ),
          ),
      ),
    );
    try {
      const list = queryClient.fetchQuery(campaignQueries.list());
      const detail = queryClient.fetchQuery(campaignQueries.detail('a'));
      await vi.waitFor(() => expect(answers).toHaveLength(2));
      receiveCampaign({ campaignId: 'a', phoneIds: ['p1'], campaign: pushed });
      receiveCampaign({ campaignId: 'b', phoneIds: ['p1'], campaign: campaign('b') });
      answers[0]?.({ campaigns: [older] });
      answers[1]?.(older);
      expect((await list).campaigns.map((c) => [c.id, c.updatedAt])).toEqual([
        ['b', '2026-12-01T10:00:00.000Z'],
        ['a', '2026-12-01T10:00:01.000Z'],
      ]);
      expect((await detail).updatedAt).toBe('2026-12-01T10:00:01.000Z');

      // A read sent after the push takes the server's answer as it is.
      const again = queryClient.fetchQuery({ ...campaignQueries.detail('a'), staleTime: 0 });
      await vi.waitFor(() => expect(answers).toHaveLength(3));
      answers[2]?.(campaign('a', { state: 'paused' }));
      expect((await again).state).toBe('paused');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('reads every cached campaign again when the stream is back', () => {
    queryClient.setQueryData(campaignQueries.list().queryKey, { campaigns: [campaign('a')] });
    streamTopic('campaign')?.resync();
    expect(queryClient.getQueryState(campaignQueries.list().queryKey)?.isInvalidated).toBe(true);
  });

  it('takes only what looks like a campaign event', () => {
    expect(isCampaignEvent({ campaignId: 'a', phoneIds: [], campaign: null })).toBe(true);
    expect(isCampaignEvent({ campaignId: 'a', phoneIds: [], campaign: campaign('a') })).toBe(true);
    expect(isCampaignEvent({ campaignId: 'a' })).toBe(false);
    expect(isCampaignEvent({ phoneId: 'p1', lines: [] })).toBe(false);
  });
});
