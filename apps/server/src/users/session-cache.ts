/**
 * The principals of sessions, and the API tokens, checked a moment ago, so a burst of requests on one
 * session (an operator clicking, a console opening its streams) or one token (a script) does not read the
 * session row or token and its user from the database every time: that pair of queries was most of what
 * a command cost the server itself.
 *
 * It never lets an ended credential through:
 * - every write to the users tables through the service's repository (sign-out, revocation, a user
 *   disabled, demoted, given other phones, deleted, a display key deleted, a token revoked) clears it,
 *   after the write;
 * - a lookup that was already under way when a write finished is not kept (the generation moved), so a
 *   row read just before a change cannot come back after it;
 * - the absolute and idle expiry (a token's expiry and its creator's state) are still checked on every
 *   request, against the cached rows;
 * - an entry is kept at most `ttlMs`, which bounds what a change made outside this process (by hand in
 *   the database) can take to be seen.
 */
import type { Principal } from '../access/access.ts';
import type { SessionRecord, TokenRecord, UserRecord, UsersRepository } from './users-repository.ts';

export interface CachedSession {
  session: SessionRecord;
  principal: Principal;
  /** When this entry is dropped whatever happens. */
  until: number;
}

/** A checked API token and its creator (whose state decides whether the token still works). */
export interface CachedToken {
  token: TokenRecord;
  creator: UserRecord | undefined;
  until: number;
}

/** A fleet of walls and consoles is hundreds of sessions; past this many the cache starts again. */
const MAX_ENTRIES = 10_000;

/**
 * Entries kept at most `ttlMs`, all dropped by `clear()`; `put` keeps a value only if nothing was
 * written since its `mark()` (a row read before a write cannot come back after it).
 */
class CredentialCache<T extends { until: number }> {
  private readonly entries = new Map<string, T>();
  private generation = 0;

  constructor(protected readonly ttlMs: number) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now < entry.until) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** Taken before reading the database: `put` keeps the result only if nothing was written since. */
  mark(): number {
    return this.generation;
  }

  protected keep(key: string, entry: T, mark: number): void {
    if (this.ttlMs <= 0 || mark !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, entry);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

export class SessionCache extends CredentialCache<CachedSession> {
  put(idHash: string, session: SessionRecord, principal: Principal, mark: number, now: number): void {
    this.keep(idHash, { session, principal: Object.freeze(principal), until: now + this.ttlMs }, mark);
  }
}

/** API tokens by their secret's hash: a script's every request would otherwise read the token and its creator. */
export class TokenCache extends CredentialCache<CachedToken> {
  put(
    secretHash: string,
    token: TokenRecord,
    creator: UserRecord | undefined,
    mark: number,
    now: number,
  ): void {
    this.keep(secretHash, { token, creator, until: now + this.ttlMs }, mark);
  }
}

/**
 * Reads, and the throttled "last used" writes, which change nothing a principal is made of; every
 * other method (including any added later) clears the cache when it settles.
 */
const KEEPS_CACHE = /^(get|list|count|activeAdminIds$|userSessionHashes$|keySessionHashes$|touch)/;

/** The repository with every write clearing `cache` once it settled (committed or failed). */
export function clearingOnWrite(repository: UsersRepository, cache: { clear(): void }): UsersRepository {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repository)) {
    if (typeof value !== 'function' || KEEPS_CACHE.test(name)) {
      wrapped[name] = typeof value === 'function' ? value.bind(wrapped) : value;
      continue;
    }
    const write = value as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await write.apply(wrapped, args);
      } finally {
        cache.clear();
      }
    };
  }
  return wrapped as UsersRepository;
}
