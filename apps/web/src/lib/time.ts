/**
 * Clocks for running durations and "updated 3 s ago": one shared ticker for the
 * whole page (a timer per line would multiply on a wall of 200 phones).
 */
import { useSyncExternalStore } from 'react';

let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated once a second while anything shows a clock. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** Milliseconds since an ISO time, never negative (the server's clock may be a little ahead). */
export function elapsedMs(iso: string | null | undefined, at: number): number | undefined {
  if (!iso) return undefined;
  const start = Date.parse(iso);
  return Number.isNaN(start) ? undefined : Math.max(0, at - start);
}

/**
 * How long a call has lasted: running while the phone's data is current; otherwise frozen at the last
 * read (`updatedAt`, on the server's clock like `since`), so an offline phone's ringing call does not go
 * on ticking as if someone could still see it ring. Undefined when there is nothing to measure.
 */
export function callDurationMs(
  since: string | null | undefined,
  updatedAt: string | null | undefined,
  now: number,
  current: boolean,
): number | undefined {
  if (current) return elapsedMs(since, now);
  const lastRead = updatedAt ? Date.parse(updatedAt) : Number.NaN;
  return Number.isNaN(lastRead) ? undefined : elapsedMs(since, lastRead);
}

/** `0:07`, `12:34`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `updated 1 s ago`, `updated 4 min ago`, `never updated`. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined) return 'never updated';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `updated ${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `updated ${min} min ago`;
  return `updated ${Math.floor(min / 60)} h ago`;
}
