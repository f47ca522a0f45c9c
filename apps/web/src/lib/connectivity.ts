/**
 * Whether the server answers, as a tiny external store for `useSyncExternalStore`:
 * the api client reports every answer, the SSE listener its connection, and the
 * offline banner reads it. Recovery needs nothing but the next successful answer.
 */
import { useSyncExternalStore } from 'react';

let reachable = true;
let since = Date.now();
const listeners = new Set<() => void>();

function set(next: boolean): void {
  if (next === reachable) return;
  reachable = next;
  since = Date.now();
  for (const listener of listeners) listener();
}

export function reportReachable(): void {
  set(true);
}

export function reportUnreachable(): void {
  set(false);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `{ reachable, since }`: since when the server has been (un)reachable, for "offline for 12 s". */
export function useServerReachable(): { reachable: boolean; since: number } {
  const value = useSyncExternalStore(subscribe, () => reachable);
  return { reachable: value, since };
}
