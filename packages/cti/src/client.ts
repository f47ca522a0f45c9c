/**
 * `createCtiClient`: one typed method per function of the GRP26xx CTI guide. Every argument is
 * checked before a request is built (`invalid_input`, nothing sent), and nothing is retried: commands
 * can dial or reboot twice, and wrong passcodes lock the phone (docs/architecture.md, "Error model").
 * The credential lives only in the auth strategy's closure (auth/passcode.ts, auth/session.ts): the
 * client object has no property holding it, and its toJSON shows the host alone.
 */

import { isSessionExpired } from './auth/answers.ts';
import { AUTH_SCHEMES, type AuthScheme, type Credential, DEFAULT_USERNAME } from './auth/credential.ts';
import { passcodeStrategy } from './auth/passcode.ts';
import { sessionStrategy } from './auth/session.ts';
import type { AuthStrategy } from './auth/strategy.ts';
import { createConfigApi } from './config-api.ts';
import { FORWARD_KEYS } from './config-keys.ts';
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
import {
  createTransport,
  type FetchLike,
  type HttpRequest,
  isConnectionDrop,
  parseHost,
  type RawResponse,
} from './transport.ts';

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
  /** Session scheme: send `dorefresh` after this long without a request. Default 30000. */
  keepAliveMs?: number;
  /** Firmware family for FORWARD_KEYS (config-keys.ts). Default `GRP26xx`. */
  family?: string;
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
  // Host first: it throws invalid_input for a bad host and gives the credential-free host for messages.
  const { host } = parseHost(options.host);
  const credential = checkCredential(options, host);
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CtiError('invalid_input', 'timeoutMs must be a positive number of milliseconds.', { host });
  }
  let strategy: AuthStrategy | undefined;
  const transport = createTransport({
    host: options.host,
    timeoutMs,
    secrets: () => strategy?.secrets() ?? [credential.secret],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.allowSelfSigned !== undefined ? { allowSelfSigned: options.allowSelfSigned } : {}),
  });
  const auth: AuthStrategy =
    credential.scheme === 'session'
      ? sessionStrategy({
          transport,
          username: credential.username,
          password: credential.secret,
          ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}),
        })
      : passcodeStrategy(credential.secret);
  strategy = auth;

  const invalid = (message: string) => new CtiError('invalid_input', message, { host });
  /** The last line status answer that read as lines (never an error), and what it read as. */
  let lastLines: { text: string; status: number; sentSid: boolean; lines: Line[] } | undefined;

  /** One authenticated request, read inside the strategy so an expired session is handled there. */
  function exchange<T>(request: HttpRequest, read: (raw: RawResponse, sentSid: boolean) => T): Promise<T> {
    return auth.run(async (authorization) => {
      const query = request.method === 'GET' ? { ...authorization.params, ...request.query } : request.query;
      const raw = await transport.request({
        ...request,
        ...(query ? { query } : {}),
        headers: { ...request.headers, ...authorization.headers },
      });
      return read(raw, authorization.sentSid);
    });
  }

  function call(fn: CtiFunction, params: Record<string, string> = {}): Promise<Envelope> {
    return exchange({ method: 'GET', fn, query: params }, (raw, sentSid) =>
      parseEnvelope(raw, fn, host, { sentSid }),
    );
  }

  async function command(fn: CtiFunction, params: Record<string, string>): Promise<CommandResult> {
    const { body, extra } = await call(fn, params);
    return { ok: true, body, extra };
  }

  const config = createConfigApi({
    host,
    scheme: auth.scheme,
    forwardKeys: FORWARD_KEYS[options.family ?? 'GRP26xx'],
    exchange,
  });

  return {
    host,
    scheme: auth.scheme,

    getLineStatus() {
      const fn = 'api-get_line_status';
      return exchange({ method: 'GET', fn, query: NO_PARAMS }, (raw, sentSid) => {
        // A quiet phone answers the same text poll after poll: the same lines, already read and frozen,
        // instead of parsing and building them again (most of what a poll allocated).
        const last = lastLines;
        if (last && last.text === raw.text && last.status === raw.status && last.sentSid === sentSid) {
          return last.lines;
        }
        const lines = frozen(parseLines(parseEnvelope(raw, fn, host, { sentSid }).body, fn, host));
        lastLines = { text: raw.text, status: raw.status, sentSid, lines };
        return lines;
      });
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
      try {
        return await command('api-sys_operation', { request });
      } catch (err) {
        // Some phones drop the connection instead of answering `savereboot` (field notes): the request
        // arrived, the phone is going down. A refused connection stays unreachable: nothing arrived.
        if (request === 'REBOOT' && isConnectionDrop(err)) return { ok: true, body: 'rebooting', extra: {} };
        throw err;
      }
    },

    info: () => auth.info(),
    ...config,

    async authorizeRequest() {
      const { params, headers } = await auth.authorize();
      return { params: { ...params }, headers: { ...headers } };
    },

    readAnswer(fn, raw) {
      const sentSid = auth.scheme === 'session';
      try {
        return parseEnvelope(raw, fn, host, { sentSid });
      } catch (err) {
        if (isSessionExpired(err)) auth.sessionEnded();
        throw err;
      }
    },

    async close() {
      try {
        await auth.close();
      } finally {
        // After dologout: the kept-alive socket to the phone is not needed any more.
        transport.close();
      }
    },

    toJSON() {
      return { host };
    },
  };
}

/** The credential from `credential` or the `passcode` shorthand, checked; never echoed in an error. */
function checkCredential(options: CtiClientOptions, host: string): Credential {
  const invalid = (message: string) => new CtiError('invalid_input', message, { host });
  const given = options.credential;
  if (given === undefined) {
    if (typeof options.passcode !== 'string' || options.passcode === '')
      throw invalid('A passcode is required.');
    return { scheme: 'passcode', username: DEFAULT_USERNAME, secret: options.passcode };
  }
  if (!(AUTH_SCHEMES as readonly unknown[]).includes(given?.scheme)) {
    throw invalid(`The credential scheme must be one of ${AUTH_SCHEMES.join(', ')}.`);
  }
  if (typeof given.secret !== 'string' || given.secret === '' || given.secret.length > 256) {
    throw invalid('A password (1 to 256 characters) is required.');
  }
  const username = given.username ?? DEFAULT_USERNAME;
  if (typeof username !== 'string' || !/^[A-Za-z0-9._@-]{1,64}$/.test(username)) {
    throw invalid('The username must be 1 to 64 letters, digits, or . _ @ -.');
  }
  return { scheme: given.scheme, username, secret: given.secret };
}

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** Lines handed out more than once are frozen: no caller can change what the next poll returns. */
function frozen(lines: Line[]): Line[] {
  for (const line of lines) Object.freeze(line);
  return Object.freeze(lines) as Line[];
}

function isIntInRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
