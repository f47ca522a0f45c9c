/**
 * Sessions, API tokens and display keys: turning a request's credentials into
 * a Principal, and ending credentials at once.
 *
 * - A session id is 32 random bytes in the `linedeck_session` cookie; only
 *   its SHA-256 is stored, so a copy of the database signs nobody in.
 *   User sessions expire after `sessionIdleMs` without a request (sliding)
 *   and `sessionAbsoluteMs` after sign-in, whatever happens. Display-key
 *   sessions live as long as their key (and are idle-expired after a month
 *   of silence).
 * - Every request checks its credential again: a disabled user, a revoked
 *   token or a deleted display key stops working on the very next request.
 *   A session's row and user (a token and its creator) come from the database, or from a cache of a
 *   few seconds that every write to these tables clears (session-cache.ts).
 *   Open SSE streams are ended too, since they would otherwise outlive the
 *   credential that opened them.
 */
import type { Request, Response } from 'express';
import type { Principal } from '../access/access.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from './cookies.ts';
import { type ScryptParams, verifyDummy, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { clearingOnWrite, SessionCache, TokenCache } from './session-cache.ts';
import { refusedTokenMessage, tokenPrincipal, tokenStatus } from './token-rules.ts';
import type {
  DisplayKeyRecord,
  SessionRecord,
  TokenRecord,
  UserRecord,
  UsersRepository,
} from './users-repository.ts';

export interface AuthSettings {
  /** A user session ends after this long without a request (12 h). */
  sessionIdleMs: number;
  /** A user session ends this long after sign-in, active or not (30 days). */
  sessionAbsoluteMs: number;
  /** A display key's session ends after this long without a request (30 days). */
  displayIdleMs: number;
  /** `last_seen_at` / `last_used_at` are written at most this often per credential (60 s). */
  touchEveryMs: number;
  /**
   * A checked session's principal is reused for this long (2 s) unless a write to the users tables
   * clears it first; 0 reads the database on every request. Only changes made outside this process
   * (by hand in the database) can take this long to be seen.
   */
  sessionCacheMs: number;
  /** scrypt cost for new password hashes (tests lower it; see passwords.ts for the default). */
  scrypt?: ScryptParams | undefined;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionIdleMs: 12 * 60 * 60 * 1000,
  sessionAbsoluteMs: 30 * 24 * 60 * 60 * 1000,
  displayIdleMs: 30 * 24 * 60 * 60 * 1000,
  touchEveryMs: 60 * 1000,
  sessionCacheMs: 2000,
};

/** What a wall screen's cookie lasts in the browser (browsers cap cookies at 400 days). */
const DISPLAY_COOKIE_MAX_AGE_MS = 400 * 24 * 60 * 60 * 1000;
/** Sessions are kept "forever" for display keys: the key's life is the limit. */
const NO_ABSOLUTE_EXPIRY = Number.MAX_SAFE_INTEGER;

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

export interface AuthServiceOptions {
  store: UsersRepository;
  logger: Logger;
  settings: AuthSettings;
  /** Milliseconds since the epoch; tests move time forward. */
  now: () => number;
}

/** Open responses (SSE streams) per credential, to end them when the credential ends. */
class LiveResponses {
  private readonly byKey = new Map<string, Set<Response>>();

  track(keys: readonly string[], res: Response): void {
    for (const key of keys) {
      let set = this.byKey.get(key);
      if (!set) {
        set = new Set();
        this.byKey.set(key, set);
      }
      set.add(res);
    }
    res.once('close', () => {
      for (const key of keys) {
        const set = this.byKey.get(key);
        if (!set) continue;
        set.delete(res);
        if (set.size === 0) this.byKey.delete(key);
      }
    });
  }

  /** Ends the streams opened with `key`. A request still being answered finishes normally. */
  end(key: string): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const res of [...set]) {
      if (res.headersSent && !res.writableEnded) res.end();
    }
  }
}

export class AuthService {
  readonly store: UsersRepository;
  readonly settings: AuthSettings;
  private readonly live = new LiveResponses();
  private readonly touched = new Map<string, number>();
  private lastPurge = 0;
  private readonly sessions: SessionCache;
  private readonly tokens: TokenCache;

  constructor(private readonly options: AuthServiceOptions) {
    this.settings = options.settings;
    this.sessions = new SessionCache(options.settings.sessionCacheMs);
    this.tokens = new TokenCache(options.settings.sessionCacheMs);
    // Every writer of these tables (the routes too) goes through this store, so no write can miss the caches.
    this.store = clearingOnWrite(options.store, {
      clear: () => {
        this.sessions.clear();
        this.tokens.clear();
      },
    });
  }

