/**
 * What LineDeck's events become as webhook events:
 * - a Call the journal published (stored, then announced; it is announced again at each change): an
 *   incoming call's `call.ringing`, then `call.answered`, `call.missed`, `call.ended`, each once per
 *   call, in that order, even when one announcement already carries several (a caller who gave up
 *   within one flush). A call a start closed as interrupted gives only `call.ended`: the run before
 *   may have sent the rest;
 * - a phone's status going to `offline` and back from it (first readings after a start send nothing);
 * - a campaign's state becoming running (`campaign.started`, also on resume), paused or finished, seen
 *   where it is stored (`watchCampaignStates`): the campaign's SSE announcements are coalesced per
 *   dialer tick, so a start and a pause within one tick would be one announcement.
 */
import type { Call, CampaignState, PhoneState, PhoneStatus, WebhookEvent } from '@linedeck/contract';
import type { CampaignRecord, CampaignsRepository } from '../campaigns/campaigns-repository.ts';
import type { Webhooks } from './webhooks-service.ts';

/** Calls ended longer ago than this are forgotten: a late amendment comes within seconds. */
const ENDED_MEMORY_MS = 5 * 60_000;

export function callMilestones(call: Call): WebhookEvent[] {
  if (call.interrupted) return call.endedAt ? ['call.ended'] : [];
  const events: WebhookEvent[] = [];
  // A call the phone turned away without ringing (DND, where the journal records it) never rang.
  const rang = !('turnedAway' in call && call.turnedAway);
  if (call.direction === 'incoming' && rang) events.push('call.ringing');
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
  /** A campaign whose state was just stored as changed. */
  onCampaignState(campaign: CampaignRecord): void;
}

/**
 * The campaigns repository, telling `onChange` of every state change it stores (a person's start, pause,
 * resume or stop, the dialer's finish, a server start's pause) once the change is written.
 */
export function watchCampaignStates(
  repository: CampaignsRepository,
  onChange: (campaign: CampaignRecord) => void,
): CampaignsRepository {
  return {
    ...repository,
    async updateCampaign(id, patch, fromStates) {
      const changed = await repository.updateCampaign(id, patch, fromStates);
      const moved = patch.state !== undefined && !(fromStates ?? []).includes(patch.state);
      if (changed && moved) onChange(changed);
      return changed;
    },
    async pauseAfterRestart() {
      const ids = await repository.pauseAfterRestart();
      for (const id of ids) {
        const campaign = await repository.getCampaign(id);
        if (campaign) onChange(campaign);
      }
      return ids;
    },
  };
}

export function createWebhookSources(
  webhooks: Webhooks,
  options: { phoneName(id: string): string | undefined; now?: () => number },
): WebhookSources {
  const now = options.now ?? Date.now;
  const sent = new Map<string, { events: Set<WebhookEvent>; endedAtMs: number | null }>();
  const statuses = new Map<string, PhoneStatus>();
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
    onCampaignState(campaign) {
      const event = CAMPAIGN_EVENTS[campaign.state];
      // Who created it is an internal actor id; the name (createdBy) stays.
      const { createdById: _, ...shown } = campaign;
      if (event) webhooks.emit(event, { campaign: shown });
    },
  };
}
