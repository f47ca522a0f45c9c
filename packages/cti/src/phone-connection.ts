/**
 * The connection to one phone: an undici `Client` of its own (one kept-alive connection, one request on
 * it at a time: the phone's queue sends one at a time) and the exchange over it through the dispatch
 * API, with one handler object per request and no streams. Measured at 2,000 phones polled at 1 Hz
 * (docs/benchmarks.md, "Fleet"): undici's fetch builds a Request, Headers, a web ReadableStream and an
 * AbortSignal per request and opened a second connection to most phones; node:http builds a
 * ClientRequest, an IncomingMessage and their streams and listeners, promoted to the old generation
 * whenever a scavenge finds the request in flight. This path builds a fraction of either.
 * - The free connection closes after FREE_SOCKET_MS idle, or sooner when the phone's `Keep-Alive:
 *   timeout=` says so (minus a 1-s margin), before a phone's own idle timeout would reset it under a
 *   request: undici's keepAliveTimeout / keepAliveMaxTimeout / keepAliveTimeoutThreshold do exactly this.
 * - Our timer covers connect, headers and body; an answer past MAX_ANSWER_BYTES is cut off and the
 *   connection dropped, so a phone streaming without end cannot fill our memory.
 * - Redirects are answers, never followed (they would carry our credentials elsewhere): a bare Client
 *   has no redirect interceptor.
 * - `allowSelfSigned` skips certificate checks for this phone's Client only: its connection is never
 *   pooled with or reused for anything else.
 */
import { Client, type Dispatcher, util } from 'undici';

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

/** What we leave between a phone's `Keep-Alive: timeout=` and our closing (node:http's margin). */
const HINT_MARGIN_MS = 1000;

class KeptAliveConnection implements PhoneConnection {
  private client: Client | undefined;
  private readonly clientOptions: Client.Options;
  /**
   * One deadline timer per phone, refreshed for each request it watches (`watched`): a timer per
   * request lives as long as the request, and every one in flight when a scavenge runs is promoted.
   * A stale expiry (its request already answered) finds nothing to watch and does nothing.
   */
  private deadline: NodeJS.Timeout | undefined;
  private deadlineMs = 0;
  private watched: Exchange | undefined;

  constructor(
    private readonly origin: string,
    private readonly allowSelfSigned: boolean,
    freeSocketMs: number,
  ) {
    this.clientOptions = {
      pipelining: 1,
      keepAliveTimeout: freeSocketMs,
      keepAliveMaxTimeout: freeSocketMs,
      keepAliveTimeoutThreshold: HINT_MARGIN_MS,
      // Our own timer bounds the whole exchange; undici's per-phase timers would only add timer objects.
      headersTimeout: 0,
      bodyTimeout: 0,
    };
  }

  /**
   * The phone's Client, opened by the first send after a close. Its connect attempt is bounded by that
   * send's timeout: a Client destroyed while connecting leaves the attempt running to its own timeout
   * (10 s by default), a half-open socket to a phone that is not answering.
   */
  private open(timeoutMs: number): Client {
    this.client ??= new Client(this.origin, {
      ...this.clientOptions,
      connect: { timeout: timeoutMs, ...(this.allowSelfSigned ? { rejectUnauthorized: false } : {}) },
    });
    return this.client;
  }

  send(wire: Wire, timeoutMs: number): Promise<Outcome> {
    const client = this.open(timeoutMs);
    return new Promise((resolve) => {
      const exchange = new Exchange(resolve, this, client);
      this.watch(exchange, timeoutMs);
      client.dispatch(
        {
          path: wire.path,
          method: wire.method,
          headers: wire.headers,
          // undici sets Content-Length for a string body (also "0" for an empty POST).
          body: wire.body ?? null,
        },
        exchange,
      );
    });
  }

  close(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    if (this.client !== undefined) this.drop(this.client);
  }

