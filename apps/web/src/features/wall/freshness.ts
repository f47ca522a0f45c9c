/**
 * Whether a tile's data is current, judged from the event stream and the server's clock, never from how
 * often this page happens to hear of a phone: state events come only when something visible changed, so
 * a quiet phone's `updatedAt` stands still while the server reads it every second. While the stream is
 * live, a phone is stale only when the server's heartbeat lists it (no successful read for 3 poll
 * intervals); while the stream is down, nothing on the wall can be vouched for, so every tile is.
 */
import type { PhoneState } from '@linedeck/contract';
import { ageOf, type StreamFreshness, type StreamState } from '../../lib/connectivity.ts';

export interface TileFreshness {
  stale: boolean;
  /** How old the data is on the server's clock; undefined when the phone was never read. */
  ageMs: number | undefined;
}

/**
 * `fallbackLimitMs` judges the first seconds, before the stream has said anything, by the age of the
 * data that was fetched (its `updatedAt` is the server's last read then).
 */
export function tileFreshness(
  phoneId: string,
  state: PhoneState | undefined,
  stream: StreamState,
  fresh: StreamFreshness | null,
  now: number,
  fallbackLimitMs: number,
): TileFreshness {
  const ageMs = ageOf({ phoneId, updatedAt: state?.updatedAt ?? null }, fresh, now);
  if (ageMs === undefined) return { stale: true, ageMs };
  if (stream === 'down') return { stale: true, ageMs };
  if (stream === 'live' && fresh) return { stale: fresh.stale.has(phoneId), ageMs };
  return { stale: ageMs > (fresh?.staleAfterMs ?? fallbackLimitMs), ageMs };
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
