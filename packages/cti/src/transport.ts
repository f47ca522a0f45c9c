/**
 * Sends one CTI request: `GET <origin>/cgi-bin/<function>?passcode=...&<params>` with a timeout,
 * and hands back the raw answer (status, content type, text). It knows nothing about the JSON envelope
 * (envelope.ts) and never retries: a repeated command can dial twice, and a repeated wrong passcode
 * counts towards the phone's lockout (cti-field-notes.md, "Enabling and access").
 */
import https from 'node:https';
import { CtiError, sanitizeCause } from './errors.ts';
import type { CtiFunction } from './protocol.ts';

export type FetchLike = typeof globalThis.fetch;

export interface TransportOptions {
  /** `ip`, `ip:port`, `[v6]:port`, `host.name`, or an `http://` / `https://` URL without path or credentials. */
  host: string;
  passcode: string;
  timeoutMs: number;
  /** Injected fetch (tests, custom agents). Defaults to the global fetch. */
  fetch?: FetchLike;
  /**
   * Accept a self-signed certificate on `https://` hosts. Node's global fetch takes no agent, so this
   * goes through node:https with `rejectUnauthorized: false` instead (unless a `fetch` is injected:
   * then that fetch owns TLS). Only for phones whose configuration says so: it disables verification.
   */
  allowSelfSigned?: boolean;
}

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface Transport {
  /** The host as configured, used in error messages and `CtiError.host`. */
  readonly host: string;
  /** `http(s)://host[:port]`, never with the passcode. */
  readonly origin: string;
  send(fn: CtiFunction, params?: Readonly<Record<string, string>>): Promise<RawResponse>;
}

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
  fn: CtiFunction,
  passcode: string,
  params: Readonly<Record<string, string>> = {},
): string {
  const query = new URLSearchParams({ passcode });
  for (const [name, value] of Object.entries(params)) query.append(name, value);
  return `${origin}/cgi-bin/${fn}?${query.toString()}`;
}

export function createTransport(options: TransportOptions): Transport {
  const parsed = parseHost(options.host);
  const { passcode, timeoutMs, allowSelfSigned = false } = options;
  const injectedFetch = options.fetch;
  const useNodeHttps = allowSelfSigned && parsed.protocol === 'https:' && !injectedFetch;

  return {
    host: parsed.host,
    origin: parsed.origin,
    async send(fn, params = {}) {
      const url = buildRequestUrl(parsed.origin, fn, passcode, params);
      const outcome = useNodeHttps
        ? await getInsecureHttps(url, timeoutMs)
        : await getWithFetch(url, timeoutMs, injectedFetch ?? globalThis.fetch);
      if (outcome.ok) return outcome.response;
      const cause = sanitizeCause(outcome.error, passcode);
      if (outcome.timedOut) {
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

type Outcome = { ok: true; response: RawResponse } | { ok: false; timedOut: boolean; error: unknown };

async function getWithFetch(url: string, timeoutMs: number, fetchImpl: FetchLike): Promise<Outcome> {
  // Our own controller rather than AbortSignal.timeout(): we must tell "our timer fired" apart from
  // any other failure, and the timer must also cover reading the body, not just the headers.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const res = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: ACCEPT },
      signal: controller.signal,
      // A redirect (to a login page, say) is an answer to report, not to follow with our query string.
      redirect: 'manual',
    });
    const text = await res.text();
    return {
      ok: true,
      response: { status: res.status, contentType: res.headers.get('content-type') ?? '', text },
    };
  } catch (error) {
    return { ok: false, timedOut, error };
  } finally {
    clearTimeout(timer);
  }
}

function getInsecureHttps(url: string, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // agent: false so this unverified connection is never pooled and reused for anything else.
    const req = https.request(
      url,
      { method: 'GET', headers: { accept: ACCEPT }, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => settle({ ok: false, timedOut, error }));
        res.on('end', () =>
          settle({
            ok: true,
            response: {
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              text: Buffer.concat(chunks).toString('utf8'),
            },
          }),
        );
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      const error = new Error('request timed out');
      // Settle first: once the socket is gone, the response may never emit 'end' or 'error'.
      settle({ ok: false, timedOut, error });
      req.destroy(error);
    }, timeoutMs);
    req.on('error', (error) => settle({ ok: false, timedOut, error }));
    req.end();
  });
}
