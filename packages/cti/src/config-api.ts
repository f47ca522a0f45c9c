/**
 * The config API of session firmware (field notes, "Config API"): `GET config_get?pvalues=a,b` reads,
 * `PUT config_update` with `{"alias":{},"pvalue":{...}}` writes. Phones answer success for writes they
 * ignore, so every write is read back and a value that did not stick is `not_applied`. Without a session
 * (passcode scheme) there is no config API: `not_supported`, nothing sent. Keys come from
 * config-keys.ts only; a feature whose keys are unknown for the family is `not_supported`, never guessed.
 */
import type { AuthScheme } from './auth/credential.ts';
import { CONFIG_KEYS, type ConfigKey } from './config-keys.ts';
import { envelopeOf, readJsonAnswer } from './envelope.ts';
import { CtiError } from './errors.ts';
import { FORWARD_MODES, type ForwardMode, type ForwardSetting, isValidPhoneNumber } from './protocol.ts';
import type { HttpRequest, RawResponse } from './transport.ts';

export const CONFIG_KEY_PATTERN = /^(P\d{1,5}|:[a-z_]{1,32})$/;
export const MAX_CONFIG_KEYS = 32;
export const MAX_CONFIG_VALUE_LENGTH = 128;

export interface ForwardKeys {
  mode: ConfigKey;
  always: ConfigKey;
  busy: ConfigKey;
  noAnswer: ConfigKey;
}

export interface ConfigApiDeps {
  host: string;
  scheme: AuthScheme;
  /** This family's call forward keys (config-keys.ts FORWARD_KEYS), if any are known. */
  forwardKeys: ForwardKeys | undefined;
  /** Sends one authenticated request and reads its answer inside the auth strategy (re-login once). */
  exchange<T>(request: HttpRequest, read: (raw: RawResponse, sentSid: boolean) => T): Promise<T>;
}

export interface ConfigApi {
  getConfig(keys: readonly string[]): Promise<Record<string, string>>;
  setConfig(values: Readonly<Record<string, string>>): Promise<void>;
  getDnd(): Promise<boolean | null>;
  setDnd(on: boolean): Promise<void>;
  getClickToDial(): Promise<boolean | null>;
  getForward(): Promise<ForwardSetting | null>;
  setForward(setting: ForwardSetting): Promise<void>;
}

