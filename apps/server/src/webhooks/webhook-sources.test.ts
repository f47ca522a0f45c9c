/**
 * The event rules on their own: which webhook events a published Call, a phone's status and a campaign's
 * announcement give, and the retry waits. Over HTTP, webhooks.test.ts drives the same with real phones.
 */
import type { Call } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { storedCall } from '../calls/test-support.ts';
import type { CampaignRecord, CampaignsRepository } from '../campaigns/campaigns-repository.ts';
import { DEFAULT_RETRY, retryDelayMs } from './webhook-dispatcher.ts';
import {
  callMilestones,
  createWebhookSources,
  phoneTransition,
  watchCampaignStates,
} from './webhook-sources.ts';
import type { Webhooks } from './webhooks-service.ts';

/** A call just opened (nothing answered or ended yet); `over` moves it on. */
const call = (over: Partial<Call> = {}): Call =>
  storedCall({ id: 'c1', outcome: null, endedAt: null, ringSeconds: 0, talkSeconds: 0, ...over });

function recording() {
  const emitted: string[] = [];
  const webhooks = { emit: (event: string) => emitted.push(event) } as unknown as Webhooks;
  return { emitted, sources: createWebhookSources(webhooks, { phoneName: () => 'Desk' }) };
}

describe('call milestones', () => {
  it('each once per call, in order, even when one announcement carries several', () => {
    const { emitted, sources } = recording();
    sources.onCall(call({}));
    sources.onCall(call({}));
    sources.onCall(call({ answeredAt: '2026-01-01T10:00:05.000Z' }));
    sources.onCall(call({ answeredAt: '2026-01-01T10:00:05.000Z', outcome: 'answered', endedAt: 'x' }));
    sources.onCall(call({ answeredAt: '2026-01-01T10:00:05.000Z', outcome: 'answered', endedAt: 'x' }));
    sources.onCall(call({ id: 'c2', outcome: 'missed', endedAt: 'y' }));
    expect(emitted).toEqual([
      'call.ringing',
      'call.answered',
      'call.ended',
      'call.ringing',
      'call.missed',
      'call.ended',
    ]);
  });

  it('an outgoing call does not ring, nor one turned away unrung; an interrupted one only ends', () => {
    expect(callMilestones(call({ direction: 'outgoing' }))).toEqual([]);
    expect(callMilestones(call({ turnedAway: 'dnd', outcome: 'missed', endedAt: 'x' }))).toEqual([
      'call.missed',
      'call.ended',
    ]);
    expect(
      callMilestones(call({ interrupted: true, answeredAt: 'a', endedAt: 'b', outcome: 'answered' })),
    ).toEqual(['call.ended']);
  });
});

describe('phone and campaign transitions', () => {
  it('to and from offline only, never on a first reading', () => {
    expect(phoneTransition(undefined, 'offline')).toBeNull();
    expect(phoneTransition('unknown', 'offline')).toBeNull();
    expect(phoneTransition('available', 'offline')).toBe('phone.offline');
    expect(phoneTransition('offline', 'offline')).toBeNull();
    expect(phoneTransition('offline', 'busy')).toBe('phone.online');
    expect(phoneTransition('available', 'busy')).toBeNull();
  });

  it('a campaign state change as stored, not an edit that keeps the state', async () => {
    const { emitted, sources } = recording();
    const stored = { id: 'k1', state: 'draft', createdById: 'u1' } as unknown as CampaignRecord;
    const repository = {
      updateCampaign: async (_id: string, patch: Partial<CampaignRecord>) => Object.assign(stored, patch),
    } as unknown as CampaignsRepository;
    const watched = watchCampaignStates(repository, (c) => sources.onCampaignState(c));
    await watched.updateCampaign('k1', { name: 'Renamed' }, ['draft', 'paused']);
    await watched.updateCampaign('k1', { state: 'running' }, ['draft', 'paused']);
    await watched.updateCampaign('k1', { state: 'paused' }, ['running']);
    await watched.updateCampaign('k1', { state: 'finished' }, ['running', 'paused']);
    expect(emitted).toEqual(['campaign.started', 'campaign.paused', 'campaign.finished']);
  });
});

describe('retry waits', () => {
  it('double from the base up to the cap, within ±20 %', () => {
    expect(retryDelayMs(DEFAULT_RETRY, 1, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(DEFAULT_RETRY, 3, () => 0.5)).toBe(40_000);
    expect(retryDelayMs(DEFAULT_RETRY, 30, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(DEFAULT_RETRY, 1, () => 0)).toBe(8_000);
    expect(retryDelayMs(DEFAULT_RETRY, 1, () => 0.999_999)).toBeLessThanOrEqual(12_000);
  });
});
