/**
 * Server-Sent Events at `GET /api/events`: `state` (a phone's new state) and `call` (a journal call, once
 * stored, calls/call-recorder.ts), each
 * with an incremental id, and a `freshness` heartbeat without id. A ring buffer of the last events lets a
 * reconnecting browser resume with `Last-Event-ID`. This runs for weeks with a thousand browsers: every
 * frame is serialized once and the same bytes go to every connection; every closed, failed or hopelessly
 * slow connection is dropped and forgotten.
 *
 * Freshness: a state event is published only when something visible changed, never when only the read
 * time moved (that would be one event per phone per poll to every browser). So the heartbeat says what a
 * page cannot see from state events: the server's time and which of the principal's phones have had no
 * successful read for longer than the stale limit. Pages judge freshness from it and poll nothing while
 * the stream is up (a missed heartbeat means the stream is down).
 */
import type { Call, CampaignEvent, PhoneState } from '@linedeck/contract';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from './logger.ts';

export type HubEvent =
  | { type: 'state'; data: PhoneState }
  | { type: 'call'; data: Call }
  | { type: 'campaign'; data: CampaignEvent };

/** A `campaign` event concerns every phone of its campaign: who sees any of them hears of it. */
function concerns(event: HubEvent, canSee: (phoneId: string) => boolean): boolean {
  return event.type === 'campaign' ? event.data.phoneIds.some(canSee) : canSee(event.data.phoneId);
}

/** Names and numbers of past calls and campaign entries: never for a wall's display key. */
const carriesNames = (event: HubEvent) => event.type === 'call' || event.type === 'campaign';

/** The `freshness` event's data. */
export interface Freshness {
  /** The server's clock (ms since epoch) when this was computed. */
  serverTime: number;
  /** A phone read less recently than this is stale. */
  staleAfterMs: number;
  /** The next freshness event follows this soon; a page that hears none for longer knows the stream is down. */
  heartbeatMs: number;
  /** Stale phones (of those this connection may see) and their last successful read (ISO), null if never. */
  stale: Record<string, string | null>;
}

interface Stored {
  id: number;
  event: HubEvent;
  frame: Buffer;
}

interface Client {
  res: Response;
  /** Undefined: this principal sees every phone (the cheap path: shared frames, no filtering). */
  canSee: ((phoneId: string) => boolean) | undefined;
  /** False for a wall's display key: it never sees the journal's names and numbers. */
  calls: boolean;
}

export interface EventHubOptions {
  logger: Logger;
  /** Events kept for `Last-Event-ID` resume. */
  bufferSize?: number;
  /** How often the freshness heartbeat goes out. */
  heartbeatMs?: number;
  /** A phone without a successful read for longer than this is stale (3 poll intervals). */
  staleAfterMs?: number;
  /** A client whose unsent data passes this is too slow to keep up: it is dropped (it can resume). */
  maxBufferedBytes?: number;
  /** The current state of every phone, sent to a new client that has nothing to resume from. */
  snapshot?: () => PhoneState[];
  firstId?: number;
  now?: () => number;
}

export const DEFAULT_HEARTBEAT_MS = 2000;
export const DEFAULT_STALE_AFTER_MS = 3000;

/**
 * Stale after 3 poll intervals without a successful read, but never under 2 s: with fast polls (250 ms) a
 * command ahead of a poll or a slow answer would otherwise flag a phone that is fine.
 */
export function staleLimitMs(pollIntervalMs: number): number {
  return Math.max(3 * pollIntervalMs, 2000);
}

function frameOf(id: number | null, type: string, data: unknown): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The phones without a successful read within `staleAfterMs` of `now`, with their last read. */
export function staleOf(
  states: readonly PhoneState[],
  now: number,
  staleAfterMs: number,
): Record<string, string | null> {
  const stale: Record<string, string | null> = {};
  for (const s of states) {
    const readAt = s.updatedAt === null ? Number.NaN : Date.parse(s.updatedAt);
    if (!(now - readAt <= staleAfterMs)) stale[s.phoneId] = s.updatedAt;
  }
  return stale;
}

