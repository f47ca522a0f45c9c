/**
 * Sends one HTTP exchange with a phone's `/cgi-bin/` and hands back the raw answer (status, content
 * type, text). It knows nothing about the JSON envelope (envelope.ts) nor about credentials: the auth
 * strategy (auth/passcode.ts, auth/session.ts) puts them into the request. It never retries: a repeated
 * command can dial twice, and a repeated wrong password counts towards the phone's lockout
 * (cti-field-notes.md, "Enabling and access"). An answer larger than MAX_ANSWER_BYTES is cut off, so a
 * phone (or anything posing as one) streaming without end cannot fill our memory.
 */
import { CtiError, sanitizeCause } from './errors.ts';
import { createPhoneConnection, MAX_ANSWER_BYTES, type Outcome, type Wire } from './phone-connection.ts';
import type { CtiFunction } from './protocol.ts';

export type FetchLike = typeof globalThis.fetch;

export interface TransportOptions {
  /** `ip`, `ip:port`, `[v6]:port`, `host.name`, or an `http://` / `https://` URL without path or credentials. */
  host: string;
  timeoutMs: number;
  /**
   * Injected fetch (tests, custom agents). By default each transport talks to its phone over an
   * undici Client of its own, one connection kept alive between requests (phone-connection.ts).
   */
  fetch?: FetchLike;
  /**
   * Accept a self-signed certificate on `https://` hosts, for this phone's connection only (unless a
   * `fetch` is injected: then that fetch owns TLS). Only for phones whose configuration says so: it
   * disables verification.
   */
  allowSelfSigned?: boolean;
  /** The secrets of the moment (passcode, password, sid, ...), redacted from any error cause. */
  secrets?: () => readonly string[];
}

/** The functions under `/cgi-bin/`: the CTI guide's, the session login's and the config API's. */
export type CgiFunction =
  | CtiFunction
  | 'access'
  | 'dologin'
  | 'dorefresh'
  | 'dologout'
  | 'config_get'
  | 'config_update';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  fn: CgiFunction;
  /** Query parameters in order; every name and value is percent-encoded. */
  query?: Readonly<Record<string, string>>;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: Readonly<Record<string, string>>;
  /** A JSON body (config_update). */
  json?: unknown;
  headers?: Readonly<Record<string, string>>;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** `Set-Cookie` headers, when the phone sent any (dologin's sid). */
  setCookie?: readonly string[];
}

export interface Transport {
  /** The host as configured, used in error messages and `CtiError.host`. */
  readonly host: string;
  /** `http(s)://host[:port]`, never with a credential. */
  readonly origin: string;
  request(request: HttpRequest): Promise<RawResponse>;
  /** Closes the kept-alive connection to the phone (a later request opens a new one). */
  close(): void;
}

export { MAX_ANSWER_BYTES };

export interface ParsedHost {
  /** The input, trimmed and without a trailing slash. */
  host: string;
  origin: string;
  protocol: 'http:' | 'https:';
}

const ACCEPT = 'application/json, text/plain;q=0.9, */*;q=0.8';

/** Parses and checks a phone's host; anything that is not a bare http(s) origin is `invalid_input`. */
export function parseHost(input: unknown): ParsedHost {
  const raw = typeof input === 'string' ? input.trim() : '';
  // Never echo credentials back in an error, even invalid ones.
  const shown = raw.includes('@') ? '(host with credentials)' : raw;
  const invalid = (why: string) =>
    new CtiError('invalid_input', `Invalid phone host "${shown}": ${why}.`, { host: shown });
  if (!raw) throw invalid('empty');
  if (raw.includes('@')) throw invalid('credentials belong in the passcode, not in the host');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid('not an address (use ip, ip:port, [v6]:port or an http(s) URL)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid('only http and https are supported');
  if (url.username || url.password) throw invalid('credentials belong in the passcode, not in the host');
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(raw)) {
    throw invalid('give the address only, without path, query or fragment');
  }
  if (!url.hostname) throw invalid('no hostname');
  return { host: raw.replace(/\/$/, ''), origin: url.origin, protocol: url.protocol };
}

/**
 * Builds the request URL. URLSearchParams percent-encodes every name and value, so a value like
 * `1&cmd=REBOOT` stays one value and a passcode with `&` or `=` arrives intact. The passcode goes
 * first, as in the vendor guide's examples.
 */
export function buildRequestUrl(
  origin: string,
  fn: CgiFunction,
  passcode: string,
  params: Readonly<Record<string, string>> = {},
): string {
  return buildUrl(origin, fn, { passcode, ...params });
}