export function createConfigApi(deps: ConfigApiDeps): ConfigApi {
  const { host } = deps;
  const invalid = (message: string) => new CtiError('invalid_input', message, { host });

  function requireSession() {
    if (deps.scheme !== 'session') {
      throw new CtiError(
        'not_supported',
        `Phone ${host}: the config API needs a session login (scheme "session").`,
        {
          host,
        },
      );
    }
  }

  function checkKeys(keys: readonly unknown[]): string[] {
    if (keys.length === 0) throw invalid('At least one config key is required.');
    if (keys.length > MAX_CONFIG_KEYS) throw invalid(`At most ${MAX_CONFIG_KEYS} config keys per request.`);
    const bad = keys.find((k) => typeof k !== 'string' || !CONFIG_KEY_PATTERN.test(k));
    if (bad !== undefined)
      throw invalid(`Invalid config key "${String(bad).slice(0, 20)}" (P<digits> or :name).`);
    return [...new Set(keys as string[])];
  }

  async function getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    const list = checkKeys(Array.isArray(keys) ? keys : []);
    requireSession();
    const fn = 'config_get';
    return deps.exchange({ method: 'GET', fn, query: { pvalues: list.join(',') } }, (raw, sentSid) => {
      const entries = configEntries(readJsonAnswer(raw, fn, host, { sentSid }), raw.status, host);
      return Object.fromEntries(list.map((key) => [key, valueFor(entries, key)]));
    });
  }

  async function setConfig(values: Readonly<Record<string, string>>): Promise<void> {
    const pairs = typeof values === 'object' && values !== null ? Object.entries(values) : [];
    const keys = checkKeys(pairs.map(([k]) => k));
    const badValue = pairs.find(([, v]) => !isShortText(v));
    if (badValue) {
      throw invalid(
        `The value of ${badValue[0]} must be text of at most ${MAX_CONFIG_VALUE_LENGTH} characters.`,
      );
    }
    requireSession();
    const fn = 'config_update';
    const pvalue = Object.fromEntries(pairs);
    await deps.exchange({ method: 'PUT', fn, json: { alias: {}, pvalue } }, (raw, sentSid) => {
      const { body } = envelopeOf(readJsonAnswer(raw, fn, host, { sentSid }), raw.status, fn, host);
      const status = isObject(body) ? body.status : undefined;
      if (typeof status === 'string' && status !== 'right') {
        throw new CtiError('rejected', `${fn}: phone ${host} refused the write (${status.slice(0, 40)}).`, {
          host,
          status: raw.status,
          body,
        });
      }
    });
    const readBack = await getConfig(keys);
    // Keys only in the message: a value may be something private (a forward target, a URL).
    const lost = keys.filter((k) => readBack[k] !== pvalue[k]);
    if (lost.length > 0) {
      throw new CtiError(
        'not_applied',
        `${fn}: phone ${host} answered success but did not keep ${lost.join(', ')} (read back differently).`,
        { host },
      );
    }
  }

  async function getFlag(key: string): Promise<boolean | null> {
    const value = (await getConfig([key]))[key]?.trim();
    if (value === '1') return true;
    if (value === '0') return false;
    return null;
  }

  function forwardKeys(): ForwardKeys {
    requireSession();
    if (!deps.forwardKeys) {
      throw new CtiError(
        'not_supported',
        "Call forward is not available with this phone's firmware or credentials.",
        {
          host,
        },
      );
    }
    return deps.forwardKeys;
  }

  const targetKey = (keys: ForwardKeys, mode: Exclude<ForwardMode, 'off'>) =>
    ({ always: keys.always, busy: keys.busy, noanswer: keys.noAnswer })[mode].key;

  return {
    getConfig,
    setConfig,
    getDnd: () => getFlag(CONFIG_KEYS.dnd.key),
    async setDnd(on) {
      if (typeof on !== 'boolean') throw invalid('DND must be true or false.');
      await setConfig({ [CONFIG_KEYS.dnd.key]: on ? '1' : '0' });
    },
    getClickToDial: () => getFlag(CONFIG_KEYS.clickToDial.key),

    // The mode key holds the mode's name (FORWARD_MODES); its target sits in that mode's key.
    async getForward() {
      const keys = forwardKeys();
      const values = await getConfig([keys.mode.key, keys.always.key, keys.busy.key, keys.noAnswer.key]);
      const mode = values[keys.mode.key]?.trim() as ForwardMode;
      if (!(FORWARD_MODES as readonly string[]).includes(mode)) return null;
      return { mode, number: mode === 'off' ? '' : (values[targetKey(keys, mode)] ?? '') };
    },
    async setForward(setting) {
      const mode = setting?.mode;
      const number = setting?.number;
      if (!(FORWARD_MODES as readonly unknown[]).includes(mode)) {
        throw invalid(`Forward mode must be one of ${FORWARD_MODES.join(', ')}.`);
      }
      if (mode !== 'off' && (typeof number !== 'string' || !isValidPhoneNumber(number))) {
        throw invalid('The forward number must be 1 to 64 digits, with an optional leading + and * or #.');
      }
      const keys = forwardKeys();
      await setConfig({
        [keys.mode.key]: mode,
        ...(mode === 'off' ? {} : { [targetKey(keys, mode)]: number }),
      });
    },
  };
}

type Entries = { pvalue: string; alias: string; value: string }[];

/** The list of `{alias, pvalue, value}`: inside `body`, as `configs`, or the whole answer. */
function configEntries(parsed: unknown, status: number, host: string): Entries {
  let list: unknown;
  if (Array.isArray(parsed)) list = parsed;
  else if (isObject(parsed) && !('response' in parsed) && Array.isArray(parsed.configs))
    list = parsed.configs;
  else {
    const { body } = envelopeOf(parsed, status, 'config_get', host);
    list = Array.isArray(body) ? body : isObject(body) ? body.configs : undefined;
  }
  if (!Array.isArray(list)) {
    throw new CtiError('malformed', `config_get: phone ${host} sent no list of values.`, { host, status });
  }
  return list
    .filter(isObject)
    .map((e) => ({ pvalue: text(e.pvalue), alias: text(e.alias), value: text(e.value) }));
}

/** WP8xx firmware names P-values without the `P` (`"1413"`): both spellings match. */
function valueFor(entries: Entries, key: string): string {
  const bare = key.startsWith('P') ? key.slice(1) : key;
  return entries.find((e) => e.pvalue === key || e.pvalue === bare)?.value ?? '';
}

function isShortText(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_CONFIG_VALUE_LENGTH) return false;
  // No control characters: a value is one line of text on the phone's settings page.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}
