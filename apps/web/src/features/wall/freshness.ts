/**
 * Whether a tile's data is current. The wall's clock and the server's may differ by minutes on a
 * screen left running for weeks, so freshness is measured on the wall's own clock: the time at
 * which a phone's `updatedAt` last moved on. A phone whose `updatedAt` has not moved for a few
 * poll intervals (the server cannot read it, or the wall cannot reach the server) is stale.
 */
import type { PhoneState } from '@linedeck/contract';

export interface Seen {
  updatedAt: string | null;
  /** Wall clock (ms) when this `updatedAt` arrived. */
  at: number;
}

/**
 * The next freshness map: one entry per phone in `states` (phones gone from the list are dropped,
 * so the map never grows beyond the fleet).
 */
export function trackFreshness(
  previous: ReadonlyMap<string, Seen>,
  states: readonly PhoneState[],
  now: number,
): Map<string, Seen> {
  const next = new Map<string, Seen>();
  for (const state of states) {
    const seen = previous.get(state.phoneId);
    if (seen && seen.updatedAt === state.updatedAt) {
      next.set(state.phoneId, seen);
    } else if (seen || !state.updatedAt) {
      next.set(state.phoneId, { updatedAt: state.updatedAt, at: now });
    } else {
      // First sight: trust the server's age of the data (clamped: the clocks may differ).
      const age = Math.max(0, now - Date.parse(state.updatedAt));
      next.set(state.phoneId, { updatedAt: state.updatedAt, at: Number.isNaN(age) ? now : now - age });
    }
  }
  return next;
}

/** Stale: never read, or not moved on for longer than `limitMs`. */
export function isStale(seen: Seen | undefined, now: number, limitMs: number): boolean {
  if (!seen || seen.updatedAt === null) return true;
  return now - seen.at > limitMs;
}

/** `2 s`, `4 min`, `3 h`, `2 d`; `no data` for never. Short enough for the smallest tile. */
export function shortAge(ms: number | undefined): string {
  if (ms === undefined) return 'no data';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}
