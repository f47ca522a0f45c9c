/**
 * The call journal's reads (`GET /api/calls`, the missed count, today's counts) as query factories,
 * its one write (mark missed calls seen), and what a pushed `call` event does to them: the only place
 * the journal's query keys are written. A pushed call patches the lists that hold it; a list that
 * might gain it, and the counts, are refetched, at most once a second (a busy fleet ends many calls a
 * second, and every open page would refetch for each).
 */
import type { Call, CallPage, CallsToday, MissedCount } from '@linedeck/contract';
import {
  type InfiniteData,
  infiniteQueryOptions,
  type QueryKey,
  queryOptions,
  useMutation,
} from '@tanstack/react-query';
import { api } from './api-client.ts';
import { isStreamLive } from './connectivity.ts';
import { errorReference, errorText } from './error-text.ts';
import { queryClient } from './query-client.ts';
import { toast } from './toasts.ts';

/** The journal's filters as the API takes them (strings as sent; `outcome` may list several, comma-separated). */
export interface CallsFilter {
  phoneId?: string | undefined;
  direction?: string | undefined;
  outcome?: string | undefined;
  /** ISO date-times: `from` inclusive, `to` exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** One number, in any written form. */
  number?: string | undefined;
  /** A name or part of a number. */
  q?: string | undefined;
}

/** The server's own default page (CALLS_PAGE_DEFAULT; the contract's values would bring zod into the page). */
export const CALLS_PAGE_SIZE = 50;

const FILTER_KEYS = ['phoneId', 'direction', 'outcome', 'from', 'to', 'number', 'q'] as const;

/** The query string of a filter (and paging), without empty values, in a fixed order. */
export function callsSearch(filter: CallsFilter & { limit?: number; cursor?: string | undefined }): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  if (filter.limit !== undefined) params.set('limit', String(filter.limit));
  if (filter.cursor) params.set('cursor', filter.cursor);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The CSV of every call matching the filter (the server caps it, newest first). */
export function callsExportUrl(filter: CallsFilter): string {
  return `/api/calls/export.csv${callsSearch(filter)}`;
}