  /** Starts the exchange's deadline: the phone's timer when free, else (sends overlapping) its own. */
  private watch(exchange: Exchange, timeoutMs: number): void {
    if (this.watched !== undefined) {
      exchange.ownDeadline(timeoutMs);
      return;
    }
    this.watched = exchange;
    if (this.deadline !== undefined && this.deadlineMs === timeoutMs) {
      this.deadline.refresh();
      return;
    }
    clearTimeout(this.deadline);
    this.deadlineMs = timeoutMs;
    // A static callback with the connection as its argument: no closure.
    this.deadline = setTimeout(expireWatched, timeoutMs, this);
    // The request's socket keeps the process alive while it is in flight; a stale deadline must not.
    this.deadline.unref();
  }

  /** The deadline passed: the watched exchange, if still unanswered, times out. */
  expireWatched(): void {
    const exchange = this.watched;
    this.watched = undefined;
    exchange?.expire();
  }

  /** An exchange settled: the phone's deadline no longer watches it (and stays armed, harmless). */
  settled(exchange: Exchange): void {
    if (this.watched === exchange) this.watched = undefined;
  }

  /** Destroys the Client (its connection, and any request on it); a later send opens a new one. */
  drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.destroy().catch(() => {});
  }
}

type Abort = (error?: Error) => void;

/**
 * One request's handler, settling once with an Outcome; every failure is an outcome, nothing rejects.
 * It speaks the handler interface undici's Client runs on (onConnect, onHeaders, onData, onComplete,
 * onError): a handler with the newer onRequestStart/onResponse* methods is wrapped per request in an
 * adapter, a controller and a parsed headers object, the garbage this path exists to avoid.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private abort: Abort | undefined;
  private settled = false;
  private timedOut = false;
  private status = 0;
  private contentType = '';
  private setCookie: string[] | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Only when it overlaps another request of this phone; otherwise the phone's deadline watches it. */
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly resolve: (outcome: Outcome) => void,
    /** Whose deadline watches it, and whose Client to drop when it expires while still connecting. */
    private readonly connection: KeptAliveConnection,
    private readonly client: Client,
  ) {}

  ownDeadline(timeoutMs: number): void {
    this.timer = setTimeout(expire, timeoutMs, this);
  }

  onConnect(abort: Abort): void {
    this.abort = abort;
    if (this.settled) abort(new Error('request timed out'));
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    this.status = status;
    let contentLength = 0;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = util.headerNameToString(rawHeaders[i] as Buffer);
      const value = rawHeaders[i + 1] as Buffer;
      if (name === 'content-length') contentLength = Number(value.toString('latin1'));
      else if (name === 'content-type') this.contentType = value.toString('latin1');
      else if (name === 'set-cookie') {
        this.setCookie ??= [];
        this.setCookie.push(value.toString('latin1'));
      }
    }
    if (contentLength > MAX_ANSWER_BYTES) {
      this.cutOff();
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > MAX_ANSWER_BYTES) {
      this.cutOff();
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const { chunks } = this;
    this.settle({
      ok: true,
      response: {
        status: this.status,
        contentType: this.contentType,
        text:
          chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
        ...(this.setCookie ? { setCookie: this.setCookie } : {}),
      },
    });
  }

  onError(error: Error): void {
    this.settle({ ok: false, kind: this.timedOut ? 'timeout' : 'error', error });
  }

  expire(): void {
    if (this.settled) return;
    this.timedOut = true;
    const error = new Error('request timed out');
    // Settle first: once the connection is gone, undici's onError for it is only a late echo.
    this.settle({ ok: false, kind: 'timeout', error });
    if (this.abort) this.abort(error);
    else this.connection.drop(this.client);
  }

  /** Stops reading and drops the connection: the rest of the answer is never downloaded. */
  private cutOff(): void {
    this.settle({ ok: false, kind: 'too_large', status: this.status });
    this.abort?.(new Error('answer too large'));
  }

  private settle(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.connection.settled(this);
    this.resolve(outcome);
  }
}

function expire(exchange: Exchange): void {
  exchange.expire();
}

function expireWatched(connection: KeptAliveConnection): void {
  connection.expireWatched();
}
