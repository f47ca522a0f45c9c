/**
 * The connection to one phone: a node:http(s) Agent of its own that keeps ONE socket alive between
 * requests (the phone's queue sends one request at a time), and the exchange over it. Measured against
 * the global fetch at 2,000 phones polled at 1 Hz (docs/benchmarks.md, "Fleet"): undici's fetch builds a
 * Request, Headers, a web ReadableStream and an AbortSignal per request and opened a second connection
 * to most phones; this path costs a fraction of that in CPU and garbage.
 * - Free sockets close after FREE_SOCKET_MS idle (undici's default keep-alive, or less when the phone's
 *   `Keep-Alive: timeout=` says so), before a phone's own idle timeout would reset them under a request;
 *   one timer per phone, refreshed after each answer, does it.
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
  /** How long a free socket is kept (FREE_SOCKET_MS; tests shorten it). */
  freeSocketMs?: number;
}): PhoneConnection {
  return new KeptAliveConnection(
    options.origin,
    options.allowSelfSigned,
    options.freeSocketMs ?? FREE_SOCKET_MS,
  );
}

/** What node:http's agent leaves between a phone's `Keep-Alive: timeout=` and our closing (its margin). */
const HINT_MARGIN_MS = 1000;

class KeptAliveConnection implements PhoneConnection {
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly target: http.RequestOptions;
  private inFlight = 0;
  /**
   * One timer per phone, refreshed after every answer, closes the free socket once it has idled. The
   * agent's own `timeout` option would set a new socket timer (a Timeout, a bound function, a listener)
   * on every request, each living for seconds: per-poll garbage that outlives the young generation.
   */
  private idle: NodeJS.Timeout | undefined;
  private idleMs: number;
  private readonly closeIfIdle = () => {
    if (this.inFlight === 0) this.agent.destroy();
  };

  constructor(
    originText: string,
    allowSelfSigned: boolean,
    private readonly freeSocketMs: number,
  ) {
    const origin = new URL(originText);
    const secure = origin.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.agent = secure
      ? new https.Agent({ ...agentOptions, rejectUnauthorized: !allowSelfSigned })
      : new http.Agent(agentOptions);
    this.request = secure ? https.request : http.request;
    this.idleMs = freeSocketMs;
    // Parsed once: a URL per request would be parsed again by node:http on every poll.
    this.target = {
      protocol: origin.protocol,
      // `[v6]` as URL spells it; node:http wants the bare address.
      hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: origin.port || (secure ? 443 : 80),
      agent: this.agent,
    };
  }

  send(wire: Wire, timeoutMs: number): Promise<Outcome> {
    this.inFlight++;
    // exchange() never rejects: every failure is an outcome.
    return exchange(this.request, this.target, wire, timeoutMs).then(this.answered);
  }

  private readonly answered = ({ outcome, keepAlive }: Exchanged): Outcome => {
    this.inFlight--;
    this.rest(keepAlive);
    return outcome;
  };

  close(): void {
    clearTimeout(this.idle);
    this.idle = undefined;
    this.agent.destroy();
  }

  /** The socket is free: it closes after `freeSocketMs` idle, or sooner when the phone's hint says so. */
  private rest(keepAlive: string | undefined): void {
    const hint = keepAlive === undefined ? undefined : /^timeout=(\d+)/.exec(keepAlive)?.[1];
    const ms =
      hint === undefined
        ? this.freeSocketMs
        : Math.min(this.freeSocketMs, Number(hint) * 1000 - HINT_MARGIN_MS);
    if (this.idle !== undefined && ms === this.idleMs) {
      this.idle.refresh();
      return;
    }
    clearTimeout(this.idle);
    this.idleMs = ms;
    this.idle = setTimeout(this.closeIfIdle, Math.max(ms, 0));
    this.idle.unref();
  }
}

interface Exchanged {
  outcome: Outcome;
  /** The answer's `Keep-Alive` header, if any. */
  keepAlive?: string | undefined;
}

function exchange(
  request: typeof http.request,
  target: http.RequestOptions,
  wire: Wire,
  timeoutMs: number,
): Promise<Exchanged> {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    let keepAlive: string | undefined;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ outcome, keepAlive });
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
        const hint = res.headers['keep-alive'];
        if (typeof hint === 'string') keepAlive = hint;
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
