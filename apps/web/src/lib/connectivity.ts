/**
 * Whether the server answers, as a tiny external store for `useSyncExternalStore`:
 * the api client reports every answer, the SSE listener its connection, the
 * browser its own network (`offline`/`online`: TanStack Query pauses fetches
 * while the device is offline, so no failed request would say it). The offline
 * banner reads it. Recovery needs nothing but the next successful answer.
 */
import { useSyncExternalStore } from 'react';

export type Connectivity = 'ok' | 'server_unreachable' | 'device_offline';

let serverReachable = true;
let deviceOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
let since = Date.now();
let current: Connectivity = compute();
const listeners = new Set<() => void>();

function compute(): Connectivity {
  if (!deviceOnline) return 'device_offline';
  return serverReachable ? 'ok' : 'server_unreachable';
}

function update(): void {
  const next = compute();
  if (next === current) return;
  // "For how long" counts from the first sign of trouble, not from a change of its kind.
  if (current === 'ok' || next === 'ok') since = Date.now();
  current = next;
  for (const listener of listeners) listener();
}

export function reportReachable(): void {
  serverReachable = true;
  update();
}

export function reportUnreachable(): void {
  serverReachable = false;
  update();
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
