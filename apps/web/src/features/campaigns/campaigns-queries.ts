/**
 * Campaigns' reads and writes (`/api/campaigns`, `/api/do-not-call`) as query factories and mutation
 * hooks, and what a pushed `campaign` event does to the cache: the only place their query keys are
 * written. An event carries the whole campaign (state, counts, each phone's entry and countdown), so it
 * is written straight into the list and the detail; the entries, which it does not carry, are refetched
 * at most once a second per campaign (an automatic campaign over many phones changes often).
 */
import type {
  AddDoNotCallResult,
  Campaign,
  CampaignEntryPage,
  CampaignEvent,
  CampaignImportResult,
  CampaignList,
  CampaignNextResult,
  CampaignOutcomeBody,
  CreateCampaignBody,
  CreateCampaignResult,
  DoNotCallList,
  ImportCampaignEntriesBody,
} from '@linedeck/contract';
import { queryOptions, useMutation } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';
import { errorReference, errorText } from '../../lib/error-text.ts';
import { pushesMeanwhile } from '../../lib/pushes-meanwhile.ts';
import { queryClient } from '../../lib/query-client.ts';
import { registerStreamTopic } from '../../lib/stream-topics.ts';
import { toast } from '../../lib/toasts.ts';

function campaignApi(id: string, action = ''): string {
  return `/api/campaigns/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

export function resultsCsvUrl(id: string): string {
  return campaignApi(id, 'results.csv');
}

/**
 * Campaigns pushed while a read was on its way (lib/pushes-meanwhile.ts): the dialer may push a newer
 * campaign (the first entry offered right after Start) before an older answer arrives (null: deleted).
 */
const pushed = pushesMeanwhile<Campaign | null>();

/** A fetched list with what was pushed while it was on its way put in place. */
function withPushesSince(before: number, list: CampaignList): CampaignList {
  let result = list;
  for (const [id, campaign] of pushed.allSince(before)) result = patchList(result, id, campaign);
  return result;
}

export const campaignQueries = {
  all: () => ['campaigns'] as const,
  list: () =>
    queryOptions({
      queryKey: [...campaignQueries.all(), 'list'] as const,
      queryFn: async ({ signal }) => {
        const before = pushed.mark();
        return withPushesSince(before, await api<CampaignList>('/api/campaigns', { signal }));
      },
      staleTime: 10_000,
    }),
  detail: (id: string) =>
    queryOptions({
      queryKey: [...campaignQueries.all(), 'detail', id] as const,
      queryFn: async ({ signal }) => {
        const before = pushed.mark();
        const answer = await api<Campaign>(campaignApi(id), { signal });
        return pushed.since(before, id)?.value ?? answer;
      },
      staleTime: 10_000,
    }),
  entries: (id: string, limit = 500) =>
    queryOptions({
      queryKey: [...campaignQueries.all(), 'entries', id, limit] as const,
      queryFn: ({ signal }) =>
        api<CampaignEntryPage>(`${campaignApi(id, 'entries')}?limit=${limit}`, { signal }),
      staleTime: 5_000,
    }),
  doNotCall: () =>
    queryOptions({
      queryKey: ['do-not-call'] as const,
      queryFn: ({ signal }) => api<DoNotCallList>('/api/do-not-call', { signal }),
      staleTime: 30_000,
    }),
};

// ---------- pushed campaigns ----------

/** The list with `campaign` in place of its older self (added when new, removed when null). */
export function patchList(list: CampaignList, id: string, campaign: Campaign | null): CampaignList {
  const rest = list.campaigns.filter((c) => c.id !== id);
  if (!campaign) return { campaigns: rest };
  const at = list.campaigns.findIndex((c) => c.id === id);
  if (at < 0) return { campaigns: [campaign, ...rest] };
  const campaigns = [...list.campaigns];
  campaigns[at] = campaign;
  return { campaigns };
}

const ENTRIES_EVERY_MS = 1000;
const entriesTimers = new Map<string, ReturnType<typeof setTimeout>>();

function refreshEntriesSoon(id: string): void {
  if (entriesTimers.has(id)) return;
  entriesTimers.set(
    id,
    setTimeout(() => {
      entriesTimers.delete(id);
      void queryClient.invalidateQueries({ queryKey: [...campaignQueries.all(), 'entries', id] });
    }, ENTRIES_EVERY_MS),
  );
}

/** Writes a campaign the server pushed (events come in the server's order) into the list and its detail. */
export function writeCampaign(id: string, campaign: Campaign | null): void {
  const detailKey = campaignQueries.detail(id).queryKey;
  if (campaign) {
    queryClient.setQueryData(detailKey, campaign);
  } else {
    queryClient.removeQueries({ queryKey: detailKey });
  }
  queryClient.setQueryData(campaignQueries.list().queryKey, (list) =>
    list ? patchList(list, id, campaign) : list,
  );
  refreshEntriesSoon(id);
}

/** A `campaign` event, as far as the cache needs it checked (the stream is the server's own). */
export function isCampaignEvent(data: unknown): data is CampaignEvent {
  const event = data as Partial<CampaignEvent> | undefined;
  return (
    typeof event?.campaignId === 'string' &&
    (event.campaign === null ||
      (typeof event.campaign === 'object' && typeof event.campaign?.id === 'string'))
  );
}

/**
 * A command's answer: written at once, then read again, since an event sent while the answer was on its
 * way (the dialer offering the first entry right after Start) may be newer than it.
 */
function writeAnswer(campaign: Campaign): void {
  writeCampaign(campaign.id, campaign);
  void queryClient.invalidateQueries({ queryKey: campaignQueries.detail(campaign.id).queryKey });
  void queryClient.invalidateQueries({ queryKey: campaignQueries.list().queryKey });
}

export function receiveCampaign(event: CampaignEvent): void {
  pushed.push(event.campaignId, event.campaign);
  writeCampaign(event.campaignId, event.campaign);
}

/** Everything of campaigns on screen, read again (the stream was down: pushes may have been lost). */
function refreshCampaigns(): void {
  void queryClient.invalidateQueries({ queryKey: campaignQueries.all() });
}

registerStreamTopic('campaign', {
  receive: (data) => {
    if (isCampaignEvent(data)) receiveCampaign(data);
  },
  resync: refreshCampaigns,
});

// ---------- writes ----------

function failed(error: unknown): void {
  toast.error(errorText(error), errorReference(error));
}

/** Creates a campaign (a draft); the form shows a failure itself, where the person is looking. */
export function useCreateCampaign() {
  return useMutation({
    mutationFn: (body: CreateCampaignBody) =>
      api<CreateCampaignResult>('/api/campaigns', { method: 'POST', body }),
    onSuccess: (result) => writeAnswer(result.campaign),
  });
}

export function useAddEntries(id: string) {
  return useMutation({
    mutationFn: (body: ImportCampaignEntriesBody) =>
      api<CampaignImportResult>(campaignApi(id, 'entries'), { method: 'POST', body }),
    onSuccess: (result) => {
      if (!result.dryRun)
        void queryClient.invalidateQueries({ queryKey: campaignQueries.detail(id).queryKey });
      refreshEntriesSoon(id);
    },
  });
}

export type CampaignVerb = 'start' | 'pause' | 'resume' | 'stop';

const VERB_DONE: Record<CampaignVerb, string> = {
  start: 'started',
  pause: 'paused: nothing more is dialled',
  resume: 'resumed',
  stop: 'stopped',
};

export function useCampaignControl() {
  return useMutation({
    mutationFn: ({ id, verb }: { id: string; verb: CampaignVerb; name: string }) =>
      api<Campaign>(campaignApi(id, verb), { method: 'POST' }),
    onSuccess: (campaign, { verb, name }) => {
      writeAnswer(campaign);
      toast.success(`${name} ${VERB_DONE[verb]}`);
    },
    onError: failed,
  });
}

export function useDeleteCampaign() {
  return useMutation({
    mutationFn: ({ id }: { id: string; name: string }) => api<void>(campaignApi(id), { method: 'DELETE' }),
    onSuccess: (_r, { id, name }) => {
      writeCampaign(id, null);
      toast.success(`${name} deleted`);
    },
    onError: failed,
  });
}

/** Preview mode: dial the phone's offered entry, or skip it. */
export function useCampaignNext(id: string) {
  return useMutation({
    mutationFn: (body: { phoneId: string; action: 'dial' | 'skip' }) =>
      api<CampaignNextResult>(campaignApi(id, 'next'), { method: 'POST', body }),
    onSuccess: (result, { action }) => {
      void queryClient.invalidateQueries({ queryKey: campaignQueries.detail(id).queryKey });
      const who = result.entry ? (result.entry.name ?? result.entry.number) : 'the entry';
      toast.success(action === 'dial' ? `Calling ${who}` : `${who} skipped`);
    },
    onError: failed,
  });
}

const OUTCOME_DONE: Record<CampaignOutcomeBody['outcome'], string> = {
  callback: 'will be called back',
  skipped: 'skipped',
  invalid: 'marked as a wrong number',
  do_not_call: 'is on the do-not-call list now',
};

export function useEntryOutcome(id: string) {
  return useMutation({
    mutationFn: ({ entryId, body }: { entryId: string; body: CampaignOutcomeBody; label: string }) =>
      api<unknown>(campaignApi(id, `entries/${encodeURIComponent(entryId)}/outcome`), {
        method: 'POST',
        body,
      }),
    onSuccess: (_r, { body, label }) => {
      void queryClient.invalidateQueries({ queryKey: campaignQueries.detail(id).queryKey });
      refreshEntriesSoon(id);
      toast.success(`${label} ${OUTCOME_DONE[body.outcome]}`);
    },
    onError: failed,
  });
}

export function useAddDoNotCall() {
  return useMutation({
    mutationFn: (body: { numbers: string[]; note?: string }) =>
      api<AddDoNotCallResult>('/api/do-not-call', { method: 'POST', body }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: campaignQueries.doNotCall().queryKey }),
  });
}

export function useRemoveDoNotCall() {
  return useMutation({
    mutationFn: ({ id }: { id: string; number: string }) =>
      api<void>(`/api/do-not-call/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_r, { number }) => {
      void queryClient.invalidateQueries({ queryKey: campaignQueries.doNotCall().queryKey });
      toast.success(`${number} may be called again`);
    },
    onError: failed,
  });
}