export function buildUrl(
  origin: string,
  fn: CgiFunction,
  query: Readonly<Record<string, string>> = {},
): string {
  return `${origin}${cgiPath(fn, query)}`;
}

/** `/cgi-bin/<fn>?<query>`, every name and value percent-encoded. */
function cgiPath(fn: CgiFunction, query: Readonly<Record<string, string>> = {}): string {
  const search = new URLSearchParams();
  for (const name in query) search.append(name, query[name] as string);
  const text = search.toString();
  return `/cgi-bin/${fn}${text ? `?${text}` : ''}`;
}

/**
 * True when the phone dropped or reset the connection after taking the request (ECONNRESET, "socket
 * hang up", undici's "other side closed"): some firmware answers REBOOT that way. A refused connection
 * is not a drop: nothing was delivered.
 */
export function isConnectionDrop(err: unknown): boolean {
  if (!(err instanceof CtiError) || err.code !== 'unreachable') return false;
  const cause = err.cause as (Error & { code?: string }) | undefined;
  if (cause?.code && DROP_CODES.has(cause.code)) return true;
  return /socket hang up|other side closed|ECONNRESET/i.test(cause?.message ?? '');
}

const DROP_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export function createTransport(options: TransportOptions): Transport {
  const parsed = parseHost(options.host);
  const { timeoutMs, allowSelfSigned = false } = options;
  const injectedFetch = options.fetch;
  const connection = injectedFetch
    ? undefined
    : createPhoneConnection({ origin: parsed.origin, allowSelfSigned });
  const secrets = options.secrets ?? (() => []);

  return {
    host: parsed.host,
    origin: parsed.origin,
    close: () => connection?.close(),
    async request(request) {
      const wire = toWire(parsed.origin, request);
      const outcome = connection
        ? await connection.send(wire, timeoutMs)
        : await sendWithFetch(wire, timeoutMs, injectedFetch as FetchLike);
      const { fn } = request;
      if (outcome.ok) return outcome.response;
      if (outcome.kind === 'too_large') {
        throw new CtiError(
          'malformed',
          `${fn}: phone ${parsed.host} sent an answer larger than ${MAX_ANSWER_BYTES / 1024} kB; it was cut off.`,
          { host: parsed.host, status: outcome.status },
        );
      }
      const cause = sanitizeCause(outcome.error, secrets());
      if (outcome.kind === 'timeout') {
        throw new CtiError('timeout', `${fn}: phone ${parsed.host} did not answer within ${timeoutMs} ms.`, {
          host: parsed.host,
          cause,
        });
      }
      const code = (cause as Error & { code?: string }).code;
      throw new CtiError(
        'unreachable',
        `${fn}: could not reach phone ${parsed.host}${code ? ` (${code})` : ''}: ${cause.message}`,
        { host: parsed.host, cause },
      );
    },
  };
}

function toWire(origin: string, request: HttpRequest): Wire {
  const path = cgiPath(request.fn, request.query);
  const headers: Record<string, string> = { accept: ACCEPT };
  let body: string | undefined;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json;charset=UTF-8';
  } else if (request.form !== undefined || request.method !== 'GET') {
    body = new URLSearchParams(Object.entries(request.form ?? {})).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  // Header names lower-cased so a strategy's `Referer` cannot end up twice under two spellings.
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    url: `${origin}${path}`,
    path,
    method: request.method,
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

async function sendWithFetch(wire: Wire, timeoutMs: number, fetchImpl: FetchLike): Promise<Outcome> {
  // Our own controller rather than AbortSignal.timeout(): we must tell "our timer fired" apart from
  // any other failure, and the timer must also cover reading the body, not just the headers.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    // undici computes Content-Length for a string body (also "0" for an empty POST).
    const res = await fetchImpl(wire.url, {
      method: wire.method,
      headers: wire.headers,
      ...(wire.body !== undefined ? { body: wire.body } : {}),
      signal: controller.signal,
      // A redirect (to a login page, say) is an answer to report, not to follow with our credentials.
      redirect: 'manual',
    });
    const text = await readCapped(res, controller);
    if (text === undefined) return { ok: false, kind: 'too_large', status: res.status };
    const setCookie = res.headers.getSetCookie?.() ?? [];
    return {
      ok: true,
      response: {
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        text,
        ...(setCookie.length ? { setCookie } : {}),
      },
    };
  } catch (error) {
    return { ok: false, kind: timedOut ? 'timeout' : 'error', error };
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, or undefined once it passes MAX_ANSWER_BYTES (the request is then aborted). */
async function readCapped(res: Response, controller: AbortController): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    controller.abort();
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      // Stop reading and drop the connection: the rest is never downloaded.
      controller.abort();
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
