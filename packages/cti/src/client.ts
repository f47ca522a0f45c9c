/**
 * `createCtiClient`: one typed method per function of the GRP26xx CTI guide. Every argument is
 * checked before a request is built (`invalid_input`, nothing sent), and nothing is retried: commands
 * can dial or reboot twice, and wrong passcodes lock the phone (docs/architecture.md, "Error model").
 * The passcode lives only in the transport's closure: the client object has no property holding it,
 * and its toJSON shows the host alone.
 */
import type { AuthScheme, Credential } from './auth/credential.ts';
import { type Envelope, parseEnvelope } from './envelope.ts';
import { CtiError } from './errors.ts';
import { MODELS } from './models.ts';
import {
  type Account,
  type Line,
  type PhoneStatus,
  parseAccounts,
  parseLines,
  parsePhoneStatus,
} from './parse.ts';
import {
  type CtiFunction,
  type ForwardSetting,
  isValidKey,
  isValidPhoneNumber,
  NUMBERED_KEYS,
  PHONE_OPERATIONS,
  type PhoneOperation,
  SYS_REQUESTS,
  type SysRequest,
} from './protocol.ts';
import { createTransport, type FetchLike, parseHost, type RawResponse } from './transport.ts';

export interface CtiClientOptions {
  /** `ip`, `ip:port`, `[v6]:port`, or an `http://` / `https://` URL without path or credentials. */
  host: string;
  /** How to authenticate (auth/credential.ts). */
  credential?: Credential;
  /** Shorthand for `credential: { scheme: 'passcode', username: 'admin', secret: passcode }`. */
  passcode?: string;
  /** Per request, covering connect, headers and body. Default 5000. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Accept a self-signed certificate on https hosts (see transport.ts). Default false. */
  allowSelfSigned?: boolean;
}

/** What a command returns when the phone answered `response: "success"`. */
export interface CommandResult {
  ok: true;
  /** The phone's body: `true`, `"complete"`, `"savereboot"`, ... */
  body: unknown;
  /** Top-level fields next to `body`, if the firmware sends any. */
  extra: Record<string, unknown>;
}

export interface PhoneOperationOptions {
  /** Aim the operation at a line (`arg=<line>`, 1-based); firmware without it ignores the parameter. */
  line?: number;
}

export interface MakeCallOptions {
  /** Account to dial from, 0-based (`account=`). */
  account?: number;
}

export interface CtiClient {
  readonly host: string;
  getLineStatus(): Promise<Line[]>;
  getPhoneStatus(): Promise<PhoneStatus>;
  getAccounts(): Promise<Account[]>;
  phoneOperation(cmd: PhoneOperation, options?: PhoneOperationOptions): Promise<CommandResult>;
  /** A success only means the phone took the request; confirm the call with getLineStatus(). */
  makeCall(number: string, options?: MakeCallOptions): Promise<CommandResult>;
  /** One key or several, sent as `keys=a:b:c` and pressed one after another by the phone. */
  sendKeys(keys: readonly string[] | string): Promise<CommandResult>;
  /** RESET needs the admin passcode. */
  sysOperation(request: SysRequest): Promise<CommandResult>;

  /** The scheme this client authenticates with. */
  readonly scheme: AuthScheme;
  /** What the session login told about the phone (`ver`, `mac`); nulls until known (passcode scheme: always). */
  info(): { firmware: string | null; mac: string | null };

  /** `config_get` (session only, else `not_supported`): values by key; unknown keys come back "". */
  getConfig(keys: readonly string[]): Promise<Record<string, string>>;
  /** `config_update` then a read-back: a value the phone did not keep is `not_applied`. Session only. */
  setConfig(values: Readonly<Record<string, string>>): Promise<void>;
  /** DND from the config API; null when the firmware does not report it. Session only. */
  getDnd(): Promise<boolean | null>;
  setDnd(on: boolean): Promise<void>;
  /** Call forward from the config API; `not_supported` where no P-values are known for the family. */
  getForward(): Promise<ForwardSetting | null>;
  setForward(setting: ForwardSetting): Promise<void>;
  /** Click-To-Dial (P1561); null when unknown. Session only. */
  getClickToDial(): Promise<boolean | null>;

  /**
   * For the raw passthrough: the query parameters and headers that authenticate one request
   * (`passcode=`, or the sid with its cookie, Referer and Origin; logs in first when there is no session).
   */
  authorizeRequest(): Promise<{ params: Record<string, string>; headers: Record<string, string> }>;
  /**
   * Reads a raw answer as the client's own calls do: the envelope, or the CtiError (auth answers
   * included); a session the phone reports as expired is dropped so the next request logs in once.
   */
  readAnswer(fn: CtiFunction, raw: RawResponse): Envelope;
  /** Ends the session (`dologout`) and stops its keep-alive; a no-op for the passcode scheme. */
  close(): Promise<void>;
  toJSON(): { host: string };
}

