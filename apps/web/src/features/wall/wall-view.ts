/**
 * What a wall shows, from its address, so a kiosk's choice survives a reload: `?show=active` (only
 * phones with calls or problems), `?phones=Reception,Sales desk` (names or ids), `?page_seconds=10`
 * (how long a page stays when the phones need more than one), `?page=2` (always that page), and
 * `?theme=light`. The order puts what needs eyes first: ringing, then calls, then problems, then the
 * quiet phones, each by name.
 */
import type { Phone, PhoneState } from '@linedeck/contract';
import { PROBLEM_STATUSES } from '../../lib/status.ts';

export const DEFAULT_PAGE_SECONDS = 10;
/** Shorter than this cannot be read before it turns; longer than this a ringing phone on another page waits too long. */
const PAGE_SECONDS_MIN = 3;
const PAGE_SECONDS_MAX = 600;

export interface WallOptions {
  theme: 'light' | 'dark';
  show: 'all' | 'active';
  /** Names or ids, as written; undefined: every phone the wall may see. */
  phones: string[] | undefined;
  pageSeconds: number;
  /** 1-based; undefined: the pages take turns. */
  page: number | undefined;
}

export interface ParsedWallOptions {
  options: WallOptions;
  /** One sentence per option that was not understood (and left at its default). */
  problems: string[];
}

const wholeIn = (raw: string, min: number, max: number): number | undefined => {
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
};

/** The wall's options from `location.search`; a value it cannot use is named in `problems`, never guessed. */
export function parseWallOptions(search: string): ParsedWallOptions {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const options: WallOptions = {
    theme: params.get('theme') === 'light' ? 'light' : 'dark',
    show: 'all',
    phones: undefined,
    pageSeconds: DEFAULT_PAGE_SECONDS,
    page: undefined,
  };
  const show = params.get('show');
  if (show === 'active' || show === 'all') options.show = show;
  else if (show !== null) problems.push('show must be all or active');
  const phones = params.get('phones');
  if (phones !== null) {
    const names = phones
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (names.length > 0) options.phones = names;
    else problems.push('phones must list phone names or ids, separated by commas');
  }
  const seconds = params.get('page_seconds');
  if (seconds !== null) {
    const n = wholeIn(seconds, PAGE_SECONDS_MIN, PAGE_SECONDS_MAX);
    if (n === undefined)
      problems.push(`page_seconds must be a whole number from ${PAGE_SECONDS_MIN} to ${PAGE_SECONDS_MAX}`);
    else options.pageSeconds = n;
  }
  const page = params.get('page');
  if (page !== null) {
    const n = wholeIn(page, 1, 1000);
    if (n === undefined) problems.push('page must be a whole number from 1');
    else options.page = n;
  }
  return { options, problems };
}

/** 0 ringing, 1 on a call, 2 needs someone (offline, unauthorized, not registered), 3 quiet. */
export function wallRank(state: PhoneState | undefined): number {
  if (!state) return 3;
  if (state.status === 'ringing') return 0;
  if (state.lines.some((l) => l.state !== 'idle')) return 1;
  return PROBLEM_STATUSES.has(state.status) ? 2 : 3;
}

const byName = (a: Phone, b: Phone) => a.name.localeCompare(b.name, undefined, { numeric: true });

export interface WallSelection {
  phones: Phone[];
  /** Entries of `?phones=` that match no phone the wall may see. */
  unknown: string[];
}

/** The phones the wall shows, in the order it shows them. */
export function selectWallPhones(
  phones: readonly Phone[],
  stateById: ReadonlyMap<string, PhoneState>,
  options: Pick<WallOptions, 'show' | 'phones'>,
): WallSelection {
  let chosen = [...phones];
  const unknown: string[] = [];
  if (options.phones) {
    const wanted = new Set<string>();
    for (const entry of options.phones) {
      const key = entry.toLowerCase();
      const match = phones.filter((p) => p.id === entry || p.name.toLowerCase() === key);
      if (match.length === 0) unknown.push(entry);
      for (const p of match) wanted.add(p.id);
    }
    chosen = chosen.filter((p) => wanted.has(p.id));
  }
  if (options.show === 'active') chosen = chosen.filter((p) => wallRank(stateById.get(p.id)) < 3);
  const rank = new Map(chosen.map((p) => [p.id, wallRank(stateById.get(p.id))]));
  chosen.sort((a, b) => (rank.get(a.id) ?? 3) - (rank.get(b.id) ?? 3) || byName(a, b));
  return { phones: chosen, unknown };
}

/**
 * The page (0-based) to show at `now`: pinned by `?page=` (the last one when there are fewer), else
 * taking turns every `pageSeconds` on the wall's clock, so two screens with the same address agree.
 */
export function currentPage(now: number, pages: number, pageSeconds: number, pinned?: number): number {
  if (pages <= 1) return 0;
  if (pinned !== undefined) return Math.min(pinned, pages) - 1;
  return Math.floor(now / (pageSeconds * 1000)) % pages;
}
