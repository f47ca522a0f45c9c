/**
 * The config API of session firmware (field notes, "Config API"): `config_get?pvalues=P1561,:dnd` reads
 * P-values, `config_update` (PUT, JSON `{"alias":{},"pvalue":{...}}`) writes them. The keys come from
 * packages/cti/src/config-keys.ts, so the client and the simulator share one table: P1561 is
 * Click-To-Dial, `:dnd` the DND flag, and the forward keys of every family in FORWARD_KEYS (mode values
 * are FORWARD_MODES names, targets numbers). Unknown keys read as "" and are not stored; keys in the
 * quirk `ignoredConfigWrites` answer success and are not applied. HTTP-free, like cti-handler.ts.
 */
import type { ConfigKey } from '../../cti/src/config-keys.ts';
import { CONFIG_KEYS, FORWARD_KEYS } from '../../cti/src/config-keys.ts';
import type { ForwardPatch } from './desk-settings.ts';
import { isForwardMode, isForwardTarget, setDnd, setForward } from './desk-settings.ts';
import type { ForwardState, PhoneState, PhoneStep } from './phone-state.ts';
import type { Quirks } from './quirks.ts';
import type { Settings } from './settings.ts';

/** What the config API needs from the phone. */
export interface ConfigPhone {
  readonly state: PhoneState;
  readonly settings: Settings;
  readonly quirks: Quirks;
  commit(step: PhoneStep): void;
  updateSettings(update: { clickToDial: boolean }): void;
}

/** What one written value changes; a write collects them and applies them together. */
interface ConfigChange {
  clickToDial?: boolean;
  dnd?: boolean;
  forward?: ForwardPatch;
}

interface ConfigField {
  read(phone: ConfigPhone): string;
  /** The change a value makes; undefined for a value the key does not take. */
  parse(value: string): ConfigChange | undefined;
}

type ForwardTable = Readonly<
  Record<string, { mode: ConfigKey; always: ConfigKey; busy: ConfigKey; noAnswer: ConfigKey }>
>;

function flag(value: string): boolean | undefined {
  return value === '1' ? true : value === '0' ? false : undefined;
}

function forwardTarget(condition: Exclude<keyof ForwardState, 'mode'>): ConfigField {
  return {
    read: (phone) => phone.state.forward[condition],
    parse: (value) => (isForwardTarget(value) ? { forward: { [condition]: value } } : undefined),
  };
}

/** The keys the simulated phone knows, by P-value; `forwardKeys` is a parameter so tests can add families. */
export function configFields(forwardKeys: ForwardTable = FORWARD_KEYS): Map<string, ConfigField> {
  const fields = new Map<string, ConfigField>();
  fields.set(CONFIG_KEYS.clickToDial.key, {
    read: (phone) => (phone.settings.clickToDial ? '1' : '0'),
    parse: (value) => {
      const on = flag(value);
      return on === undefined ? undefined : { clickToDial: on };
    },
  });
  fields.set(CONFIG_KEYS.dnd.key, {
    read: (phone) => (phone.state.dnd ? '1' : '0'),
    parse: (value) => {
      const on = flag(value);
      return on === undefined ? undefined : { dnd: on };
    },
  });
  for (const family of Object.values(forwardKeys)) {
    fields.set(family.mode.key, {
      read: (phone) => phone.state.forward.mode,
      parse: (value) => (isForwardMode(value) ? { forward: { mode: value } } : undefined),
    });
    fields.set(family.always.key, forwardTarget('always'));
    fields.set(family.busy.key, forwardTarget('busy'));
    fields.set(family.noAnswer.key, forwardTarget('noanswer'));
  }
  return fields;
}

const DEFAULT_FIELDS = configFields();

export interface ConfigEntry {
  alias: string;
  pvalue: string;
  value: string;
}

/** One entry per requested key, in the order asked; unknown keys come back with value "". */
export function configGet(
  phone: ConfigPhone,
  pvalues: string | null,
  fields: ReadonlyMap<string, ConfigField> = DEFAULT_FIELDS,
): ConfigEntry[] {
  const keys = (pvalues ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
  return keys.map((key) => ({ alias: '', pvalue: key, value: fields.get(key)?.read(phone) ?? '' }));
}

export type ConfigUpdateResult = { ok: true; applied: string[] } | { ok: false; reason: string };

function parseUpdate(body: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body is not an object';
  const { pvalue } = value as { pvalue?: unknown };
  if (pvalue === undefined) return {};
  if (typeof pvalue !== 'object' || pvalue === null || Array.isArray(pvalue))
    return 'pvalue is not an object';
  return pvalue as Record<string, unknown>;
}

/**
 * Validates every value first and applies nothing when one is wrong; then applies the known keys together
 * (a forward mode and its target in one write make one forward change, one event).
 */
export function configUpdate(
  phone: ConfigPhone,
  body: string,
  fields: ReadonlyMap<string, ConfigField> = DEFAULT_FIELDS,
): ConfigUpdateResult {
  const pvalues = parseUpdate(body);
  if (typeof pvalues === 'string') return { ok: false, reason: pvalues };
  const ignored = new Set(phone.quirks.ignoredConfigWrites);
  const change: ConfigChange = {};
  const applied: string[] = [];
  for (const [key, value] of Object.entries(pvalues)) {
    if (typeof value !== 'string') return { ok: false, reason: `${key} is not a string` };
    const field = fields.get(key);
    if (!field || ignored.has(key)) continue;
    const part = field.parse(value);
    if (!part) return { ok: false, reason: `${key} does not take this value` };
    Object.assign(change, part, part.forward ? { forward: { ...change.forward, ...part.forward } } : {});
    applied.push(key);
  }
  if (change.forward) {
    const step = setForward(phone.state, change.forward);
    if (!step.ok) return { ok: false, reason: step.reason ?? 'invalid forward' };
    phone.commit(step);
  }
  if (change.clickToDial !== undefined) phone.updateSettings({ clickToDial: change.clickToDial });
  if (change.dnd !== undefined) phone.commit(setDnd(phone.state, change.dnd));
  return { ok: true, applied };
}
