/**
 * The Calls page's filters live in its address (`/calls?outcome=missed&phoneId=…&from=2026-12-01`), so
 * a filtered list can be bookmarked, shared and reloaded. Dates are whole local days there; the API
 * gets the instants they begin and end.
 */
import type { CallDirection, CallOutcome } from '@linedeck/contract';
import type { CallsFilter } from '../../lib/calls-queries.ts';
import { CALLS_PATH } from '../../lib/router.tsx';

export const DIRECTIONS = ['incoming', 'outgoing'] as const satisfies readonly CallDirection[];
export const OUTCOMES = [
  'answered',
  'missed',
  'rejected',
  'cancelled',
  'no_answer',
  'busy',
  'failed',
] as const satisfies readonly CallOutcome[];

/** The filters as the page shows them: days as `YYYY-MM-DD`, text as typed. */
export interface PageFilter {
  phoneId: string;
  direction: '' | CallDirection;
  outcome: '' | CallOutcome;
  /** First and last day shown, both included. */
  fromDay: string;
  toDay: string;
  number: string;
  q: string;
}

export const NO_FILTER: PageFilter = {
  phoneId: '',
  direction: '',
  outcome: '',
  fromDay: '',
  toDay: '',
  number: '',
  q: '',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string) => DAY.test(value) && !Number.isNaN(localMidnight(value));
const pick = <T extends string>(value: string | null, allowed: readonly T[]): '' | T =>
  allowed.includes(value as T) ? (value as T) : '';

function localMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  // `new Date` rolls 2026-02-31 over into March: such a day does not exist.
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d
    ? date.getTime()
    : Number.NaN;
}

/** The filters of an address; anything it cannot use (an unknown outcome, a bad day) is left out. */
export function parseFilter(search: string): PageFilter {
  const params = new URLSearchParams(search);
  const day = (key: string) => {
    const value = params.get(key) ?? '';
    return isDay(value) ? value : '';
  };
  return {
    phoneId: params.get('phoneId') ?? '',
    direction: pick(params.get('direction'), DIRECTIONS),
    outcome: pick(params.get('outcome'), OUTCOMES),
    fromDay: day('from'),
    toDay: day('to'),
    number: (params.get('number') ?? '').slice(0, 64),
    q: (params.get('q') ?? '').slice(0, 100),
  };
}

/** The page's address for these filters (only those set). */
export function callsPath(filter: Partial<PageFilter>): string {
  const params = new URLSearchParams();
  const entries: [string, string | undefined][] = [
    ['phoneId', filter.phoneId],
    ['direction', filter.direction],
    ['outcome', filter.outcome],
    ['from', filter.fromDay],
    ['to', filter.toDay],
    ['number', filter.number?.trim()],
    ['q', filter.q?.trim()],
  ];
  for (const [key, value] of entries) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${CALLS_PATH}?${search}` : CALLS_PATH;
}

/** What the API is asked: `from` at the first day's local midnight, `to` at the midnight after the last. */
export function apiFilter(filter: PageFilter): CallsFilter {
  const from = filter.fromDay ? localMidnight(filter.fromDay) : Number.NaN;
  const last = filter.toDay ? localMidnight(filter.toDay) : Number.NaN;
  // The day after, by the calendar: a day with a clock change is not 24 hours long.
  const to = Number.isNaN(last) ? Number.NaN : new Date(last).setDate(new Date(last).getDate() + 1);
  return {
    phoneId: filter.phoneId || undefined,
    direction: filter.direction || undefined,
    outcome: filter.outcome || undefined,
    from: Number.isNaN(from) ? undefined : new Date(from).toISOString(),
    to: Number.isNaN(to) ? undefined : new Date(to).toISOString(),
    number: filter.number.trim() || undefined,
    q: filter.q.trim() || undefined,
  };
}

export function hasFilter(filter: PageFilter): boolean {
  return Object.values(filter).some((v) => v.trim() !== '');
}
