/**
 * Turns envelope bodies into typed camelCase values. Lenient on field formats seen in the field
 * (`remotenum` or `remotenumber`, `acct` as "" / 0 / "2", 0/1 or booleans, extra fields), strict on
 * shape: a line without a line number or an account without an id is `malformed`, not invented.
 * Hand-written guards rather than zod: this package has no dependencies.
 */
import { CtiError } from './errors.ts';
import {
  type CtiFunction,
  type KnownLineState,
  LINE_STATES,
  PHONE_STATUSES,
  type PhoneStatusValue,
} from './protocol.ts';

export interface Line {
  line: number;
  /** A known state, or `unknown` for states of other firmware families (`rawState` has the text). */
  state: KnownLineState | 'unknown';
  rawState?: string;
  /** Account index as the phone reports it; `null` when the line has none (`acct: ""`). */
  account: number | null;
  /** Often empty while ringing. */
  remoteName: string;
  remoteNumber: string;
  /** Not reliable on every firmware (field notes); prefer `state`. */
  active: boolean;
  conference: boolean;
}

export interface PhoneStatus {
  status: PhoneStatusValue | 'unknown';
  rawStatus?: string;
  /** The `misc` field, "0"/"1", as a string; "" when absent. */
  misc: string;
  /** Other top-level fields of the answer (`battery`, `session_expiring`, ...). */
  extra: Record<string, unknown>;
}

export interface Account {
  id: number;
  sipServer: string;
  sipId: string;
  name: string;
  registered: boolean;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(fn: CtiFunction, host: string, why: string): CtiError {
  return new CtiError('malformed', `${fn}: phone ${host} sent an unexpected body (${why}).`, { host });
}

/** A non-negative integer from a number or a string of digits; undefined otherwise. */
export function toInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,9}\s*$/.test(value)) return Number(value);
  return undefined;
}

/** 1, "1", true and "true" are true; everything else false. */
export function toFlag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (typeof value === 'string') return ['1', 'true'].includes(value.trim().toLowerCase());
  return false;
}

/** Strings pass, numbers become their text (a number field sent as JSON number), anything else "". */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

export function parseLine(item: unknown, fn: CtiFunction, host: string): Line {
  if (!isObject(item)) throw malformed(fn, host, 'a line entry is not an object');
  const line = toInt(item.line);
  if (line === undefined || line < 1) throw malformed(fn, host, 'a line entry has no line number');
  const raw = toText(item.state).trim();
  const known = (LINE_STATES as readonly string[]).includes(raw.toLowerCase());
  // The detailed guide pages and real firmware say `remotenumber`, the guide's summary `remotenum`.
  const remoteNumber = toText(item.remotenumber) || toText(item.remotenum);
  return {
    line,
    state: known ? (raw.toLowerCase() as KnownLineState) : 'unknown',
    ...(known ? {} : { rawState: raw }),
    account: toInt(item.acct) ?? null,
    remoteName: toText(item.remotename),
    remoteNumber,
    active: toFlag(item.active),
    conference: toFlag(item.conf),
  };
}

export function parseLines(body: unknown, fn: CtiFunction, host: string): Line[] {
  if (!Array.isArray(body)) throw malformed(fn, host, 'line status body is not a list');
  return body.map((item) => parseLine(item, fn, host));
}

export function parsePhoneStatus(body: unknown, extra: Obj, fn: CtiFunction, host: string): PhoneStatus {
  if (typeof body !== 'string') throw malformed(fn, host, 'phone status body is not text');
  const raw = body.trim();
  const known = (PHONE_STATUSES as readonly string[]).includes(raw.toLowerCase());
  const { misc, ...rest } = extra;
  return {
    status: known ? (raw.toLowerCase() as PhoneStatusValue) : 'unknown',
    ...(known ? {} : { rawStatus: raw }),
    misc: toText(misc),
    extra: rest,
  };
}

export function parseAccount(item: unknown, fn: CtiFunction, host: string): Account {
  if (!isObject(item)) throw malformed(fn, host, 'an account entry is not an object');
  const id = toInt(item.id);
  if (id === undefined) throw malformed(fn, host, 'an account entry has no id');
  return {
    id,
    sipServer: toText(item.sip_server),
    sipId: toText(item.sip_id),
    name: toText(item.name),
    registered: toFlag(item.reg),
  };
}

export function parseAccounts(body: unknown, fn: CtiFunction, host: string): Account[] {
  if (!Array.isArray(body)) throw malformed(fn, host, 'accounts body is not a list');
  return body.map((item) => parseAccount(item, fn, host));
}
