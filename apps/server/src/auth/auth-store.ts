/**
 * SQL for users, sessions, API tokens and display keys (tables in schema.ts).
 * Every row read from SQLite is turned into a typed value here; nothing else
 * writes SQL for these tables.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@linedeck/contract';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';

/** A fresh 256-bit secret, prefixed so a leaked one is recognisable (`ldt_` token, `ldk_` display key, `lds_` session). */
export function newSecret(prefix: 'ldt' | 'ldk' | 'lds'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex: how sessions, tokens and display keys are stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const phoneIdsJson = z.string().transform((text, ctx) => {
  const parsed = z.array(z.string()).safeParse(JSON.parse(text));
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'phone_ids is not a list of ids' });
    return z.NEVER;
  }
  return parsed.data;
});
const roleColumn = z.enum(['admin', 'operator', 'viewer']);

const userRow = z.object({
  id: z.string(),
  username: z.string(),
  password_hash: z.string(),
  role: roleColumn,
  phone_ids: phoneIdsJson,
  disabled: z.number(),
  must_change_password: z.number(),
  created_at: z.string(),
});

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  phoneIds: string[];
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

function toUser(row: unknown): UserRecord {
  const r = userRow.parse(row);
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role,
    phoneIds: r.phone_ids,
    disabled: r.disabled !== 0,
    mustChangePassword: r.must_change_password !== 0,
    createdAt: r.created_at,
  };
}