export const DEFAULT_TIMEOUT_MS = 5000;
/** Highest line number on any GRP26xx (GRP2670 has 16 line keys). */
export const MAX_LINE = NUMBERED_KEYS.LINE;
/** Accounts are 0-based; the largest model holds this many. */
export const MAX_ACCOUNTS = Math.max(...MODELS.map((m) => m.accounts));
/** More keys than this in one request is a mistake (a dial string is at most 64 characters). */
export const MAX_KEYS = 64;

export function createCtiClient(options: CtiClientOptions): CtiClient {
  const { timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const passcode = options.credential?.secret ?? options.passcode;
  // Host first: it throws invalid_input for a bad host and gives the credential-free host for messages.
  const { host } = parseHost(options.host);
  if (typeof passcode !== 'string' || passcode === '') {
    throw new CtiError('invalid_input', 'A passcode is required.', { host });
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CtiError('invalid_input', 'timeoutMs must be a positive number of milliseconds.', { host });
  }
  const transport = createTransport({
    host: options.host,
    passcode: passcode as string,
    timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.allowSelfSigned !== undefined ? { allowSelfSigned: options.allowSelfSigned } : {}),
  });

  const invalid = (message: string) => new CtiError('invalid_input', message, { host });

  async function call(fn: CtiFunction, params?: Record<string, string>) {
    const raw = await transport.send(fn, params);
    return parseEnvelope(raw, fn, host);
  }

  async function command(fn: CtiFunction, params: Record<string, string>): Promise<CommandResult> {
    const { body, extra } = await call(fn, params);
    return { ok: true, body, extra };
  }

  return {
    host,

    async getLineStatus() {
      const fn = 'api-get_line_status';
      return parseLines((await call(fn)).body, fn, host);
    },

    async getPhoneStatus() {
      const fn = 'api-get_phone_status';
      const { body, extra } = await call(fn);
      return parsePhoneStatus(body, extra, fn, host);
    },

    async getAccounts() {
      const fn = 'api-get_accounts';
      return parseAccounts((await call(fn)).body, fn, host);
    },

    async phoneOperation(cmd, opts = {}) {
      if (!(PHONE_OPERATIONS as readonly unknown[]).includes(cmd)) {
        throw invalid(`Unknown phone operation "${String(cmd)}" (known: ${PHONE_OPERATIONS.join(', ')}).`);
      }
      const params: Record<string, string> = { cmd };
      if (opts.line !== undefined) {
        if (!isIntInRange(opts.line, 1, MAX_LINE)) {
          throw invalid(`line must be an integer from 1 to ${MAX_LINE}, got ${String(opts.line)}.`);
        }
        params.arg = String(opts.line);
      }
      return command('api-phone_operation', params);
    },

    async makeCall(number, opts = {}) {
      if (typeof number !== 'string' || !isValidPhoneNumber(number)) {
        throw invalid('The number must be 1 to 64 digits, with an optional leading + and * or #.');
      }
      const params: Record<string, string> = { phonenumber: number };
      if (opts.account !== undefined) {
        if (!isIntInRange(opts.account, 0, MAX_ACCOUNTS - 1)) {
          throw invalid(`account must be an integer from 0 to ${MAX_ACCOUNTS - 1} (0-based).`);
        }
        params.account = String(opts.account);
      }
      return command('api-make_call', params);
    },

    async sendKeys(keys) {
      const list: readonly unknown[] = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : [];
      if (list.length === 0) throw invalid('At least one key is required.');
      if (list.length > MAX_KEYS) throw invalid(`At most ${MAX_KEYS} keys per request.`);
      const bad = list.find((k) => typeof k !== 'string' || !isValidKey(k));
      if (bad !== undefined) {
        throw invalid(`Unknown key "${String(bad).slice(0, 20)}" (see the CTI guide's key list).`);
      }
      return command('api-send_key', { keys: list.join(':') });
    },

    async sysOperation(request) {
      if (!(SYS_REQUESTS as readonly unknown[]).includes(request)) {
        throw invalid(`Unknown system operation "${String(request)}" (known: ${SYS_REQUESTS.join(', ')}).`);
      }
      return command('api-sys_operation', { request });
    },

    // Interim: passcode scheme only until auth/session.ts and config-api.ts land.
    scheme: 'passcode' as const,
    info: () => ({ firmware: null, mac: null }),
    getConfig: () => Promise.reject(notSupported()),
    setConfig: () => Promise.reject(notSupported()),
    getDnd: () => Promise.reject(notSupported()),
    setDnd: () => Promise.reject(notSupported()),
    getForward: () => Promise.reject(notSupported()),
    setForward: () => Promise.reject(notSupported()),
    getClickToDial: () => Promise.reject(notSupported()),
    authorizeRequest: async () => ({ params: { passcode: passcode as string }, headers: {} }),
    readAnswer: (fn, raw) => parseEnvelope(raw, fn, host),
    close: async () => {},

    toJSON() {
      return { host };
    },
  };

  function notSupported() {
    return new CtiError('not_supported', 'The config API needs a session login.', { host });
  }
}

function isIntInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
