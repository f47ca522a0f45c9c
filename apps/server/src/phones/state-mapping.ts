/**
 * Pure mapping from CTI answers to the contract's PhoneState. No I/O, no
 * clock (the caller passes `now`), so every rule here is unit-tested.
 */
import type { AccountView, LineView, PhoneState, PhoneStatus } from '@linedeck/contract';
import type { Account, Line } from '@linedeck/cti';

/** The parts of a CTI line we read; matches `Line` of @linedeck/cti. */
export type CtiLine = Pick<
  Line,
  'line' | 'state' | 'rawState' | 'account' | 'remoteName' | 'remoteNumber' | 'active' | 'conference'
>;
export type CtiAccount = Pick<Account, 'id' | 'sipServer' | 'sipId' | 'name' | 'registered'>;

/** Line states that mean a call is on the line, by what the person at the phone is doing. */
export const RINGING_STATES: ReadonlySet<string> = new Set(['ringing']);
export const OUTGOING_STATES: ReadonlySet<string> = new Set(['dialing', 'calling']);
export const TALKING_STATES: ReadonlySet<string> = new Set(['connected']);
export const HELD_STATES: ReadonlySet<string> = new Set(['onhold']);
export const IDLE_STATES: ReadonlySet<string> = new Set(['idle', 'failed']);

/**
 * Still ringing, or still calling out, but to or from someone else: another call (its time starts now,
 * and the journal ends the first). Between two reads a caller can give up and the next ring in; a number
 * filling in is not another caller.
 */
export function anotherCaller(
  previous: Pick<LineView, 'state' | 'remoteNumber'>,
  line: Pick<LineView, 'remoteNumber'>,
): boolean {
  const calling = RINGING_STATES.has(previous.state) || OUTGOING_STATES.has(previous.state);
  return (
    calling &&
    previous.remoteNumber !== '' &&
    line.remoteNumber !== '' &&
    previous.remoteNumber !== line.remoteNumber
  );
}

/**
 * One CTI line as the API shows it. A state this build does not know is shown
 * with the phone's raw text and `known: false` (field notes: unknown states
 * must be shown, not crash anything). `since` carries over while the state
 * stays the same (and, ringing or calling out, the caller too), so durations survive polls.
 */
export function mapLine(line: CtiLine, previous: LineView | undefined, now: string): LineView {
  const known = line.state !== 'unknown';
  const state = known ? line.state : (line.rawState ?? 'unknown');
  const same =
    previous && previous.state === state && previous.known === known && !anotherCaller(previous, line);
  const since = same ? previous.since : now;
  return {
    line: line.line,
    state,
    known,
    remoteName: line.remoteName,
    remoteNumber: line.remoteNumber,
    account: line.account,
    active: line.active,
    conference: line.conference,
    since,
  };
}

/**
 * The lines as the API shows them. When every line maps to exactly what `previous` holds (most polls of
 * most phones), `previous` itself comes back: no new objects for a poll that changed nothing.
 */
export function mapLines(lines: readonly CtiLine[], previous: readonly LineView[], now: string): LineView[] {
  // Phones answer their lines in order, and the previous read has the same lines: no sort, no lookup map
  // on the hot path (every poll of every phone), only when that does not hold.
  const sorted = isSortedByLine(lines) ? lines : [...lines].sort((a, b) => a.line - b.line);
  if (mapsTo(sorted, previous)) return previous as LineView[];
  const out = new Array<LineView>(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const line = sorted[i] as CtiLine;
    const same = previous[i];
    const before = same?.line === line.line ? same : previous.find((p) => p.line === line.line);
    out[i] = mapLine(line, before, now);
  }
  return out;
}

/** True when mapping `lines` (sorted) would give views equal to `views`, `since` included. */
function mapsTo(lines: readonly CtiLine[], views: readonly LineView[]): boolean {
  if (lines.length !== views.length) return false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as CtiLine;
    const view = views[i] as LineView;
    const known = line.state !== 'unknown';
    if (
      view.line !== line.line ||
      view.known !== known ||
      view.state !== (known ? line.state : (line.rawState ?? 'unknown')) ||
      view.remoteName !== line.remoteName ||
      view.remoteNumber !== line.remoteNumber ||
      view.account !== line.account ||
      view.active !== line.active ||
      view.conference !== line.conference
    )
      return false;
  }
  return true;
}

function isSortedByLine(lines: readonly CtiLine[]): boolean {
  for (let i = 1; i < lines.length; i++)
    if ((lines[i] as CtiLine).line < (lines[i - 1] as CtiLine).line) return false;
  return true;
}

/** Same lines as a person sees them (state, caller, flags, since). */
export function sameLines(a: readonly LineView[], b: readonly LineView[]): boolean {
  return sameJson(a, b);
}

