/**
 * What LineDeck's events become as webhook events (a call's are written with the call: call-outbox.ts):
 * - a phone's status going to `offline` and back from it (first readings after a start send nothing);
 * - a campaign's state becoming running (`campaign.started`, also on resume), paused or finished, seen
 *   where it is stored (`watchCampaignStates`): the campaign's SSE announcements are coalesced per
 *   dialer tick, so a start and a pause within one tick would be one announcement.
 */
import type { CampaignState, PhoneState, PhoneStatus, WebhookEvent } from '@linedeck/contract';
import type { CampaignRecord, CampaignsRepository } from '../campaigns/campaigns-repository.ts';
import type { Webhooks } from './webhooks-service.ts';

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
  options: { phoneName(id: string): string | undefined },
): WebhookSources {
  const statuses = new Map<string, PhoneStatus>();

  return {
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
