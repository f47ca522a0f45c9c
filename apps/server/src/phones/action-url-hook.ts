/**
 * `GET /hooks/action-url/:phoneId`: the phone's Action URL push (field notes, "Push: Action URL") as a
 * WAKE-UP ONLY signal. Phones send it without any credential, so nothing in it is trusted: it never changes
 * state, it only kicks that phone's poller, and the normal poll (through the phone's queue, commands first,
 * one request in flight) reads the truth and produces the state and call events. It counts only when it
 * comes from the phone's own address, is rate-limited per phone, and is always answered 204 with no body
 * before any check, so it reveals neither which phone ids exist nor whose address matched. Push can miss
 * events: polling stays the safety net.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { originOf, type Registry } from './registry.ts';

export const ACTION_URL_PATH = '/hooks/action-url';
/** Real hooks are short; anything longer is not from a phone and is not worth parsing. */
const MAX_URL_LENGTH = 1024;
/** A failed name lookup is tried again after this long (the phone's DNS entry may come later). */
const RESOLVE_RETRY_MS = 30_000;

export interface ActionUrlHookOptions {
  registry: Pick<Registry, 'has' | 'get' | 'entry'>;
  logger: Logger;
  /** Least time between two kicks of one phone; hits inside it coalesce into one trailing kick. */
  minGapMs?: number;
  /** A host name's addresses; DNS by default. */
  resolve?: (hostname: string) => Promise<string[]>;
}

interface PhoneHook {
  lastKickAt: number;
  trailing: NodeJS.Timeout | undefined;
  lastReceivedAt: string | null;
}

/** `::ffff:10.0.0.5` (an IPv4 peer on a dual-stack socket) is `10.0.0.5`. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

export function isLoopback(ip: string): boolean {
  const n = normalizeIp(ip);
  return n === '::1' || (isIP(n) === 4 && n.startsWith('127.'));
}

/** The source is the phone's address; a phone on loopback (a simulator) accepts any loopback source. */
export function sourceMatches(source: string, phoneAddresses: ReadonlySet<string>): boolean {
  const n = normalizeIp(source);
  if (phoneAddresses.has(n)) return true;
  return isLoopback(n) && [...phoneAddresses].some(isLoopback);
}

/** The URL for a debug line: the `event` name stays, every other value (caller names, numbers) goes. */
export function redactHookUrl(url: string): string {
  const cut = url.indexOf('?');
  if (cut === -1) return url;
  const params = url
    .slice(cut + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair.slice(0, 40);
      const key = pair.slice(0, eq).slice(0, 40);
      const value = pair.slice(eq + 1);
      return key === 'event' && /^[\w-]{1,32}$/.test(value) ? pair : `${key}=[Redacted]`;
    });
  return `${url.slice(0, cut)}?${params.join('&')}`;
}

/** `/<id>` below the mount point; anything else (no id, more segments, a bad escape) is no phone. */
function phoneIdOf(path: string): string {
  const match = /^\/([^/]+)\/?$/.exec(path);
  if (!match?.[1]) return '';
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return '';
  }
}

export class ActionUrlHook {
  private readonly phones = new Map<string, PhoneHook>();
  /** Phone host (as configured) -> its addresses, resolved once per host. */
  private readonly addresses = new Map<string, Promise<Set<string>>>();
  private readonly minGapMs: number;
  private readonly resolve: (hostname: string) => Promise<string[]>;
  private closed = false;

  constructor(private readonly options: ActionUrlHookOptions) {
    this.minGapMs = options.minGapMs ?? 150;
    this.resolve =
      options.resolve ?? (async (name) => (await lookup(name, { all: true })).map((a) => a.address));
  }

