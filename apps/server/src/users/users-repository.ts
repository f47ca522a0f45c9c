/**
 * Users, sessions, API tokens and display keys in the database (tables: store/migrations/002-users.ts).
 * Every row read is turned into a typed value here; nothing else queries these tables.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '@linedeck/contract';
import { sql } from 'kysely';
import { z } from 'zod';
import type { DialectName } from '../store/database.ts';
import type { Db } from '../store/schema.ts';

// Built once: a zod schema made inside the transform would be built again for every row read.
const phoneIdList = z.array(z.string());
const phoneIdsJson = z.string().transform((text, ctx) => {
  const parsed = phoneIdList.safeParse(JSON.parse(text));
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
  totp_enabled: z.coerce.number(),
  password_rule: z.coerce.number(),
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
  /** A TOTP code is asked after the password (the secret itself is read only by `getTotp`). */
  totpEnabled: boolean;
  /** The password rule version (passwords.ts) the stored password was judged against; 0: not yet. */
  passwordRule: number;
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
    totpEnabled: r.totp_enabled !== 0,
    passwordRule: r.password_rule,
  };
}

const sessionRow = z.object({
  id_hash: z.string(),
  user_id: z.string().nullable(),
  display_key_id: z.string().nullable(),
  created_at: z.number(),
  last_seen_at: z.number(),
  expires_at: z.number(),
  user_agent: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});
export interface SessionRecord {
  idHash: string;
  userId: string | null;
  displayKeyId: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  /** Where it was signed in from (unknown for sessions older than migration 012). */
  userAgent?: string;
  address?: string;
}
function toSession(row: unknown): SessionRecord {
  const r = sessionRow.parse(row);
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    displayKeyId: r.display_key_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    ...(r.user_agent == null ? {} : { userAgent: r.user_agent }),
    ...(r.address == null ? {} : { address: r.address }),
  };
}

/** A user's TOTP state: the sealed secret (set at enrolment) and the last step a code was taken for. */
export interface TotpRecord {
  sealedSecret: string | null;
  enabled: boolean;
  lastStep: number | null;
}

const tokenRow = z.object({
  id: z.string(),
  name: z.string(),
  role: roleColumn,
  created_by: z.string().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  phone_ids: phoneIdsJson.nullable(),
});
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  /** The user who made it; the token works only while that user is an active admin (token-rules.ts). */
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** Phones it is limited to; null: all phones. */
  phoneIds: string[] | null;
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
    expiresAt: r.expires_at,
    phoneIds: r.phone_ids,
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
  /** Set with a password judged against that rule version; a new hash without it is judged again. */
  passwordRule?: number;
}

const USER_COLUMNS = [
  'id',
  'username',
  'password_hash',
  'role',
  'phone_ids',
  'disabled',
  'must_change_password',
  'created_at',
  'totp_enabled',
  'password_rule',
] as const;
const TOKEN_COLUMNS = [
  'id',
  'name',
  'role',
  'created_by',
  'created_at',
  'last_used_at',
  'expires_at',
  'phone_ids',
] as const;
const KEY_COLUMNS = ['id', 'name', 'phone_ids', 'created_at', 'last_used_at'] as const;

/** Any number that both databases' advisory locks accept: it names "users whose role may change". */
const ADMIN_GUARD_LOCK = 4_242_001;

const affected = (n: bigint | undefined) => Number(n ?? 0) > 0;

export type UsersRepository = UsersQueries & {
  /**
   * Runs `fn` in one transaction with queries bound to it, for a check ("not the last admin") and the
   * change it guards. SQLite runs one writer at a time; on Postgres, whose transactions would each see
   * the other admin still active, an advisory lock makes such guarded changes take turns.
   */
  guarded<T>(fn: (repo: UsersQueries) => Promise<T>): Promise<T>;
};

