/**
 * Server-Sent Events at `GET /api/events`: `state` (a phone's new state) and
 * `call` (a call event), each with an incremental id. A ring buffer of the
 * last events lets a reconnecting browser resume with `Last-Event-ID`; one
 * shared timer sends heartbeats. This runs for weeks: every closed, failed or
 * hopelessly slow connection is dropped and forgotten.
 */
import type { CallEvent, PhoneState } from '@linedeck/contract';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from './logger.ts';

export type HubEvent = { type: 'state'; data: PhoneState } | { type: 'call'; data: CallEvent };

interface Stored {
  id: number;
  event: HubEvent;
  frame: string;
}

interface Client {
  res: Response;
  canSee: (phoneId: string) => boolean;
}

export interface EventHubOptions {
  logger: Logger;
  /** Events kept for `Last-Event-ID` resume. */
  bufferSize?: number;
  heartbeatMs?: number;
  /** A client whose unsent data passes this is too slow to keep up: it is dropped (it can resume). */
  maxBufferedBytes?: number;
  /** The current state of every phone, sent to a new client that has nothing to resume from. */
  snapshot?: () => PhoneState[];
  firstId?: number;
}

function frameOf(id: number | null, event: HubEvent): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export class EventHub {
  private nextId: number;
  private readonly buffer: Stored[] = [];
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly bufferSize: number;
  private readonly maxBufferedBytes: number;
  private closed = false;

  constructor(private readonly options: EventHubOptions) {
    // Ids start at the boot time in ms: still incremental, and a browser resuming with an id from the
    // previous run (before a restart) is never mistaken for one that saw this run's events.
    this.nextId = options.firstId ?? Date.now();
    this.bufferSize = options.bufferSize ?? 500;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1_000_000;
    this.heartbeat = setInterval(
      () => this.broadcast(': heartbeat\n\n', null),
      options.heartbeatMs ?? 15_000,
    );
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
    const frame = frameOf(id, event);
    this.buffer.push({ id, event, frame });
    if (this.buffer.length > this.bufferSize) this.buffer.splice(0, this.buffer.length - this.bufferSize);
    this.broadcast(frame, event.data.phoneId);
    return id;
  }

  /** The express handler for `GET /api/events`. `canSee` limits events to the phones a principal may see. */
  handler(canSeeOf: (res: Response) => (phoneId: string) => boolean = () => () => true): RequestHandler {
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
      const client: Client = { res, canSee: canSeeOf(res) };
      this.clients.add(client);
      const drop = () => this.clients.delete(client);
      res.on('close', drop);
      res.on('error', drop);

      let head = 'retry: 2000\n\n';
      const resumeFrom = parseLastEventId(req);
      const oldest = this.buffer[0]?.id ?? this.nextId;
      if (resumeFrom !== null && resumeFrom >= oldest - 1 && resumeFrom < this.nextId) {
        // Everything missed is still in the buffer: replay exactly that.
        for (const s of this.buffer)
          if (s.id > resumeFrom && client.canSee(s.event.data.phoneId)) head += s.frame;
      } else {
        // A fresh client, or one that missed more than we keep: start from the current state of every phone.
        for (const state of this.options.snapshot?.() ?? []) {
          if (client.canSee(state.phoneId)) head += frameOf(null, { type: 'state', data: state });
        }
      }
      this.write(client, head);
    };
  }

  /** Ends every stream (shutdown); browsers reconnect to the next server and resume. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private broadcast(frame: string, phoneId: string | null): void {
    for (const client of this.clients) {
      if (phoneId !== null && !client.canSee(phoneId)) continue;
      this.write(client, frame);
    }
  }

  private write(client: Client, frame: string): void {
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

function parseLastEventId(req: Request): number | null {
  const header =
    req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : '');
  if (!/^\d{1,15}$/.test(header.trim())) return null;
  return Number(header.trim());
}
