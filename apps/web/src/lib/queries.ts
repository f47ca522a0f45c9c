/**
 * Every server read as a `queryOptions` factory: the only place query keys are
 * written. Mutations invalidate `['phones', id]`, which covers a phone's state.
 */
import type {
  ApiToken,
  AuditEntry,
  ContactPage,
  Phone,
  PhoneState,
  Session,
  SessionUser,
  User,
} from '@linedeck/contract';
import { queryOptions } from '@tanstack/react-query';
import { ApiError, api } from './api-client.ts';
import { isStreamLive } from './connectivity.ts';
import { pushesMeanwhile } from './pushes-meanwhile.ts';
import { queryClient, SESSION_KEY } from './query-client.ts';

/** How often live state is polled while the event stream is down (it carries every change when up). */
export const STATE_POLL_MS = 1000;

/**
 * No polling while the stream is live: a thousand open pages polling once a second cost the server a
 * core, and each pushed state written into the cache restarts TanStack's interval timer, so on a busy
 * fleet the poll never fired anyway. use-events refetches once whenever the stream goes up or down,
 * which also makes the observers read this again.
 */
const statePollInterval = () => (isStreamLive() ? false : STATE_POLL_MS);

/** The newer of two states of the same phone, so a slow poll never overwrites a newer pushed state. */
export function newerState(current: PhoneState | undefined, incoming: PhoneState): PhoneState {
  if (!current?.updatedAt || !incoming.updatedAt) return incoming;
  return Date.parse(incoming.updatedAt) >= Date.parse(current.updatedAt) ? incoming : current;
}

/** True when `a` comes from a later successful poll than `b`. */
function laterPoll(a: PhoneState, b: PhoneState): boolean {
  if (!a.updatedAt) return false;
  return !b.updatedAt || Date.parse(a.updatedAt) > Date.parse(b.updatedAt);
}

/** Each phone's pushed states, so an answer can tell which of them came while it was on its way. */
const pushed = pushesMeanwhile<PhoneState>();

/**
 * A fetched state, given the pushes counted up to `pushesBeforeSend` when its request went out. The
 * server served it at some moment of the request's flight, so a state pushed meanwhile may be newer
 * even with the same poll time (DND, an error, a contact naming the caller change a state without a
 * poll): the push wins unless the answer comes from a later poll. What was pushed before the request
 * went out the answer already contains; the poll times decide as for any two states.
 */
function fetchedState(incoming: PhoneState, pushesBeforeSend: number, cached: PhoneState | undefined) {
  const push = pushed.since(pushesBeforeSend, incoming.phoneId);
  const pushedMeanwhile = push && !laterPoll(incoming, push.value);
  return newerState(cached, pushedMeanwhile ? push.value : incoming);
}

export const sessionQueries = {
  /** The signed-in user, or null when nobody is signed in. */
  current: () =>
    queryOptions({
      queryKey: SESSION_KEY,
      queryFn: async ({ signal }): Promise<SessionUser | null> => {
        try {
          const session = await api<Session>('/api/session', { signal });
          return session.user;
        } catch (error) {
          if (error instanceof ApiError && error.code === 'unauthenticated') return null;
          throw error;
        }
      },
      staleTime: 60_000,
      refetchInterval: 60_000,
    }),
};

function stateKey(id: string) {
  return ['phones', id, 'state'] as const;
}

export const phoneQueries = {
  all: () => ['phones'] as const,
  list: () =>
    queryOptions({
      queryKey: [...phoneQueries.all(), 'list'] as const,
      queryFn: ({ signal }) => api<Phone[]>('/api/phones', { signal }),
      staleTime: 10_000,
      refetchInterval: 30_000,
    }),
  /** Everything cached about one phone (its state included): what commands invalidate. */
  detail: (id: string) => [...phoneQueries.all(), id] as const,
  /** One phone as `GET /api/phones/:id` answers it: with its Action URL and the time of its last push. */
  one: (id: string) =>
    queryOptions({
      queryKey: [...phoneQueries.detail(id), 'details'] as const,
      queryFn: ({ signal }) => api<Phone>(`/api/phones/${encodeURIComponent(id)}`, { signal }),
      // "Last push 3 s ago" follows the phone's pushes while it is on screen.
      refetchInterval: 2000,
      staleTime: 0,
    }),
  state: (id: string) =>
    queryOptions({
      queryKey: stateKey(id),
      queryFn: async ({ signal }): Promise<PhoneState> => {
        const pushesBeforeSend = pushed.mark();
        const incoming = await api<PhoneState>(`/api/phones/${encodeURIComponent(id)}/state`, { signal });
        return fetchedState(incoming, pushesBeforeSend, queryClient.getQueryData<PhoneState>(stateKey(id)));
      },
      // The fleet's answer gives a console something to show at once.
      initialData: () => queryClient.getQueryData(stateQueries.all().queryKey)?.find((s) => s.phoneId === id),
      initialDataUpdatedAt: () => queryClient.getQueryState(stateQueries.all().queryKey)?.dataUpdatedAt,
      refetchInterval: statePollInterval,
      staleTime: 0,
      retry: false,
    }),
};