export class EventHub {
  private nextId: number;
  private readonly buffer: Stored[] = [];
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly bufferSize: number;
  private readonly maxBufferedBytes: number;
  readonly heartbeatMs: number;
  readonly staleAfterMs: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: EventHubOptions) {
    // Ids start at the boot time in ms: still incremental, and a browser resuming with an id from the
    // previous run (before a restart) is never mistaken for one that saw this run's events.
    this.nextId = options.firstId ?? Date.now();
    this.bufferSize = options.bufferSize ?? 500;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1_000_000;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.now = options.now ?? Date.now;
    this.heartbeat = setInterval(() => this.sendFreshness(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The id the next event will get minus one: the newest id so far (0 before any). */
  get lastId(): number {
    return this.nextId - 1;
  }

  publish(event: HubEvent): number {
    const id = this.nextId++;
    // Encoded once: a thousand connections get the same bytes, not a thousand UTF-8 conversions.
    const frame = Buffer.from(frameOf(id, event.type, event.data));
    this.buffer.push({ id, event, frame });
    if (this.buffer.length > this.bufferSize) this.buffer.splice(0, this.buffer.length - this.bufferSize);
    const named = carriesNames(event);
    for (const client of this.clients) {
      if (client.canSee && !concerns(event, client.canSee)) continue;
      if (named && !client.calls) continue;
      this.write(client, frame);
    }
    return id;
  }

  /** What the next heartbeat would say to a principal who sees every phone. */
  freshness(): Freshness {
    const serverTime = this.now();
    return {
      serverTime,
      staleAfterMs: this.staleAfterMs,
      heartbeatMs: this.heartbeatMs,
      stale: staleOf(this.options.snapshot?.() ?? [], serverTime, this.staleAfterMs),
    };
  }

  /**
   * The express handler for `GET /api/events`. `canSeeOf` limits events to the phones a principal may see;
   * undefined from it means every phone. `seesCallsOf` false: no `call` events (a wall's display key).
   */
  handler(
    canSeeOf: (res: Response) => ((phoneId: string) => boolean) | undefined = () => undefined,
    seesCallsOf: (res: Response) => boolean = () => true,
  ): RequestHandler {
    return (req: Request, res: Response) => {
      if (this.closed) {
        res.status(503).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        // Reverse proxies (nginx) would otherwise buffer the stream and delay every event.
        'X-Accel-Buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      const client: Client = { res, canSee: canSeeOf(res), calls: seesCallsOf(res) };
      const sees = (e: HubEvent) =>
        (!client.canSee || concerns(e, client.canSee)) && (client.calls || !carriesNames(e));
      this.clients.add(client);
      const drop = () => this.clients.delete(client);
      res.on('close', drop);
      res.on('error', drop);

      let head = 'retry: 2000\n\n';
      const resumeFrom = parseLastEventId(req);
      const oldest = this.buffer[0]?.id ?? this.nextId;
      if (resumeFrom !== null && resumeFrom >= oldest - 1 && resumeFrom < this.nextId) {
        // Everything missed is still in the buffer: replay exactly that.
        for (const s of this.buffer) if (s.id > resumeFrom && sees(s.event)) head += s.frame;
      } else {
        // A fresh client, or one that missed more than we keep: start from the current state of every phone.
        for (const state of this.options.snapshot?.() ?? []) {
          if (sees({ type: 'state', data: state })) head += frameOf(null, 'state', state);
        }
      }
      // Freshness at once: a page knows which tiles are current without waiting for the first heartbeat.
      const fresh = this.freshness();
      head += frameOf(null, 'freshness', client.canSee ? visibleTo(fresh, client.canSee) : fresh);
      this.write(client, Buffer.from(head));
    };
  }

  /** Ends every stream (shutdown); browsers reconnect to the next server and resume. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  /** One heartbeat: computed and serialized once; a limited principal gets its own only when it differs. */
  private sendFreshness(): void {
    if (this.clients.size === 0) return;
    const fresh = this.freshness();
    const staleIds = Object.keys(fresh.stale);
    const shared = Buffer.from(frameOf(null, 'freshness', fresh));
    for (const client of this.clients) {
      const { canSee } = client;
      if (!canSee || staleIds.every(canSee)) this.write(client, shared);
      else this.write(client, Buffer.from(frameOf(null, 'freshness', visibleTo(fresh, canSee))));
    }
  }

  private write(client: Client, frame: Buffer): void {
    const { res } = client;
    if (res.writableEnded || res.destroyed) {
      this.clients.delete(client);
      return;
    }
    if (res.writableLength > this.maxBufferedBytes) {
      this.options.logger.warn(
        { buffered: res.writableLength },
        'SSE client too slow: dropped (it can resume)',
      );
      this.clients.delete(client);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}

function visibleTo(fresh: Freshness, canSee: (phoneId: string) => boolean): Freshness {
  const stale: Record<string, string | null> = {};
  for (const [id, readAt] of Object.entries(fresh.stale)) if (canSee(id)) stale[id] = readAt;
  return { ...fresh, stale };
}

function parseLastEventId(req: Request): number | null {
  const header =
    req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : '');
  if (!/^\d{1,15}$/.test(header.trim())) return null;
  return Number(header.trim());
}
