/**
 * The connection to one phone: a node:http(s) Agent of its own that keeps ONE socket alive between
 * requests (the phone's queue sends one request at a time), and the exchange over it. Measured against
 * the global fetch at 2,000 phones polled at 1 Hz (docs/benchmarks.md, "Fleet"): undici's fetch builds a
 * Request, Headers, a web ReadableStream and an AbortSignal per request and opened a second connection
 * to most phones; this path costs a fraction of that in CPU and garbage.
 * - Free sockets close after FREE_SOCKET_MS idle (undici's default keep-alive, or less when the phone's
 *   `Keep-Alive: timeout=` says so), before a phone's own idle timeout would reset them under a request.
 * - The timer covers connect, headers and body; an answer past MAX_ANSWER_BYTES is cut off and the
 *   connection dropped, so a phone streaming without end cannot fill our memory.
 * - Redirects are answers, never followed (they would carry our credentials elsewhere).
 * - `allowSelfSigned` skips certificate checks for this phone's agent only: its sockets are never
 *   pooled with or reused for anything else.
 */
import http from 'node:http';
import https from 'node:https';

/** Answers larger than this are cut off and read as `malformed`; real CTI answers are a few kB. */
export const MAX_ANSWER_BYTES = 256 * 1024;

/** How long a kept-alive socket may wait for the next request (undici's default keep-alive). */
export const FREE_SOCKET_MS = 4000;

export interface Wire {
  /** Origin and path: fetch takes the URL, the phone's connection only the path. */
  url: string;
  path: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  body?: string;
}

export type Outcome =
  | {
      ok: true;
      response: { status: number; contentType: string; text: string; setCookie?: readonly string[] };
    }
  | { ok: false; kind: 'timeout' | 'error'; error: unknown }
  | { ok: false; kind: 'too_large'; status: number };

export interface PhoneConnection {
  send(wire: Wire, timeoutMs: number): Promise<Outcome>;
  /** Closes the kept-alive socket; a later send opens a new one. */
  close(): void;
}

export function createPhoneConnection(options: {
  origin: string;
  allowSelfSigned: boolean;
}): PhoneConnection {
  const origin = new URL(options.origin);
  const secure = origin.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1, timeout: FREE_SOCKET_MS };
  const agent = secure
    ? new https.Agent({ ...agentOptions, rejectUnauthorized: !options.allowSelfSigned })
    : new http.Agent(agentOptions);
  const request = secure ? https.request : http.request;
  // Parsed once: a URL per request would be parsed again by node:http on every poll.
  const target = {
    protocol: origin.protocol,
    // `[v6]` as URL spells it; node:http wants the bare address.
    hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: origin.port || (secure ? 443 : 80),
    agent,
  };
  return {
    send: (wire, timeoutMs) => exchange(request, target, wire, timeoutMs),
    close: () => agent.destroy(),
  };
}

function exchange(
  request: typeof http.request,
  target: http.RequestOptions,
  wire: Wire,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error: unknown) => settle({ ok: false, kind: timedOut ? 'timeout' : 'error', error });
    const headers =
      wire.body === undefined
        ? wire.headers
        : { ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)) };
    const req = request({ ...target, path: wire.path, method: wire.method, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (Number(res.headers['content-length'] ?? 0) > MAX_ANSWER_BYTES) {
        settle({ ok: false, kind: 'too_large', status });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          settle({ ok: false, kind: 'too_large', status });
          // Stop reading and drop the connection: the rest is never downloaded.
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }));
      });
      res.on('end', () => {
        const cookies = res.headers['set-cookie'] ?? [];
        settle({
          ok: true,
          response: {
            status,
            contentType: res.headers['content-type'] ?? '',
            text:
              chunks.length === 1
                ? (chunks[0] as Buffer).toString('utf8')
                : Buffer.concat(chunks).toString('utf8'),
            ...(cookies.length ? { setCookie: cookies } : {}),
          },
        });
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      const error = new Error('request timed out');
      // Settle first: once the socket is gone, the response may never emit 'end' or 'error'.
      settle({ ok: false, kind: 'timeout', error });
      req.destroy(error);
    }, timeoutMs);
    req.on('error', fail);
    req.end(wire.body);
  });
}
