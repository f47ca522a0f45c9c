/**
 * `GET /hooks/action-url/:phoneId[/:token]`: the phone's Action URL push (field notes, "Push: Action URL").
 * Every push counts only when it comes from the phone's own address, is answered 204 with no body before
 * any check (so it reveals neither which phone ids exist nor whose address or token matched), and kicks
 * the phone's poller (rate-limited), which reads the truth through the phone's queue. Without the phone's
 * hook token that is all it does: a WAKE-UP ONLY, since phones send it without any credential. With the
 * token, from the phone's address, it is a trusted push: its event is recorded at once
 * (phones/push-events.ts: a ringing or missed call, DND, forward), so a ring shorter than the gap between
 * two polls is not lost. Neither kind ever resumes a poller stopped for a refused credential (lockouts).
 * Push can miss events: polling stays the safety net.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { parseHookTarget, pushOf } from './push-events.ts';
import { originOf, type Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

export const ACTION_URL_PATH = '/hooks/action-url';
/** Real hooks are short (re-encoded names included); anything longer is not from a phone. */
const MAX_URL_LENGTH = 2048;
/** Trusted pushes recorded per phone and second; more (a phone in a loop) only wake the poller. */
const MAX_TRUSTED_PER_SECOND = 20;
/** A failed name lookup is tried again after this long (the phone's DNS entry may come later). */
const RESOLVE_RETRY_MS = 30_000;

export interface ActionUrlHookOptions {
  registry: Pick<Registry, 'has' | 'get' | 'entry' | 'hookToken'>;
  /** Where trusted pushes are recorded. */
  cache: Pick<StateCache, 'applyPush'>;
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
  lastTrustedAt: string | null;
  /** Trusted pushes in the current second, for MAX_TRUSTED_PER_SECOND. */
  trustedWindow: { startMs: number; count: number };
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

/**
 * The URL for a debug line: the phone id and the `event` name stay; the token and every variable after
 * it (path-style or in the query: caller names, numbers) go.
 */
export function redactHookUrl(url: string): string {
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  const prefix = `${ACTION_URL_PATH}/`;
  let shownPath = ACTION_URL_PATH;
  if (path.startsWith(prefix)) {
    const [id = '', ...more] = path.slice(prefix.length).split('/');
    const hidden = more.some((segment) => segment !== '');
    shownPath = `${prefix}${id.slice(0, 64)}${hidden ? '/[Redacted]' : ''}`;
  }
  if (cut === -1) return shownPath;
  const params = url
    .slice(cut + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return /^[\w-]{1,32}$/.test(pair) ? pair : '[Redacted]';
      const key = pair.slice(0, eq).slice(0, 40);
      const value = pair.slice(eq + 1);
      return key === 'event' && /^[\w-]{1,32}$/.test(value) ? pair : `${key}=[Redacted]`;
    });
  return `${shownPath}?${params.join('&')}`;
}

/** Whether two tokens are equal, in a time that does not depend on where they differ. */
export function tokensMatch(given: string, expected: string): boolean {
  // Equal-length digests: timingSafeEqual needs equal lengths, and the length must not leak either.
  const digest = (token: string) => createHash('sha256').update(token).digest();
  return expected.length > 0 && timingSafeEqual(digest(given), digest(expected));
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

  /** Mounted with `app.use(ACTION_URL_PATH, ...)`: 204 at once, then the checks. */
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

  /** When this phone's last push with a valid token arrived (ISO time). */
  lastTrustedAt(phoneId: string): string | null {
    return this.phones.get(phoneId)?.lastTrustedAt ?? null;
  }

  close(): void {
    this.closed = true;
    for (const phone of this.phones.values()) clearTimeout(phone.trailing);
    this.phones.clear();
  }

  private async receive(req: Request): Promise<void> {
    const url = req.originalUrl;
    // Parsed here, not by Express: a bad escape or an odd shape is one more ignored hook, never an error.
    const target = url.length > MAX_URL_LENGTH ? null : parseHookTarget(req.url);
    const phoneId = target?.phoneId ?? '';
    const push = target ? pushOf(target) : undefined;
    const source = req.socket.remoteAddress ?? '';
    const log = (outcome: string) =>
      this.options.logger.debug(
        {
          phoneId: phoneId.slice(0, 64),
          event: push?.event ?? undefined,
          source,
          url: redactHookUrl(url.slice(0, MAX_URL_LENGTH)),
        },
        `action url ${outcome}`,
      );
    if (this.closed) return;
    if (url.length > MAX_URL_LENGTH) return log('ignored: too long');
    if (!target || !push || !this.options.registry.has(phoneId)) return log('ignored: unknown phone');
    const allowed = await this.addressesOf(this.options.registry.get(phoneId).host);
    if (!sourceMatches(source, allowed)) return log("ignored: not from the phone's address");
    // The phone may have been removed while its name was being resolved.
    if (this.closed || !this.options.registry.has(phoneId)) return;
    const phone = this.phoneHook(phoneId);
    const now = new Date();
    phone.lastReceivedAt = now.toISOString();
    const entry = this.options.registry.entry(phoneId);
    const trusted =
      target.token !== null && tokensMatch(target.token, this.options.registry.hookToken(phoneId));
    if (trusted) {
      phone.lastTrustedAt = now.toISOString();
      if (this.withinTrustedRate(phone, now.getTime())) {
        // Read before the kick: a poll already running may have read the lines before this push.
        const queue = entry.queue.stats();
        // Its strings (caller names) are the phone's words: scrubbed of its secrets like every answer.
        const scrubbed = entry.client.scrub(push);
        this.options.cache.applyPush(phoneId, scrubbed, {
          pollInFlight: queue.inFlight || queue.polls > 0,
          now,
        });
      }
    }
    const kind = trusted ? 'trusted' : 'accepted';
    // An auth stop (refused credential) is left alone: polling again could lock the phone's account.
    if (entry.poller.mode !== 'running') return log(`${kind}, not polling`);
    this.wake(phoneId, phone);
    log(kind);
  }

  private withinTrustedRate(phone: PhoneHook, nowMs: number): boolean {
    const window = phone.trustedWindow;
    if (nowMs - window.startMs >= 1000) {
      window.startMs = nowMs;
      window.count = 0;
    }
    window.count++;
    return window.count <= MAX_TRUSTED_PER_SECOND;
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
      phone = {
        lastKickAt: Number.NEGATIVE_INFINITY,
        trailing: undefined,
        lastReceivedAt: null,
        lastTrustedAt: null,
        trustedWindow: { startMs: 0, count: 0 },
      };
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