  now(): number {
    return this.options.now();
  }

  isoNow(): string {
    return new Date(this.options.now()).toISOString();
  }

  // ---------- sign-in ----------

  /**
   * The user for these credentials, or null. Unknown user, wrong password and
   * disabled user take the same time and give the same null.
   */
  async verifyCredentials(username: string, password: string): Promise<UserRecord | null> {
    const user = await this.store.getUserByUsername(username);
    if (!user) return verifyDummy(password).then(() => null);
    const ok = await verifyPassword(password, user.passwordHash);
    // Read again: the user may have been disabled while scrypt ran.
    const current = await this.store.getUser(user.id);
    if (!ok || !current || current.disabled) return null;
    return current;
  }

  /** Starts a session for a user or a display key and sets the cookie. Returns the stored hash. */
  async startSession(
    req: Request,
    res: Response,
    owner: { userId: string; displayKeyId?: undefined } | { displayKeyId: string; userId?: undefined },
  ): Promise<string> {
    const now = this.now();
    await this.purgeExpired(now);
    const id = newSecret('lds');
    const idHash = hashSecret(id);
    const isUser = owner.userId !== undefined;
    await this.store.insertSession(
      {
        idHash,
        userId: owner.userId ?? null,
        displayKeyId: owner.displayKeyId ?? null,
        expiresAt: isUser ? now + this.settings.sessionAbsoluteMs : NO_ABSOLUTE_EXPIRY,
        // Shown to the user in their sessions list, so one they do not recognise can be ended.
        userAgent: (req.headers['user-agent'] ?? '').slice(0, 300),
        address: req.ip ?? '',
      },
      now,
    );
    setSessionCookie(req, res, id, isUser ? this.settings.sessionAbsoluteMs : DISPLAY_COOKIE_MAX_AGE_MS);
    return idHash;
  }

  /** Signs out the session behind this request's cookie, if any, and clears the cookie. */
  async endRequestSession(req: Request, res: Response): Promise<void> {
    const id = sessionCookieOf(req);
    if (id) await this.endSession(hashSecret(id));
    clearSessionCookie(req, res);
  }

  /** Deletes the session behind this request's cookie, if any, leaving the cookie to be replaced. */
  async endRequestSessionRow(req: Request): Promise<void> {
    const id = sessionCookieOf(req);
    if (id) await this.endSession(hashSecret(id));
  }

  async endSession(idHash: string): Promise<void> {
    await this.store.deleteSession(idHash);
    this.live.end(`s:${idHash}`);
  }

  /** Ends every session of a user (disabled, deleted, password reset), but `exceptHash`. */
  async endUserSessions(userId: string, exceptHash?: string): Promise<void> {
    const hashes = (await this.store.userSessionHashes(userId)).filter((h) => h !== exceptHash);
    await this.store.deleteUserSessions(userId, exceptHash);
    for (const h of hashes) this.live.end(`s:${h}`);
  }

  /** A user's sessions, newest first, each named by `publicSessionId`. */
  async userSessions(userId: string): Promise<SessionRecord[]> {
    const now = this.now();
    const sessions = await this.store.listUserSessions(userId);
    return sessions.filter((s) => s.expiresAt > now && now - s.lastSeenAt < this.settings.sessionIdleMs);
  }

  /** Ends one of the user's sessions by its public id; false when the user has no such session. */
  async endUserSessionById(userId: string, publicId: string): Promise<boolean> {
    const session = (await this.store.listUserSessions(userId)).find(
      (s) => publicSessionId(s.idHash) === publicId,
    );
    if (!session) return false;
    await this.endSession(session.idHash);
    return true;
  }

  /** A user's role or phones changed: their open streams restart with the new rights. */
  endUserStreams(userId: string): void {
    this.live.end(`u:${userId}`);
  }

  async revokeToken(id: string): Promise<boolean> {
    const deleted = await this.store.deleteToken(id);
    this.live.end(`t:${id}`);
    return deleted;
  }

  async revokeDisplayKey(id: string): Promise<boolean> {
    const deleted = await this.store.deleteDisplayKey(id);
    this.live.end(`k:${id}`);
    return deleted;
  }

  // ---------- request -> principal ----------

