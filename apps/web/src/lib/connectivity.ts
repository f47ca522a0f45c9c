/**
 * Whether the server answers, and how current its data is, as a tiny external store for
 * `useSyncExternalStore`. Three sources: the api client reports every answer; the event stream reports
 * whether it is live and, with each heartbeat, the server's time and which phones it could not read lately
 * (`freshness`); the browser reports its own network (`offline`/`online`: TanStack Query pauses fetches
 * while the device is offline, so no failed request would say it). The offline banner, the wall and the
 * "updated 3 s ago" lines read it. Recovery needs nothing but the next successful answer.
 */
import type { PhoneState } from '@linedeck/contract';
import { useSyncExternalStore } from 'react';

export type Connectivity = 'ok' | 'server_unreachable' | 'device_offline';
/** `connecting`: not opened yet (no verdict); `down`: it failed or its heartbeat is overdue. */
export type StreamState = 'connecting' | 'live' | 'down';

/** What the stream's last `freshness` heartbeat said (apps/server/src/events.ts). */
export interface StreamFreshness {
  /** The server's clock when it was sent. */
  serverTime: number;
  /** This browser's clock when it arrived. */
  receivedAt: number;
  staleAfterMs: number;
  heartbeatMs: number;
  /** Phones the server has not read within `staleAfterMs`, with their last successful read (ISO or null). */
  stale: ReadonlyMap<string, string | null>;
}

let serverReachable = true;
let deviceOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
let stream: StreamState = 'connecting';
let freshness: StreamFreshness | null = null;
let since = Date.now();
let current: Connectivity = compute();
const listeners = new Set<() => void>();
const answeredListeners = new Set<() => void>();

function compute(): Connectivity {
  if (!deviceOnline) return 'device_offline';
  return serverReachable && stream !== 'down' ? 'ok' : 'server_unreachable';
}

function update(): void {
  const next = compute();
  if (next !== current) {
    // "For how long" counts from the first sign of trouble, not from a change of its kind.
    if (current === 'ok' || next === 'ok') since = Date.now();
    current = next;
  }
  for (const listener of listeners) listener();
}

export function reportReachable(): void {
  const wasDown = stream === 'down';
  serverReachable = true;
  update();
  // The server answers again while the stream is down: the stream should not wait for its backoff.
  if (wasDown) for (const listener of answeredListeners) listener();
}

export function reportUnreachable(): void {
  serverReachable = false;
  update();
}

export function reportStream(state: StreamState): void {
  if (state === stream) return;
  stream = state;
  update();
}

export function reportFreshness(next: StreamFreshness): void {
  freshness = next;
  update();
}

/** Whether pushed data can be trusted to be current (state queries poll only while it is not). */
export function isStreamLive(): boolean {
  return stream === 'live';
}

/** Called when a request succeeds while the stream is down (use-events reconnects at once). */
export function onAnsweredWhileStreamDown(listener: () => void): () => void {
  answeredListeners.add(listener);
  return () => answeredListeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => {
    deviceOnline = false;
    update();
  });
  window.addEventListener('online', () => {
    deviceOnline = true;
    update();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The connection's state and since when it has been so, for "not answering for 0:12". */
export function useConnectivity(): { state: Connectivity; since: number } {
  const state = useSyncExternalStore(subscribe, () => current);
  return { state, since };
}

/** The stream's state and its last freshness word, re-rendering when either changes. */
export function useStreamFreshness(): { stream: StreamState; freshness: StreamFreshness | null } {
  const state = useSyncExternalStore(subscribe, () => stream);
  const fresh = useSyncExternalStore(subscribe, () => freshness);
  return { stream: state, freshness: fresh };
}

/**
 * How old a phone's data is at `now` (this browser's clock), on the server's clock: state events come only
 * when something visible changed, so `updatedAt` alone would age an idle phone that the server reads every
 * second. A phone the last heartbeat did not list as stale was current when the heartbeat was sent.
 */
export function ageOf(
  state: Pick<PhoneState, 'phoneId' | 'updatedAt'> | undefined,
  fresh: StreamFreshness | null,
  now: number,
): number | undefined {
  if (!state) return undefined;
  const read = state.updatedAt === null ? Number.NaN : Date.parse(state.updatedAt);
  if (!fresh) return Number.isNaN(read) ? undefined : Math.max(0, now - read);
  const serverNow = fresh.serverTime + (now - fresh.receivedAt);
  const staleRead = fresh.stale.get(state.phoneId);
  // Stale: the server's own last read, later than any state event when only `updatedAt` moved since.
  // Not listed: current when the heartbeat was sent (unless never read: a phone added since).
  const confirmed =
    staleRead === undefined
      ? Number.isNaN(read)
        ? Number.NaN
        : fresh.serverTime
      : staleRead === null
        ? Number.NaN
        : Date.parse(staleRead);
  const newest = Number.isNaN(read) ? confirmed : Number.isNaN(confirmed) ? read : Math.max(read, confirmed);
  return Number.isNaN(newest) ? undefined : Math.max(0, serverNow - newest);
}

/** `ageOf` with the stream's latest freshness: for "updated 3 s ago" (callers re-render every second). */
export function dataAgeMs(state: PhoneState | undefined, now: number): number | undefined {
  return ageOf(state, freshness, now);
}