export function createUsersRepository(db: Db, dialect: DialectName): UsersRepository {
  return {
    ...usersQueries(db),
    guarded: (fn) =>
      db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${ADMIN_GUARD_LOCK})`.execute(trx);
        return fn(usersQueries(trx));
      }),
  };
}

type UsersQueries = ReturnType<typeof usersQueries>;

function usersQueries(db: Db) {
  return {
    // ---------- users ----------

    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listUsers(): Promise<UserRecord[]> {
      const rows = await db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .orderBy(sql`lower(username)`)
        .orderBy('id')
        .execute();
      return rows.map(toUser);
    },

    async getUser(id: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },

    /** Usernames are the same whatever their case (both sides lowered by the database itself). */
    async getUserByUsername(username: string): Promise<UserRecord | undefined> {
      const row = await db
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where(sql`lower(username)`, '=', sql`lower(${username})`)
        .executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },

    async insertUser(user: NewUser, now: string): Promise<UserRecord> {
      const id = randomUUID();
      await db
        .insertInto('users')
        .values({
          id,
          username: user.username,
          password_hash: user.passwordHash,
          role: user.role,
          phone_ids: JSON.stringify(user.phoneIds),
          disabled: 0,
          must_change_password: user.mustChangePassword ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return (await this.getUser(id)) as UserRecord;
    },

    async updateUser(id: string, patch: UserPatch, now: string): Promise<UserRecord | undefined> {
      const set: Record<string, string | number> = {};
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.phoneIds !== undefined) set.phone_ids = JSON.stringify(patch.phoneIds);
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
      if (patch.passwordHash !== undefined) {
        set.password_hash = patch.passwordHash;
        set.password_rule = 0;
      }
      if (patch.passwordRule !== undefined) set.password_rule = patch.passwordRule;
      if (patch.mustChangePassword !== undefined) set.must_change_password = patch.mustChangePassword ? 1 : 0;
      if (Object.keys(set).length > 0) {
        await db
          .updateTable('users')
          .set({ ...set, updated_at: now })
          .where('id', '=', id)
          .execute();
      }
      return this.getUser(id);
    },

    async deleteUser(id: string): Promise<boolean> {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows);
    },

    async activeAdminIds(): Promise<string[]> {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .execute();
      return rows.map((r) => r.id);
    },

    // ---------- sessions ----------

    async insertSession(
      session: {
        idHash: string;
        userId: string | null;
        displayKeyId: string | null;
        expiresAt: number;
        userAgent?: string;
        address?: string;
      },
      now: number,
    ): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          user_id: session.userId,
          display_key_id: session.displayKeyId,
          created_at: now,
          last_seen_at: now,
          expires_at: session.expiresAt,
          user_agent: session.userAgent ?? null,
          address: session.address ?? null,
        })
        .execute();
    },

    /** A user's sessions, newest first. */
    async listUserSessions(userId: string): Promise<SessionRecord[]> {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id_hash')
        .execute();
      return rows.map(toSession);
    },

    async getSession(idHash: string): Promise<SessionRecord | undefined> {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toSession(row);
    },

    async touchSession(idHash: string, now: number): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    },

    async deleteSession(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    /** Ends every session of a user but `exceptHash` (the one that asked, when it stays signed in). */
    async deleteUserSessions(userId: string, exceptHash = ''): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where('id_hash', '<>', exceptHash)
        .execute();
    },

    async userSessionHashes(userId: string): Promise<string[]> {
      const rows = await db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute();
      return rows.map((r) => r.id_hash);
    },

    async keySessionHashes(keyId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('sessions')
        .select('id_hash')
        .where('display_key_id', '=', keyId)
        .execute();
      return rows.map((r) => r.id_hash);
    },

    /** Forgets sessions past their absolute or idle expiry. */
    async deleteExpiredSessions(now: number, userIdleMs: number, displayIdleMs: number): Promise<void> {
      await db
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([
            eb('expires_at', '<=', now),
            eb.and([eb('user_id', 'is not', null), eb('last_seen_at', '<=', now - userIdleMs)]),
            eb.and([eb('display_key_id', 'is not', null), eb('last_seen_at', '<=', now - displayIdleMs)]),
          ]),
        )
        .execute();
    },

    // ---------- TOTP second factor ----------

    async getTotp(userId: string): Promise<TotpRecord | undefined> {
      const row = await db
        .selectFrom('users')
        .select(['totp_secret', 'totp_enabled', 'totp_last_step'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        sealedSecret: row.totp_secret,
        enabled: Number(row.totp_enabled) !== 0,
        lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
      };
    },

    /** Enrolment: a new secret, off until confirmed; the old codes go with the old secret. */
    async setPendingTotp(userId: string, sealedSecret: string, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: sealedSecret, totp_enabled: 0, totp_last_step: null, updated_at: now })
        .where('id', '=', userId)
        .execute();
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    },

    /** Turns the second factor on with these recovery codes (SHA-256 each), replacing any older ones. */
    async enableTotp(userId: string, step: number, codeHashes: string[], now: string): Promise<void> {
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
      await db
        .insertInto('recovery_codes')
        .values(codeHashes.map((code_hash) => ({ code_hash, user_id: userId, used_at: null })))
        .execute();
      await db
        .updateTable('users')
        .set({ totp_enabled: 1, totp_last_step: step, updated_at: now })
        .where('id', '=', userId)
        .execute();
    },

    async disableTotp(userId: string, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: now })
        .where('id', '=', userId)
        .execute();
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    },

    /**
     * Takes the code of `step` when it is later than the last one taken: true once per step, so a code
     * seen over a shoulder or replayed cannot sign in again (two requests race for one row update).
     */
    async takeTotpStep(userId: string, step: number): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return affected(result.numUpdatedRows);
    },

    /** Uses a recovery code: true the first time only. */
    async takeRecoveryCode(userId: string, codeHash: string, now: string): Promise<boolean> {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return affected(result.numUpdatedRows);
    },

    async countRecoveryCodesLeft(userId: string): Promise<number> {
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    // ---------- API tokens ----------

    async insertToken(
      token: {
        name: string;
        role: Role;
        secretHash: string;
        createdBy: string | null;
        expiresAt: string | null;
        phoneIds: string[] | null;
      },
      now: string,
    ): Promise<string> {
      const id = randomUUID();
      await db
        .insertInto('api_tokens')
        .values({
          id,
          name: token.name,
          role: token.role,
          secret_hash: token.secretHash,
          created_by: token.createdBy,
          created_at: now,
          expires_at: token.expiresAt,
          phone_ids: token.phoneIds === null ? null : JSON.stringify(token.phoneIds),
        })
        .execute();
      return id;
    },

    async listTokens(): Promise<TokenRecord[]> {
      const rows = await db
        .selectFrom('api_tokens')
        .select(TOKEN_COLUMNS)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },

    async getTokenByHash(secretHash: string): Promise<TokenRecord | undefined> {
      const row = await db
        .selectFrom('api_tokens')
        .select(TOKEN_COLUMNS)
        .where('secret_hash', '=', secretHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toToken(row);
    },

    async touchToken(id: string, now: string): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    async deleteToken(id: string): Promise<boolean> {
      const result = await db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows);
    },

    // ---------- display keys ----------

    async insertDisplayKey(
      key: { name: string; phoneIds: string[]; secretHash: string },
      now: string,
    ): Promise<string> {
      const id = randomUUID();
      await db
        .insertInto('display_keys')
        .values({
          id,
          name: key.name,
          secret_hash: key.secretHash,
          phone_ids: JSON.stringify(key.phoneIds),
          created_at: now,
        })
        .execute();
      return id;
    },

    async listDisplayKeys(): Promise<DisplayKeyRecord[]> {
      const rows = await db
        .selectFrom('display_keys')
        .select(KEY_COLUMNS)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toDisplayKey);
    },

    async getDisplayKey(id: string): Promise<DisplayKeyRecord | undefined> {
      const row = await db
        .selectFrom('display_keys')
        .select(KEY_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : toDisplayKey(row);
    },

    async getDisplayKeyByHash(secretHash: string): Promise<DisplayKeyRecord | undefined> {
      const row = await db
        .selectFrom('display_keys')
        .select(KEY_COLUMNS)
        .where('secret_hash', '=', secretHash)
        .executeTakeFirst();
      return row === undefined ? undefined : toDisplayKey(row);
    },

    async touchDisplayKey(id: string, now: string): Promise<void> {
      await db.updateTable('display_keys').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    /** Deletes the key; its sessions go with it (ON DELETE CASCADE). */
    async deleteDisplayKey(id: string): Promise<boolean> {
      const result = await db.deleteFrom('display_keys').where('id', '=', id).executeTakeFirst();
      return affected(result.numDeletedRows);
    },
  };
}
