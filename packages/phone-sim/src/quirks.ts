/**
 * Per-phone switches for the ways real firmware differs from the guide (shared/docs/cti-field-notes.md,
 * "Responses"), and the serializers that apply them. A client that survives every combination survives
 * the field.
 */
import type { Line } from './line-machine.ts';
import type { Account } from './phone-state.ts';

export interface Quirks {
  /** The guide's summary says `remotenum`; captured firmware answers say `remotenumber`. */
  numberField: 'remotenumber' | 'remotenum';
  /** `acct` of an idle line: `""` or `0`. */
  idleAcct: '' | 0;
  /** Content-Type of JSON answers; some firmware labels JSON as HTML or plain text. */
  contentType: 'application/json' | 'text/html' | 'text/plain';
  /** Adds `battery`/`session_expiring` beside `body` and extra per-line fields. */
  extraFields: boolean;
  /** Action URL: display names sent unencoded (spaces in the request line). */
  rawDisplayNames: boolean;
  /**
   * api-make_call answers success but no call starts (field notes, "Commands": success does not prove the
   * call started). Clients must confirm a call on line status.
   */
  silentMakeCall: boolean;
  /** REBOOT closes the connection instead of answering `savereboot` (field notes, "Requests seen"). */
  rebootDropsConnection: boolean;
  /**
   * Config keys config_update answers `right` for but does not apply, as real phones do (field notes,
   * "Config API": read every write back).
   */
  ignoredConfigWrites: readonly string[];
}

export const DEFAULT_QUIRKS: Quirks = {
  numberField: 'remotenumber',
  idleAcct: 0,
  contentType: 'application/json',
  extraFields: false,
  rawDisplayNames: false,
  silentMakeCall: false,
  rebootDropsConnection: false,
  ignoredConfigWrites: [],
};

/** Checks one quirk's value; returns the problem, or undefined when the value fits. */
export function quirkProblem(key: string, value: unknown): string | undefined {
  const allowed: Record<keyof Quirks, (v: unknown) => boolean> = {
    numberField: (v) => v === 'remotenumber' || v === 'remotenum',
    idleAcct: (v) => v === '' || v === 0,
    contentType: (v) => v === 'application/json' || v === 'text/html' || v === 'text/plain',
    extraFields: (v) => typeof v === 'boolean',
    rawDisplayNames: (v) => typeof v === 'boolean',
    silentMakeCall: (v) => typeof v === 'boolean',
    rebootDropsConnection: (v) => typeof v === 'boolean',
    ignoredConfigWrites: (v) => Array.isArray(v) && v.every((k) => typeof k === 'string'),
  };
  const check = allowed[key as keyof Quirks];
  if (!check) return `unknown quirk ${key}`;
  return check(value) ? undefined : `quirk ${key} has an unsupported value`;
}

/** Fields some models put next to `body`, with the mixed types seen in the wild. */
const EXTRA_ENVELOPE = { battery: 100, session_expiring: false };

export function envelope(
  response: 'success' | 'error',
  body: unknown,
  quirks: Quirks,
  extra?: Record<string, unknown>,
): string {
  const base = { response, body, ...extra };
  return JSON.stringify(quirks.extraFields ? { ...base, ...EXTRA_ENVELOPE } : base);
}

/** One object per line key, fields in the guide's order. `acct` of a call is the 1-based account id. */
export function lineStatusBody(lines: readonly Line[], selected: number, quirks: Quirks): unknown[] {
  return lines.map((l) => {
    const idle = l.state === 'idle';
    const entry: Record<string, unknown> = {
      line: l.index,
      state: l.state,
      acct: idle ? quirks.idleAcct : l.account + 1,
      active: !idle && l.index === selected ? 1 : 0,
      remotename: l.remoteName,
      [quirks.numberField]: l.remoteNumber,
      conf: l.conf ? 1 : 0,
    };
    if (quirks.extraFields) {
      entry.callid = l.callId;
      entry.direction = l.direction;
      entry.dtmf = l.dtmf;
    }
    return entry;
  });
}

/** The model's every account slot; unused slots are empty and unregistered, as in the guide's example. */
export function accountsBody(accounts: readonly Account[], slots: number, quirks: Quirks): unknown[] {
  return Array.from({ length: Math.max(slots, accounts.length) }, (_, i) => {
    const a = accounts[i];
    const entry: Record<string, unknown> = {
      id: i + 1,
      sip_server: a?.sipServer ?? '',
      sip_id: a?.sipId ?? '',
      name: a?.name ?? '',
      reg: a?.registered ? 1 : 0,
    };
    if (quirks.extraFields) entry.transport = 'UDP';
    return entry;
  });
}