  /**
   * The principal behind the request's `Authorization: Bearer` token or
   * session cookie. Throws 401 `unauthenticated` when there is none or it is
   * no longer valid. A Bearer header wins over a cookie, and a bad one is not
   * silently replaced by the cookie.
   */
  async resolve(req: Request, res: Response): Promise<Principal> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const { principal, creatorId, expiresAt } = await this.fromBearer(authorization);
      // Its creator disabled, demoted or deleted: the token's open streams end with the user's.
      this.live.track([`t:${principal.tokenId}`, `u:${creatorId}`], res);
      if (expiresAt !== null) endAtExpiry(res, Date.parse(expiresAt) - this.now());
      return principal;
    }
    const sessionId = sessionCookieOf(req);
    if (sessionId === undefined || sessionId === '') {
      throw new AppError('unauthenticated', 'Sign in first.');
    }
    return this.resolveSession(hashSecret(sessionId), res);
  }

  /** `resolve` for a session cookie, by the hash of its id. */
  private async resolveSession(idHash: string, res: Response): Promise<Principal> {
    const principal = await this.fromSession(idHash);
    if (!principal) {
      // The cookie is left alone: by the time this answer arrives the browser may hold a newer cookie
      // (a kiosk that reopened its wall link), which a clearing Set-Cookie would wipe. Only signing out
      // clears it; a stale cookie is harmless and the next sign-in replaces it.
      throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
    }
    this.trackSession(principal, res);
    return principal;
  }

  /**
   * `resolve`, without a promise to wait for on most requests: a session cookie whose session is cached,
   * live, and has nothing to write now (no "last seen" due, not a display key) answers the principal at
   * once. Anything else (a token, no cookie, not cached, ended, a write due) answers `resolve`'s promise,
   * with the same rules, and the session id hashed once.
   */
  principalFor(req: Request, res: Response): Principal | Promise<Principal> {
    const sessionId = req.headers.authorization === undefined ? sessionCookieOf(req) : undefined;
    if (sessionId === undefined || sessionId === '') return this.resolve(req, res);
    const idHash = hashSecret(sessionId);
    const now = this.now();
    const cached = this.sessions.get(idHash, now);
    const atOnce =
      cached !== undefined &&
      this.isLive(cached.session, now) &&
      !cached.principal.displayKeyId &&
      !this.touchDue(cached.session, now);
    if (!atOnce) return this.resolveSession(idHash, res);
    this.trackSession(cached.principal, res);
    return cached.principal;
  }

  /** The session's open streams end with the session, its user or its display key. */
  private trackSession(principal: Principal, res: Response): void {
    const keys = [`s:${principal.sessionHash}`];
    if (principal.userId) keys.push(`u:${principal.userId}`);
    if (principal.displayKeyId) keys.push(`k:${principal.displayKeyId}`);
    this.live.track(keys, res);
  }

  /** A token works while its creator is an active admin and until it expires (token-rules.ts). */
  private async fromBearer(
    header: string,
  ): Promise<{ principal: Principal; creatorId: string; expiresAt: string | null }> {
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new AppError('unauthenticated', 'Send an API token as "Authorization: Bearer <token>".');
    }
    const { token, creator } = await this.tokenByHash(hashSecret(match[1]));
    const status = tokenStatus(token, creator, this.now());
    if (status !== 'active') throw new AppError('unauthenticated', refusedTokenMessage(status));
    await this.throttledTouch(`t:${token.id}`, () => this.store.touchToken(token.id, this.isoNow()));
    return { principal: tokenPrincipal(token), creatorId: creator?.id ?? '', expiresAt: token.expiresAt };
  }

  /** The token and its creator, from the cache or the database (the status is the caller's to check). */
  private async tokenByHash(
    secretHash: string,
  ): Promise<{ token: TokenRecord; creator: UserRecord | undefined }> {
    const cached = this.tokens.get(secretHash, this.now());
    if (cached) return cached;
    const mark = this.tokens.mark();
    const token = await this.store.getTokenByHash(secretHash);
    if (!token) throw new AppError('unauthenticated', 'This API token is not valid (revoked or mistyped).');
    const creator = token.createdBy === null ? undefined : await this.store.getUser(token.createdBy);
    this.tokens.put(secretHash, token, creator, mark, this.now());
    return { token, creator };
  }

  private async fromSession(idHash: string): Promise<Principal | undefined> {
    const cached = this.sessions.get(idHash, this.now());
    if (cached) {
      return (await this.stillValid(cached.session))
        ? this.seen(cached.session, cached.principal)
        : undefined;
    }
    const mark = this.sessions.mark();
    const session = await this.store.getSession(idHash);
    if (!session || !(await this.stillValid(session))) return undefined;
    const principal = await this.principalOf(session);
    if (!principal) return undefined;
    this.sessions.put(idHash, session, principal, mark, this.now());
    return this.seen(session, principal);
  }

  /** Absolute and idle expiry, checked on every request (cached or not); an expired session is deleted. */
  private async stillValid(session: SessionRecord): Promise<boolean> {
    if (this.isLive(session, this.now())) return true;
    await this.store.deleteSession(session.idHash);
    return false;
  }

  /** Whether the session's "last seen" is to be written now (at most once a minute, see `seen`). */
  private touchDue(session: SessionRecord, now: number): boolean {
    return now - session.lastSeenAt >= this.settings.touchEveryMs;
  }

  private isLive(session: SessionRecord, now: number): boolean {
    const idleMs = session.userId ? this.settings.sessionIdleMs : this.settings.displayIdleMs;
    return session.expiresAt > now && now - session.lastSeenAt < idleMs;
  }

  /** The principal of a live session row, or undefined (the session is deleted) when its owner is gone. */
  private async principalOf(session: SessionRecord): Promise<Principal | undefined> {
    const { idHash } = session;
    let principal: Principal;
    if (session.userId) {
      const user = await this.store.getUser(session.userId);
      if (!user || user.disabled) {
        await this.store.deleteSession(idHash);
        return undefined;
      }
      principal = {
        userId: user.id,
        username: user.username,
        role: user.role,
        phoneIds: user.phoneIds,
        kind: 'user',
        viaCookie: true,
        sessionHash: idHash,
        mustChangePassword: user.mustChangePassword,
      };
    } else {
      const key = session.displayKeyId ? await this.store.getDisplayKey(session.displayKeyId) : undefined;
      if (!key) {
        await this.store.deleteSession(idHash);
        return undefined;
      }
      principal = displayPrincipal(key, idHash);
    }
    return principal;
  }

  /**
   * "Last seen" of the session (its sliding expiry) and of a display key, written at most once a minute
   * rather than on every request; the cached row moves with the write.
   */
  private async seen(session: SessionRecord, principal: Principal): Promise<Principal> {
    const now = this.now();
    const keyId = principal.displayKeyId;
    if (keyId)
      await this.throttledTouch(`k:${keyId}`, () => this.store.touchDisplayKey(keyId, this.isoNow()));
    if (this.touchDue(session, now)) {
      await this.store.touchSession(session.idHash, now);
      session.lastSeenAt = now;
    }
    return principal;
  }

  /** The display key for a secret from a `/wall?key=` link, or undefined. */
  displayKeyBySecret(secret: string): Promise<DisplayKeyRecord | undefined> {
    return this.store.getDisplayKeyByHash(hashSecret(secret));
  }

  touchDisplayKey(id: string): Promise<void> {
    return this.store.touchDisplayKey(id, this.isoNow());
  }

  private async throttledTouch(key: string, write: () => Promise<void>): Promise<void> {
    const now = this.now();
    const last = this.touched.get(key);
    if (last !== undefined && now - last < this.settings.touchEveryMs) return;
    this.touched.set(key, now);
    if (this.touched.size > 10_000) this.touched.clear();
    await write();
  }

  private async purgeExpired(now: number): Promise<void> {
    if (now - this.lastPurge < 60 * 60 * 1000) return;
    this.lastPurge = now;
    await this.store.deleteExpiredSessions(now, this.settings.sessionIdleMs, this.settings.displayIdleMs);
  }

  get logger(): Logger {
    return this.options.logger;
  }
}

/**
 * The name a session is shown and ended by: derived from the stored hash (itself never shown, since the
 * session cache and stream keys use it), so it needs no column and says nothing of the cookie.
 */
export function publicSessionId(idHash: string): string {
  return hashSecret(`session-name:${idHash}`).slice(0, 24);
}

/** setTimeout's longest delay (about 24.8 days); a longer-lived stream is ended then and reconnects. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An open stream of an expiring token ends when the token does (a finished answer clears the timer). */
function endAtExpiry(res: Response, inMs: number): void {
  const timer = setTimeout(
    () => {
      if (res.headersSent && !res.writableEnded) res.end();
    },
    Math.max(0, Math.min(inMs, MAX_TIMER_MS)),
  );
  timer.unref();
  res.once('close', () => clearTimeout(timer));
}

export function displayPrincipal(key: DisplayKeyRecord, sessionHash: string): Principal {
  return {
    userId: null,
    username: `display:${key.name}`,
    role: 'viewer',
    phoneIds: key.phoneIds,
    kind: 'display',
    viaCookie: true,
    sessionHash,
    displayKeyId: key.id,
  };
}