/** Only the filter's own keys with a value: two filters that ask the same are one cache entry. */
function keyOf(filter: CallsFilter): CallsFilter {
  const out: CallsFilter = {};
  for (const key of FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** While the stream is down nothing pushes the count: then it is read more often. */
const countPollInterval = () => (isStreamLive() ? 60_000 : 15_000);

export const callQueries = {
  all: () => ['calls'] as const,
  /** The journal page by page (newest first), `Load more` following `nextCursor`. */
  list: (filter: CallsFilter, limit = CALLS_PAGE_SIZE) =>
    infiniteQueryOptions({
      queryKey: [...callQueries.all(), 'list', keyOf(filter), limit] as const,
      queryFn: ({ pageParam, signal }) =>
        api<CallPage>(`/api/calls${callsSearch({ ...filter, limit, cursor: pageParam })}`, { signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      staleTime: 10_000,
      // A new filter keeps the old rows on screen until its answer comes: no flash of "Loading".
      placeholderData: (previous) => previous,
    }),
  /** The last calls of one phone (the console's list). */
  recent: (phoneId: string, limit = 10) =>
    queryOptions({
      queryKey: [...callQueries.all(), 'recent', keyOf({ phoneId }), limit] as const,
      queryFn: ({ signal }) => api<CallPage>(`/api/calls${callsSearch({ phoneId, limit })}`, { signal }),
      staleTime: 10_000,
    }),
  /** Missed calls the signed-in user has not marked seen (the navigation's badge and the tab title). */
  missed: () =>
    queryOptions({
      queryKey: [...callQueries.all(), 'missed'] as const,
      queryFn: ({ signal }) => api<MissedCount>('/api/calls/missed/count', { signal }),
      staleTime: 10_000,
      refetchInterval: countPollInterval,
      retry: false,
    }),
  /** Today's counts (no names or numbers: what a wall's display key may read). */
  today: () =>
    queryOptions({
      queryKey: [...callQueries.all(), 'today'] as const,
      queryFn: ({ signal }) => api<CallsToday>('/api/calls/today', { signal }),
      staleTime: 5_000,
      refetchInterval: 30_000,
      retry: false,
    }),
};

/** `POST /api/calls/missed/seen`: every missed call started before `before` is seen by this user. */
export function useMarkMissedSeen() {
  return useMutation({
    mutationFn: (before: string) => api<void>('/api/calls/missed/seen', { method: 'POST', body: { before } }),
    onSuccess: () => {
      queryClient.setQueryData(callQueries.missed().queryKey, (current) =>
        current ? { ...current, count: 0 } : current,
      );
      void queryClient.invalidateQueries({ queryKey: callQueries.missed().queryKey });
      toast.success('Missed calls marked seen');
    },
    onError: (error) => toast.error(errorText(error), errorReference(error)),
  });
}

/**
 * The `before` for "Mark all seen": now, or just after the newest call on screen when the server's
 * clock is ahead of this one (a call the person has seen must count as seen).
 */
export function seenBefore(calls: readonly Pick<Call, 'startedAt'>[], now: number): string {
  const newest = Math.max(now, ...calls.map((c) => Date.parse(c.startedAt) + 1).filter(Number.isFinite));
  return new Date(newest).toISOString();
}

// ---------- pushed calls ----------

/** Could `call` be among the answers to `filter`? Only the filters checked cheaply here; the server decides. */
export function mayMatch(call: Call, filter: CallsFilter): boolean {
  if (filter.phoneId && filter.phoneId !== call.phoneId) return false;
  if (filter.direction && filter.direction !== call.direction) return false;
  if (filter.outcome && !filter.outcome.split(',').includes(call.outcome ?? '')) return false;
  if (filter.from && Date.parse(call.startedAt) < Date.parse(filter.from)) return false;
  if (filter.to && Date.parse(call.startedAt) >= Date.parse(filter.to)) return false;
  return true;
}

/** The pages with `call` put in place of its older self; undefined when none holds it. */
export function patchPages(pages: readonly CallPage[], call: Call): CallPage[] | undefined {
  let found = false;
  const next = pages.map((page) => {
    if (!page.calls.some((c) => c.id === call.id)) return page;
    found = true;
    return { ...page, calls: page.calls.map((c) => (c.id === call.id ? call : c)) };
  });
  return found ? next : undefined;
}

/** Refetches at most once a second, however many calls arrive; a burst within BATCH_MS is one refetch. */
export const REFRESH_EVERY_MS = 1000;
const BATCH_MS = 150;
const pendingKeys = new Map<string, QueryKey>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let lastRefresh = Number.NEGATIVE_INFINITY;

function refreshSoon(key: QueryKey): void {
  pendingKeys.set(JSON.stringify(key), key);
  if (refreshTimer) return;
  const wait = Math.max(BATCH_MS, lastRefresh + REFRESH_EVERY_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    lastRefresh = Date.now();
    const keys = [...pendingKeys.values()];
    pendingKeys.clear();
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey, exact: true });
  }, wait);
}

/** Everything of the journal on screen, read again (the stream was down: pushes may have been lost). */
export function refreshCalls(): void {
  void queryClient.invalidateQueries({ queryKey: callQueries.all() });
}

type CallListener = (call: Call) => void;
const listeners = new Set<CallListener>();

/** Subscribes to calls the stream recorded or changed (missed-call notifications); returns the unsubscribe. */
export function onJournalCall(listener: CallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A `call` event: patch the lists that show it, refetch those it may join and the counts it moves. */
export function receiveCall(call: Call): void {
  const cache = queryClient.getQueryCache();
  for (const query of cache.findAll({ queryKey: callQueries.all() })) {
    const [, kind, filter] = query.queryKey as [string, string, CallsFilter | undefined];
    if (kind !== 'list' && kind !== 'recent') continue;
    if (kind === 'list') {
      const data = query.state.data as InfiniteData<CallPage, string | undefined> | undefined;
      const pages = data && patchPages(data.pages, call);
      if (pages && data) queryClient.setQueryData(query.queryKey, { ...data, pages });
      else if (mayMatch(call, filter ?? {})) refreshSoon(query.queryKey);
    } else {
      const data = query.state.data as CallPage | undefined;
      const pages = data && patchPages([data], call);
      if (pages?.[0]) queryClient.setQueryData(query.queryKey, pages[0]);
      else if (mayMatch(call, filter ?? {})) refreshSoon(query.queryKey);
    }
  }
  // An incoming call that ended moves today's counts, and the missed count when it was missed (or was
  // missed a moment ago and is now known to be rejected from LineDeck).
  if (call.direction === 'incoming' && call.outcome !== null) {
    refreshSoon(callQueries.today().queryKey);
    if (call.outcome === 'missed' || call.outcome === 'rejected') refreshSoon(callQueries.missed().queryKey);
  }
  for (const listener of listeners) listener(call);
}
