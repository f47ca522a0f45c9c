/**
 * Action URL: on an event the phone sends an HTTP GET to a configured URL, filled with variables, without
 * authentication (field notes, "Push: Action URL"). Fire and forget: failures are counted, never thrown.
 * Quirks kept on purpose: unfilled variables go out literally (`$remote` on a DND event), a leading `+`
 * stays a raw `+`, and with `rawDisplayNames` display names go out unencoded. A template is just a URL,
 * variables may stand anywhere in it (the vendor's path style `/mac=$mac&remote=$remote`, no `?`), and
 * the scheme may be left out, as admins do. The request is written on a plain TCP socket because node:http
 * refuses a request line with spaces, which real phones send.
 */
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import type { PhoneEvent, PhoneEventKind } from './phone-state.ts';

export const ACTION_EVENTS = [
  'incoming',
  'outgoing',
  'established',
  'terminated',
  'missed',
  'offhook',
  'onhook',
  'dnd_on',
  'dnd_off',
  'forward_on',
  'forward_off',
  'blind_transfer',
  'attended_transfer',
  'hold',
  'unhold',
  'registered',
  'unregistered',
] as const satisfies readonly PhoneEventKind[];
export type ActionEvent = (typeof ACTION_EVENTS)[number];

export type ActionUrls = Partial<Record<ActionEvent, string>>;

/** What the phone knows about itself and the event's account, for the variables. */
export interface ActionContext {
  phoneIp: string;
  mac: string;
  product: string;
  firmware: string;
  account?: { sipId: string; name: string; sipServer: string };
}

export interface ActionUrlStats {
  sent: number;
  failed: number;
}

const VARIABLE =
  /\$(phone_ip|mac|product|program_version|display_local|local|display_remote|remote|call-id|active_user|active_host|duration|calldirection)/g;

/** The `+` of an international number stays raw, as phones send it (a query parser reads it as a space). */
function encodeValue(value: string): string {
  return value.startsWith('+') ? `+${encodeURIComponent(value.slice(1))}` : encodeURIComponent(value);
}

export function fillTemplate(
  template: string,
  event: PhoneEvent,
  ctx: ActionContext,
  rawNames = false,
): string {
  const call = event.call;
  const values: Record<string, string | undefined> = {
    phone_ip: ctx.phoneIp,
    mac: ctx.mac,
    product: ctx.product,
    program_version: ctx.firmware,
    local: ctx.account?.sipId,
    display_local: ctx.account?.name,
    active_user: ctx.account?.sipId,
    active_host: ctx.account?.sipServer,
    remote: call?.remoteNumber,
    display_remote: call?.remoteName,
    'call-id': call?.callId || undefined,
    duration: call ? String(event.duration) : undefined,
    calldirection: call?.direction || undefined,
  };
  return template.replace(VARIABLE, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    const raw = rawNames && (name === 'display_remote' || name === 'display_local');
    return raw ? value : encodeValue(value);
  });
}

/** `http://` is optional (a bare `host:port/path` is how many admins type it); other schemes fail. */
const URL_PATTERN = /^(?:http:\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([^#]*)/i;
const OTHER_SCHEME = /^(?!http:\/\/)[a-z][a-z0-9+.-]*:\/\//i;
const TIMEOUT_MS = 5000;

export class ActionUrlSender {
  readonly stats: ActionUrlStats = { sent: 0, failed: 0 };
  private readonly sockets = new Set<Socket>();

  constructor(public urls: ActionUrls) {}

  /** Sends the event's GET on the next tick, if a URL is set for it. */
  fire(event: PhoneEvent, ctx: ActionContext, rawNames: boolean): void {
    const template = this.urls[event.kind as ActionEvent];
    if (!template) return;
    const url = fillTemplate(template, event, ctx, rawNames);
    setImmediate(() => this.send(url, ctx));
  }

  private send(url: string, ctx: ActionContext): void {
    const match = OTHER_SCHEME.test(url) ? null : URL_PATTERN.exec(url);
    if (!match?.[1]) {
      this.stats.failed++;
      return;
    }
    const host = match[1].replace(/^\[|\]$/g, '');
    const port = Number(match[2] ?? 80);
    const path = match[3]?.startsWith('/') ? match[3] : `/${match[3] ?? ''}`;
    const socket = connect({ host, port });
    this.sockets.add(socket);
    let head = '';
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      if (ok) this.stats.sent++;
      else this.stats.failed++;
      socket.destroy();
      this.sockets.delete(socket);
    };
    socket.setTimeout(TIMEOUT_MS, () => finish(false));
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${match[1]}${match[2] ? `:${match[2]}` : ''}\r\n` +
          `User-Agent: Grandstream ${ctx.product} ${ctx.firmware}\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (status) finish(Number(status[1]) < 400);
      else if (head.includes('\r\n')) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