export const stateQueries = {
  /** Every phone's state in one answer (the fleet overview). */
  all: () =>
    queryOptions({
      queryKey: ['state'] as const,
      queryFn: async ({ signal }) => {
        const pushesBeforeSend = pushed.mark();
        const incoming = await api<PhoneState[]>('/api/state', { signal });
        // The first answer has no list to merge with, but the stream's snapshot may have come meanwhile
        // (written to each phone's own entry only): fetchedState keeps those pushes too.
        const current = queryClient.getQueryData<PhoneState[]>(['state']) ?? [];
        const byId = new Map(current.map((s) => [s.phoneId, s]));
        return incoming.map((s) => fetchedState(s, pushesBeforeSend, byId.get(s.phoneId)));
      },
      refetchInterval: statePollInterval,
      staleTime: 0,
      retry: false,
    }),
};

/**
 * Writes a state the event stream pushed into every cached view of it. Pushes come in the server's
 * order, so one wins over an older push even with the same poll time.
 */
export function writeState(state: PhoneState): void {
  pushed.push(state.phoneId, state);
  queryClient.setQueryData(phoneQueries.state(state.phoneId).queryKey, (current) =>
    newerState(current, state),
  );
  queryClient.setQueryData(stateQueries.all().queryKey, (list) => {
    if (!list) return list;
    let found = false;
    const next = list.map((s) => {
      if (s.phoneId !== state.phoneId) return s;
      found = true;
      return newerState(s, state);
    });
    return found ? next : [...next, state];
  });
}

/** Refetches every state query on screen once (the stream went up or down), restarting their poll timers. */
export function refetchStates(): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: ({ queryKey }) =>
      queryKey[0] === 'state' || (queryKey[0] === phoneQueries.all()[0] && queryKey[2] === 'state'),
  });
}

// ---------- admin (settings) ----------

/** `GET /api/tokens` rows (the secret is never listed): creator, phones, expiry and whether it works. */
export type { ApiToken };

/** `GET /api/display-keys` rows; `phoneIds` empty means every phone. */
export interface DisplayKey {
  id: string;
  name: string;
  phoneIds: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: number | null;
}

export interface AuditFilter {
  phoneId?: string | undefined;
  userId?: string | undefined;
  /** ISO times: `from` inclusive, `to` exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  cursor?: number | undefined;
  limit?: number | undefined;
}

/** The audit query string, without empty filters (the one place it is written). */
export function auditSearch(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

export const adminQueries = {
  users: () =>
    queryOptions({
      queryKey: ['admin', 'users'] as const,
      queryFn: ({ signal }) => api<User[]>('/api/users', { signal }),
    }),
  tokens: () =>
    queryOptions({
      queryKey: ['admin', 'tokens'] as const,
      queryFn: ({ signal }) => api<ApiToken[]>('/api/tokens', { signal }),
    }),
  displayKeys: () =>
    queryOptions({
      queryKey: ['admin', 'display-keys'] as const,
      queryFn: ({ signal }) => api<DisplayKey[]>('/api/display-keys', { signal }),
    }),
  audit: (filter: AuditFilter) =>
    queryOptions({
      queryKey: ['admin', 'audit', filter] as const,
      queryFn: ({ signal }) => api<AuditPage>(`/api/audit${auditSearch(filter)}`, { signal }),
    }),
};

// ---------- contacts ----------

export const contactQueries = {
  all: () => ['contacts'] as const,
  /** A page of contacts matching `q` (name, company or number); the server caps `limit` at 200. */
  search: (q: string, limit = 50) =>
    queryOptions({
      queryKey: [...contactQueries.all(), 'search', q, limit] as const,
      queryFn: ({ signal }) => {
        const params = new URLSearchParams({ limit: String(limit) });
        if (q.trim()) params.set('q', q.trim());
        return api<ContactPage>(`/api/contacts?${params}`, { signal });
      },
      staleTime: 10_000,
      placeholderData: (previous) => previous,
    }),
};
