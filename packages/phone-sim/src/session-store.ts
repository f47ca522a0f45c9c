/**
 * The web sessions of session-only firmware (field notes, "Session login"): one session per account, a
 * sid that expires `ttlMs` after the last request that carried it, and the login nonce per account.
 * Time is passed in and expiry is checked when a sid is looked at, so a phone owns no timer for its
 * sessions: idle phones cost nothing, and a phone holds at most one session and one nonce per account.
 */
import { randomBytes } from 'node:crypto';

export type SessionRole = 'admin' | 'user';

interface Session {
  readonly sid: string;
  readonly username: string;
  readonly role: SessionRole;
  lastSeen: number;
}

export interface SessionCounters {
  logins: number;
  failedLogins: number;
}

export class SessionStore {
  private readonly byUser = new Map<string, Session>();
  private readonly nonces = new Map<string, string>();
  readonly counters: SessionCounters = { logins: 0, failedLogins: 0 };

  constructor(public ttlMs: number) {}

  /** A fresh nonce for `username`; it replaces the previous one, which dologin no longer accepts. */
  issueNonce(username: string): string {
    const nonce = randomBytes(8).toString('hex');
    this.nonces.set(username, nonce);
    return nonce;
  }

  nonceOf(username: string): string | undefined {
    return this.nonces.get(username);
  }

  /** A new session for `username`; the account's previous session ends (one session per account). */
  open(username: string, role: SessionRole, now: number): string {
    const sid = randomBytes(16).toString('hex');
    this.byUser.set(username, { sid, username, role, lastSeen: now });
    this.counters.logins++;
    return sid;
  }

  /** The role of a live sid, refreshing it; undefined for an unknown, ended or expired sid. */
  touch(sid: string | undefined, now: number): SessionRole | undefined {
    const session = this.find(sid, now);
    if (!session) return undefined;
    session.lastSeen = now;
    return session.role;
  }

  /** Ends a live sid; false when it was not live. */
  end(sid: string | undefined, now: number): boolean {
    const session = this.find(sid, now);
    if (!session) return false;
    this.byUser.delete(session.username);
    return true;
  }

  /** Sessions not yet expired at `now`. */
  active(now: number): number {
    let count = 0;
    for (const session of this.byUser.values()) if (!this.expired(session, now)) count++;
    return count;
  }

  /** Reboot, profile change: every session and nonce ends; the counters stay for tests to read. */
  clear(): void {
    this.byUser.clear();
    this.nonces.clear();
  }

  private find(sid: string | undefined, now: number): Session | undefined {
    if (!sid) return undefined;
    for (const session of this.byUser.values()) {
      if (session.sid !== sid) continue;
      if (!this.expired(session, now)) return session;
      this.byUser.delete(session.username);
      return undefined;
    }
    return undefined;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeen >= this.ttlMs;
  }
}