  /**
   * Mounted with `app.use(ACTION_URL_PATH, ...)`: the id is parsed here, not by a route parameter, so
   * a malformed escape is one more ignored hook instead of an error answer. 204 at once, then the checks.
   */
  readonly handler: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A declared body is never read: closing the connection stops the sender from streaming it at us.
    if (req.headers['content-length'] || req.headers['transfer-encoding'])
      res.setHeader('Connection', 'close');
    res.status(204).end();
    void this.receive(req).catch((err: unknown) => {
      this.options.logger.error({ err }, 'action url hook failed');
    });
  };

  /** When this phone's last genuine hook arrived (ISO time), for the diagnosis. */
  lastReceivedAt(phoneId: string): string | null {
    return this.phones.get(phoneId)?.lastReceivedAt ?? null;
  }

  close(): void {
    this.closed = true;
    for (const phone of this.phones.values()) clearTimeout(phone.trailing);
    this.phones.clear();
  }

  private async receive(req: Request): Promise<void> {
    const url = req.originalUrl;
    const phoneId = phoneIdOf(req.path);
    const source = req.socket.remoteAddress ?? '';
    const event = typeof req.query.event === 'string' ? req.query.event.slice(0, 32) : undefined;
    const log = (outcome: string) =>
      this.options.logger.debug(
        { phoneId: phoneId.slice(0, 64), event, source, url: redactHookUrl(url.slice(0, MAX_URL_LENGTH)) },
        `action url ${outcome}`,
      );
    if (this.closed) return;
    if (url.length > MAX_URL_LENGTH) return log('ignored: too long');
    if (!phoneId || !this.options.registry.has(phoneId)) return log('ignored: unknown phone');
    const allowed = await this.addressesOf(this.options.registry.get(phoneId).host);
    if (!sourceMatches(source, allowed)) return log("ignored: not from the phone's address");
    // The phone may have been removed while its name was being resolved.
    if (this.closed || !this.options.registry.has(phoneId)) return;
    const phone = this.phoneHook(phoneId);
    phone.lastReceivedAt = new Date().toISOString();
    // An auth stop (refused passcode) is left alone: polling again could lock the phone's account.
    if (this.options.registry.entry(phoneId).poller.mode !== 'running') return log('ignored: not polling');
    this.wake(phoneId, phone);
    log('accepted');
  }

  /** One kick now, or one trailing kick at the end of the gap: a burst costs at most one extra poll. */
  private wake(phoneId: string, phone: PhoneHook): void {
    const wait = phone.lastKickAt + this.minGapMs - Date.now();
    if (wait <= 0) {
      phone.lastKickAt = Date.now();
      this.kick(phoneId);
      return;
    }
    // Not dropped: a second event (ringing, then answered) must still be seen before the next interval.
    if (phone.trailing) return;
    phone.trailing = setTimeout(() => {
      phone.trailing = undefined;
      phone.lastKickAt = Date.now();
      this.kick(phoneId);
    }, wait);
    phone.trailing.unref();
  }

  private kick(phoneId: string): void {
    // Looked up again: an address or passcode change replaces the phone's poller.
    if (!this.closed && this.options.registry.has(phoneId))
      this.options.registry.entry(phoneId).poller.kick();
  }

  private phoneHook(phoneId: string): PhoneHook {
    let phone = this.phones.get(phoneId);
    if (!phone) {
      phone = { lastKickAt: Number.NEGATIVE_INFINITY, trailing: undefined, lastReceivedAt: null };
      this.phones.set(phoneId, phone);
    }
    return phone;
  }

  private addressesOf(host: string): Promise<Set<string>> {
    let found = this.addresses.get(host);
    if (!found) {
      found = this.lookupHost(host);
      this.addresses.set(host, found);
    }
    return found;
  }

  private async lookupHost(host: string): Promise<Set<string>> {
    let hostname: string;
    try {
      hostname = new URL(originOf(host)).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return new Set();
    }
    if (isIP(hostname)) return new Set([normalizeIp(hostname)]);
    try {
      return new Set((await this.resolve(hostname)).map(normalizeIp));
    } catch {
      setTimeout(() => this.addresses.delete(host), RESOLVE_RETRY_MS).unref();
      return new Set();
    }
  }
}
