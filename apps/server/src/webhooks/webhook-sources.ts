/**
 * What LineDeck's events become as webhook events:
 * - a Call the journal published (stored, then announced; it is announced again at each change): an
 *   incoming call's `call.ringing`, then `call.answered`, `call.missed`, `call.ended`, each once per
 *   call, in that order, even when one announcement already carries several (a caller who gave up
 *   within one flush). A call a start closed as interrupted gives only `call.ended`: the run before
 *   may have sent the rest;
 * - a phone's status going to `offline` and back from it (first readings after a start send nothing);
 * - a campaign's state becoming running (`campaign.started`, also on resume), paused or finished.
 */
import type {
  Call,
  CampaignEvent,
  CampaignState,
  PhoneState,
  PhoneStatus,
  WebhookEvent,
} from '@linedeck/contract';
import type { Webhooks } from './webhooks-service.ts';

/** Calls ended longer ago than this are forgotten: a late amendment comes within seconds. */
const ENDED_MEMORY_MS = 5 * 60_000;

export function callMilestones(call: Call): WebhookEvent[] {
  if (call.interrupted) return call.endedAt ? ['call.ended'] : [];
  const events: WebhookEvent[] = [];
  if (call.direction === 'incoming') events.push('call.ringing');
  if (call.answeredAt) events.push('call.answered');
  if (call.outcome === 'missed') events.push('call.missed');
  if (call.endedAt) events.push('call.ended');
  return events;
}

export function phoneTransition(before: PhoneStatus | undefined, after: PhoneStatus): WebhookEvent | null {
  if (before === undefined || before === 'unknown' || before === after) return null;
  if (after === 'offline') return 'phone.offline';
  if (before === 'offline' && after !== 'unknown') return 'phone.online';
  return null;
}

const CAMPAIGN_EVENTS: Partial<Record<CampaignState, WebhookEvent>> = {
  running: 'campaign.started',
  paused: 'campaign.paused',
  finished: 'campaign.finished',
};

export interface WebhookSources {
  onCall(call: Call): void;
  onState(state: PhoneState): void;
  onCampaign(event: CampaignEvent): void;
  /** The campaigns' states at the start: what their next announcement is compared with. */
  seedCampaigns(campaigns: readonly { id: string; state: CampaignState }[]): void;
}

export function createWebhookSources(
  webhooks: Webhooks,
  options: { phoneName(id: string): string | undefined; now?: () => number },
): WebhookSources {
  const now = options.now ?? Date.now;
  const sent = new Map<string, { events: Set<WebhookEvent>; endedAtMs: number | null }>();
  const statuses = new Map<string, PhoneStatus>();
  const campaignStates = new Map<string, CampaignState>();
  let lastSweepMs = now();

  function sweep(): void {
    const nowMs = now();
    if (nowMs - lastSweepMs < 60_000) return;
    lastSweepMs = nowMs;
    for (const [id, s] of sent)
      if (s.endedAtMs !== null && nowMs - s.endedAtMs > ENDED_MEMORY_MS) sent.delete(id);
  }

  return {
    onCall(call) {
      sweep();
      const seen = sent.get(call.id) ?? { events: new Set<WebhookEvent>(), endedAtMs: null };
      sent.set(call.id, seen);
      for (const event of callMilestones(call)) {
        if (seen.events.has(event)) continue;
        seen.events.add(event);
        webhooks.emit(event, { call });
      }
      if (call.endedAt && seen.endedAtMs === null) seen.endedAtMs = now();
    },
    onState(state) {
      const before = statuses.get(state.phoneId);
      statuses.set(state.phoneId, state.status);
      const event = phoneTransition(before, state.status);
      if (!event) return;
      webhooks.emit(event, {
        phone: {
          id: state.phoneId,
          name: options.phoneName(state.phoneId) ?? null,
          status: state.status,
          previousStatus: before,
          error: state.error ? { code: state.error.code, message: state.error.message } : null,
          lastReadAt: state.updatedAt,
        },
      });
    },
    onCampaign({ campaignId, campaign }) {
      if (!campaign) {
        campaignStates.delete(campaignId);
        return;
      }
      const before = campaignStates.get(campaignId);
      campaignStates.set(campaignId, campaign.state);
      const event = CAMPAIGN_EVENTS[campaign.state];
      if (event && before !== campaign.state) webhooks.emit(event, { campaign });
    },
    seedCampaigns(campaigns) {
      for (const c of campaigns) campaignStates.set(c.id, c.state);
    },
  };
}
