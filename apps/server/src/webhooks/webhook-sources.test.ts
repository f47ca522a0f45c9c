/**
 * The event rules on their own: which webhook events a phone's status and a campaign's state change
 * give, and the retry waits (a call's: call-outbox.test.ts). Over HTTP, webhooks.test.ts drives the
 * same with real phones.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignRecord, CampaignsRepository } from '../campaigns/campaigns-repository.ts';
import { DEFAULT_RETRY, retryDelayMs } from './webhook-dispatcher.ts';
import { createWebhookSources, phoneTransition, watchCampaignStates } from './webhook-sources.ts';
import type { Webhooks } from './webhooks-service.ts';

function recording() {
  const emitted: string[] = [];
  const webhooks = { emit: (event: string) => emitted.push(event) } as unknown as Webhooks;
  return { emitted, sources: createWebhookSources(webhooks, { phoneName: () => 'Desk' }) };
}

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
