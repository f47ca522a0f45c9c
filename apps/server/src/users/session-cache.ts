/**
 * The principals of sessions checked a moment ago, so a burst of requests on one session (an operator
 * clicking, a console opening its streams) does not read the session row and its user from the database
 * every time: that pair of queries was most of what a command cost the server itself.
 *
 * It never lets an ended credential through:
 * - every write to the users tables through the service's repository (sign-out, revocation, a user
 *   disabled, demoted, given other phones, deleted, a display key deleted) clears it, after the write;
 * - a lookup that was already under way when a write finished is not kept (the generation moved), so a
 *   row read just before a change cannot come back after it;
 * - the absolute and idle expiry are still checked on every request, against the cached row;
 * - an entry is kept at most `ttlMs`, which bounds what a change made outside this process (by hand in
 *   the database) can take to be seen.
 */
import type { Principal } from '../access/access.ts';
import type { SessionRecord, UsersRepository } from './users-repository.ts';

export interface CachedSession {
  session: SessionRecord;
  principal: Principal;
  /** When this entry is dropped whatever happens. */
  until: number;
}

/** A fleet of walls and consoles is hundreds of sessions; past this many the cache starts again. */
const MAX_ENTRIES = 10_000;

export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  private generation = 0;

  constructor(private readonly ttlMs: number) {}

  get(idHash: string, now: number): CachedSession | undefined {
    const entry = this.entries.get(idHash);
    if (entry === undefined) return undefined;
    if (now < entry.until) return entry;
    this.entries.delete(idHash);
    return undefined;
  }

  /** Taken before reading the database: `put` keeps the result only if nothing was written since. */
  mark(): number {
    return this.generation;
  }

  put(idHash: string, session: SessionRecord, principal: Principal, mark: number, now: number): void {
    if (this.ttlMs <= 0 || mark !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(idHash, { session, principal: Object.freeze(principal), until: now + this.ttlMs });
  }

  forget(idHash: string): void {
    this.entries.delete(idHash);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

/**
 * Reads, and the throttled "last used" writes, which change nothing a principal is made of; every
 * other method (including any added later) clears the cache when it settles.
 */
const KEEPS_CACHE = /^(get|list|count|activeAdminIds$|userSessionHashes$|keySessionHashes$|touch)/;

/** The repository with every write clearing `cache` once it settled (committed or failed). */
export function clearingOnWrite(repository: UsersRepository, cache: SessionCache): UsersRepository {
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