/** The accounts as the API shows them; `previous` itself when every account maps to what it holds. */
export function mapAccounts(
  accounts: readonly CtiAccount[],
  previous: readonly AccountView[] = [],
): AccountView[] {
  if (accounts.length === previous.length && accounts.every((a, i) => sameAccount(a, previous[i])))
    return previous as AccountView[];
  return accounts.map((a) => ({
    id: a.id,
    sipServer: a.sipServer,
    sipId: a.sipId,
    name: a.name,
    registered: a.registered,
  }));
}

function sameAccount(a: CtiAccount, view: AccountView | undefined): boolean {
  return (
    view !== undefined &&
    view.id === a.id &&
    view.sipServer === a.sipServer &&
    view.sipId === a.sipId &&
    view.name === a.name &&
    view.registered === a.registered
  );
}

/**
 * The phone's status from what we saw. Lines win over the phone's own status
 * word because they are read in the same poll and are more specific: any
 * ringing line means `ringing`, any call means `busy`. Then the phone's word
 * (`unavailable` = not registered), else `available`.
 */
export function deriveStatus(
  lines: readonly LineView[],
  phoneStatus: string | null | undefined,
): PhoneStatus {
  if (lines.some((l) => RINGING_STATES.has(l.state))) return 'ringing';
  const word = (phoneStatus ?? '').trim().toLowerCase();
  // The lines say who rings. The phone's word is read after the lines (and not on every poll), so with
  // lines known a "ringing" word and idle lines is a ring that started between the two reads: the next
  // poll shows it on its line. Only a phone whose lines are not known yet rings by its word.
  if (word === 'ringing' && lines.length === 0) return 'ringing';
  if (lines.some((l) => !IDLE_STATES.has(l.state))) return 'busy';
  if (word === 'busy') return 'busy';
  if (word === 'unauthorized') return 'unauthorized';
  if (word === 'unavailable') return 'unavailable';
  if (word === 'available') return 'available';
  return lines.length > 0 ? 'available' : 'unknown';
}

/** CTI error codes to the status a dashboard shows while the phone cannot be read. */
export function statusForError(code: string): PhoneStatus {
  if (code === 'unreachable' || code === 'timeout') return 'offline';
  if (code === 'auth_failed' || code === 'phone_auth_failed') return 'unauthorized';
  return 'unknown';
}

export interface StateParts {
  phoneId: string;
  lines: LineView[];
  accounts: AccountView[];
  phoneStatus: string | null;
  updatedAt: string | null;
  /** Unknown (null) unless the config API or a trusted push said. */
  dnd?: boolean | null;
  forward?: PhoneState['forward'];
  error?: PhoneState['error'] | undefined;
}

export function buildState(parts: StateParts): PhoneState {
  const status = parts.error
    ? statusForError(parts.error.code)
    : deriveStatus(parts.lines, parts.phoneStatus);
  return {
    phoneId: parts.phoneId,
    status: parts.updatedAt === null && !parts.error ? 'unknown' : status,
    lines: parts.lines,
    accounts: parts.accounts,
    updatedAt: parts.updatedAt,
    dnd: parts.dnd ?? null,
    forward: parts.forward ?? null,
    ...(parts.error ? { error: parts.error } : {}),
  };
}

/**
 * The same state read again at `updatedAt` (a quiet poll). Written out for the usual state, keys in
 * buildState's order: an object spread of a state costs several times as much, on every poll of every
 * phone. A state with an error or a flow (rare on a quiet poll) is spread.
 */
export function atPollTime(state: PhoneState, updatedAt: string | null): PhoneState {
  if (state.error !== undefined || state.flow !== undefined) return { ...state, updatedAt };
  return {
    phoneId: state.phoneId,
    status: state.status,
    lines: state.lines,
    accounts: state.accounts,
    updatedAt,
    dnd: state.dnd,
    forward: state.forward,
  };
}

/**
 * True when two states differ in anything a person could see (not the poll time). It runs on every
 * poll of every phone: a walk that stops at the first difference, where JSON.stringify of both states
 * built two strings each time (the top JavaScript cost of a 2,000-phone fleet).
 */
export function visiblyDifferent(a: PhoneState | undefined, b: PhoneState): boolean {
  if (!a) return true;
  for (const key in a)
    if (key !== 'updatedAt' && !sameJson(a[key as keyof PhoneState], b[key as keyof PhoneState])) return true;
  for (const key in b)
    if (key !== 'updatedAt' && !(key in a) && b[key as keyof PhoneState] !== undefined) return true;
  return false;
}

/**
 * Equal as JSON would print them, for plain JSON data (no Date, Map...): same values, arrays in order,
 * object keys in any order, an undefined property the same as an absent one.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    defined++;
    if (!sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) defined--;
  return defined === 0;
}