const sessionRow = z.object({
  id_hash: z.string(),
  user_id: z.string().nullable(),
  display_key_id: z.string().nullable(),
  created_at: z.number(),
  last_seen_at: z.number(),
  expires_at: z.number(),
});
export interface SessionRecord {
  idHash: string;
  userId: string | null;
  displayKeyId: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

const tokenRow = z.object({
  id: z.string(),
  name: z.string(),
  role: roleColumn,
  created_by: z.string().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}
function toToken(row: unknown): TokenRecord {
  const r = tokenRow.parse(row);
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

const displayKeyRow = z.object({
  id: z.string(),
  name: z.string(),
  phone_ids: phoneIdsJson,
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export interface DisplayKeyRecord {
  id: string;
  name: string;
  phoneIds: string[];
  createdAt: string;
  lastUsedAt: string | null;
}
function toDisplayKey(row: unknown): DisplayKeyRecord {
  const r = displayKeyRow.parse(row);
  return {
    id: r.id,
    name: r.name,
    phoneIds: r.phone_ids,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  phoneIds: string[];
  mustChangePassword: boolean;
}

export interface UserPatch {
  role?: Role;
  phoneIds?: string[];
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

export class AuthStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      countUsers: p('SELECT COUNT(*) AS n FROM users'),
      listUsers: p('SELECT * FROM users ORDER BY username COLLATE NOCASE'),
      userById: p('SELECT * FROM users WHERE id = ?'),
      userByName: p('SELECT * FROM users WHERE username = ? COLLATE NOCASE'),
      insertUser:
        p(`INSERT INTO users (id, username, password_hash, role, phone_ids, disabled, must_change_password,
        created_at, updated_at) VALUES (@id, @username, @passwordHash, @role, @phoneIds, 0, @mustChangePassword, @now, @now)`),
      deleteUser: p('DELETE FROM users WHERE id = ?'),
      activeAdmins: p("SELECT id FROM users WHERE role = 'admin' AND disabled = 0"),

      insertSession:
        p(`INSERT INTO sessions (id_hash, user_id, display_key_id, created_at, last_seen_at, expires_at)
        VALUES (@idHash, @userId, @displayKeyId, @now, @now, @expiresAt)`),
      sessionByHash: p('SELECT * FROM sessions WHERE id_hash = ?'),
      touchSession: p('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
      deleteSession: p('DELETE FROM sessions WHERE id_hash = ?'),
      deleteUserSessions: p('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?'),
      userSessionHashes: p('SELECT id_hash FROM sessions WHERE user_id = ?'),
      deleteExpired: p('DELETE FROM sessions WHERE expires_at <= ?'),
      deleteIdleUser: p('DELETE FROM sessions WHERE user_id IS NOT NULL AND last_seen_at <= ?'),
      deleteIdleDisplay: p('DELETE FROM sessions WHERE display_key_id IS NOT NULL AND last_seen_at <= ?'),

      insertToken: p(`INSERT INTO api_tokens (id, name, role, secret_hash, created_by, created_at)
        VALUES (@id, @name, @role, @secretHash, @createdBy, @now)`),
      listTokens: p('SELECT * FROM api_tokens ORDER BY created_at, id'),
      tokenByHash: p('SELECT * FROM api_tokens WHERE secret_hash = ?'),
      touchToken: p('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      deleteToken: p('DELETE FROM api_tokens WHERE id = ?'),

      insertKey: p(`INSERT INTO display_keys (id, name, secret_hash, phone_ids, created_at)
        VALUES (@id, @name, @secretHash, @phoneIds, @now)`),
      listKeys: p('SELECT * FROM display_keys ORDER BY created_at, id'),
      keyById: p('SELECT * FROM display_keys WHERE id = ?'),
      keyByHash: p('SELECT * FROM display_keys WHERE secret_hash = ?'),
      touchKey: p('UPDATE display_keys SET last_used_at = ? WHERE id = ?'),
      deleteKey: p('DELETE FROM display_keys WHERE id = ?'),
      keySessionHashes: p('SELECT id_hash FROM sessions WHERE display_key_id = ?'),
    };
  }

  private st(name: string): Statement {
    const statement = this.s[name];
    if (!statement) throw new Error(`No statement ${name}`);
    return statement;
  }

  // ---------- users ----------

  countUsers(): number {
    return (this.st('countUsers').get() as { n: number }).n;
  }

  listUsers(): UserRecord[] {
    return this.st('listUsers').all().map(toUser);
  }

  getUser(id: string): UserRecord | undefined {
    const row = this.st('userById').get(id);
    return row === undefined ? undefined : toUser(row);
  }

  getUserByUsername(username: string): UserRecord | undefined {
    const row = this.st('userByName').get(username);
    return row === undefined ? undefined : toUser(row);
  }

  insertUser(user: NewUser, now: string): UserRecord {
    const id = randomUUID();
    this.st('insertUser').run({
      id,
      username: user.username,
      passwordHash: user.passwordHash,
      role: user.role,
      phoneIds: JSON.stringify(user.phoneIds),
      mustChangePassword: user.mustChangePassword ? 1 : 0,
      now,
    });
    return this.getUser(id) as UserRecord;
  }

  updateUser(id: string, patch: UserPatch, now: string): UserRecord | undefined {
    const sets: string[] = [];
    const values: Record<string, unknown> = { id, now };
    if (patch.role !== undefined) {
      sets.push('role = @role');
      values.role = patch.role;
    }
    if (patch.phoneIds !== undefined) {
      sets.push('phone_ids = @phoneIds');
      values.phoneIds = JSON.stringify(patch.phoneIds);
    }
    if (patch.disabled !== undefined) {
      sets.push('disabled = @disabled');
      values.disabled = patch.disabled ? 1 : 0;
    }
    if (patch.passwordHash !== undefined) {
      sets.push('password_hash = @passwordHash');
      values.passwordHash = patch.passwordHash;
    }
    if (patch.mustChangePassword !== undefined) {
      sets.push('must_change_password = @mustChangePassword');
      values.mustChangePassword = patch.mustChangePassword ? 1 : 0;
    }
    if (sets.length > 0) {
      this.db.prepare(`UPDATE users SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`).run(values);
    }
    return this.getUser(id);
  }

  deleteUser(id: string): boolean {
    return this.st('deleteUser').run(id).changes > 0;
  }

  activeAdminIds(): string[] {
    return (this.st('activeAdmins').all() as { id: string }[]).map((r) => r.id);
  }

  /** Runs `fn` in one transaction (for checks like "not the last admin" and the change they guard). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---------- sessions ----------

  insertSession(
    session: { idHash: string; userId: string | null; displayKeyId: string | null; expiresAt: number },
    now: number,
  ): void {
    this.st('insertSession').run({ ...session, now });
  }

  getSession(idHash: string): SessionRecord | undefined {
    const row = this.st('sessionByHash').get(idHash);
    if (row === undefined) return undefined;
    const r = sessionRow.parse(row);
    return {
      idHash: r.id_hash,
      userId: r.user_id,
      displayKeyId: r.display_key_id,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
    };
  }

  touchSession(idHash: string, now: number): void {
    this.st('touchSession').run(now, idHash);
  }

  deleteSession(idHash: string): void {
    this.st('deleteSession').run(idHash);
  }

  /** Ends every session of a user but `exceptHash` (the one that asked, when it stays signed in). */
  deleteUserSessions(userId: string, exceptHash = ''): void {
    this.st('deleteUserSessions').run(userId, exceptHash);
  }

  userSessionHashes(userId: string): string[] {
    return (this.st('userSessionHashes').all(userId) as { id_hash: string }[]).map((r) => r.id_hash);
  }

  keySessionHashes(keyId: string): string[] {
    return (this.st('keySessionHashes').all(keyId) as { id_hash: string }[]).map((r) => r.id_hash);
  }

  /** Forgets sessions past their absolute or idle expiry. */
  deleteExpiredSessions(now: number, userIdleMs: number, displayIdleMs: number): void {
    this.st('deleteExpired').run(now);
    this.st('deleteIdleUser').run(now - userIdleMs);
    this.st('deleteIdleDisplay').run(now - displayIdleMs);
  }

  // ---------- API tokens ----------

  insertToken(
    token: { name: string; role: Role; secretHash: string; createdBy: string | null },
    now: string,
  ): string {
    const id = randomUUID();
    this.st('insertToken').run({ id, ...token, now });
    return id;
  }

  listTokens(): TokenRecord[] {
    return this.st('listTokens').all().map(toToken);
  }

  getTokenByHash(secretHash: string): TokenRecord | undefined {
    const row = this.st('tokenByHash').get(secretHash);
    return row === undefined ? undefined : toToken(row);
  }

  touchToken(id: string, now: string): void {
    this.st('touchToken').run(now, id);
  }

  deleteToken(id: string): boolean {
    return this.st('deleteToken').run(id).changes > 0;
  }

  // ---------- display keys ----------

  insertDisplayKey(key: { name: string; phoneIds: string[]; secretHash: string }, now: string): string {
    const id = randomUUID();
    this.st('insertKey').run({
      id,
      name: key.name,
      secretHash: key.secretHash,
      phoneIds: JSON.stringify(key.phoneIds),
      now,
    });
    return id;
  }

  listDisplayKeys(): DisplayKeyRecord[] {
    return this.st('listKeys').all().map(toDisplayKey);
  }

  getDisplayKey(id: string): DisplayKeyRecord | undefined {
    const row = this.st('keyById').get(id);
    return row === undefined ? undefined : toDisplayKey(row);
  }

  getDisplayKeyByHash(secretHash: string): DisplayKeyRecord | undefined {
    const row = this.st('keyByHash').get(secretHash);
    return row === undefined ? undefined : toDisplayKey(row);
  }

  touchDisplayKey(id: string, now: string): void {
    this.st('touchKey').run(now, id);
  }

  /** Deletes the key; its sessions go with it (ON DELETE CASCADE). */
  deleteDisplayKey(id: string): boolean {
    return this.st('deleteKey').run(id).changes > 0;
  }
}
