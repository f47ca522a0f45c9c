/**
 * The phones table (store/migrations/001, 005, 006). Passcodes and hook tokens are sealed here on the
 * way in and opened here on the way out (SecretBox, bound to the row: `id` for the passcode,
 * `${id}:hook` for the hook token); a `PhoneRecord` never holds either, so no route can leak one.
 * The registry is the only caller: it loads every phone once and awaits each write.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PhoneAuthChoice } from '@linedeck/contract';
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { SecretBox } from '../store/crypto.ts';
import { isUniqueViolation } from '../store/database.ts';
import type { Db, PhonesTable } from '../store/schema.ts';

export interface PhoneRecord {
  id: string;
  name: string;
  host: string;
  /** Accept a self-signed certificate on an `https://` host. */
  allowSelfSigned: boolean;
  /** `detect` until the first contact settles it (registry), then `passcode` or `session`. */
  auth: PhoneAuthChoice;
  username: string;
  model: string | null;
  firmware: string | null;
  simulated: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A phone as the registry holds it: the record, and apart from it the two secrets, opened. */
export interface StoredPhone {
  record: PhoneRecord;
  passcode: string;
  hookToken: string;
}

export interface NewPhone {
  name: string;
  host: string;
  passcode: string;
  model?: string | null | undefined;
  allowSelfSigned?: boolean | undefined;
  auth?: PhoneAuthChoice | undefined;
  username?: string | undefined;
  simulated?: boolean;
}

export interface PhonePatch {
  name?: string | undefined;
  host?: string | undefined;
  passcode?: string | undefined;
  model?: string | null | undefined;
  firmware?: string | null | undefined;
  allowSelfSigned?: boolean | undefined;
  auth?: PhoneAuthChoice | undefined;
  username?: string | undefined;
}

// Stored rows are a boundary too: a row edited by hand fails loudly here.
const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  allow_self_signed: z.number().int(),
  auth_scheme: z.enum(['passcode', 'session', 'detect']),
  username: z.string(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  simulated: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

const COLUMNS = [
  'id',
  'name',
  'host',
  'allow_self_signed',
  'auth_scheme',
  'username',
  'model',
  'firmware',
  'simulated',
  'created_at',
  'updated_at',
] as const;

/** 24 random bytes, URL-safe: the secret part of a phone's Action URL. */
export function newHookToken(): string {
  return randomBytes(24).toString('base64url');
}

function toRecord(row: unknown): PhoneRecord {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    allowSelfSigned: r.allow_self_signed === 1,
    auth: r.auth_scheme,
    username: r.username,
    model: r.model,
    firmware: r.firmware,
    simulated: r.simulated === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function nameTaken(err: unknown, name: string | undefined): unknown {
  if (name === undefined || !isUniqueViolation(err)) return err;
  return new AppError('invalid_input', `A phone named "${name}" already exists.`, {
    issues: [{ path: 'name', message: 'This name is already used by another phone.' }],
  });
}

const hookAad = (id: string) => `${id}:hook`;

export type PhonesRepository = ReturnType<typeof createPhonesRepository>;

export function createPhonesRepository(db: Db, box: SecretBox) {
  async function setHookToken(id: string, token: string): Promise<boolean> {
    const result = await db
      .updateTable('phones')
      .set({ hook_token_enc: box.seal(token, hookAad(id)) })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  return {
    /**
     * Every phone with its secrets. A phone stored before hook tokens existed gets one now (written
     * before it is returned), so the registry never has to make one while answering a push.
     */
    async loadAll(): Promise<StoredPhone[]> {
      const rows = await db
        .selectFrom('phones')
        .select([...COLUMNS, 'passcode_enc', 'hook_token_enc'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const phones: StoredPhone[] = [];
      for (const row of rows) {
        let hookToken: string;
        if (row.hook_token_enc) {
          hookToken = box.open(row.hook_token_enc, hookAad(row.id));
        } else {
          hookToken = newHookToken();
          await setHookToken(row.id, hookToken);
        }
        phones.push({ record: toRecord(row), passcode: box.open(row.passcode_enc, row.id), hookToken });
      }
      return phones;
    },

    /** A taken name is a 400 on `name` (the column is unique). */
    async create(phone: NewPhone): Promise<StoredPhone> {
      const id = randomUUID();
      const hookToken = newHookToken();
      const now = new Date().toISOString();
      try {
        const row = await db
          .insertInto('phones')
          .values({
            id,
            name: phone.name,
            host: phone.host,
            passcode_enc: box.seal(phone.passcode, id),
            allow_self_signed: phone.allowSelfSigned ? 1 : 0,
            auth_scheme: phone.auth ?? 'passcode',
            username: phone.username ?? 'admin',
            model: phone.model ?? null,
            firmware: null,
            simulated: phone.simulated ? 1 : 0,
            hook_token_enc: box.seal(hookToken, hookAad(id)),
            created_at: now,
            updated_at: now,
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
        return { record: toRecord(row), passcode: phone.passcode, hookToken };
      } catch (err) {
        throw nameTaken(err, phone.name);
      }
    },

    /** The record as stored after the change; undefined when there is no such phone. */
    async update(id: string, patch: PhonePatch): Promise<PhoneRecord | undefined> {
      const set: Updateable<PhonesTable> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.host !== undefined) set.host = patch.host;
      if (patch.passcode !== undefined) set.passcode_enc = box.seal(patch.passcode, id);
      if (patch.model !== undefined) set.model = patch.model;
      if (patch.firmware !== undefined) set.firmware = patch.firmware;
      if (patch.allowSelfSigned !== undefined) set.allow_self_signed = patch.allowSelfSigned ? 1 : 0;
      if (patch.auth !== undefined) set.auth_scheme = patch.auth;
      if (patch.username !== undefined) set.username = patch.username;
      if (Object.keys(set).length === 0) {
        const row = await db.selectFrom('phones').select(COLUMNS).where('id', '=', id).executeTakeFirst();
        return row ? toRecord(row) : undefined;
      }
      try {
        const row = await db
          .updateTable('phones')
          .set({ ...set, updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .returning(COLUMNS)
          .executeTakeFirst();
        return row ? toRecord(row) : undefined;
      } catch (err) {
        throw nameTaken(err, patch.name);
      }
    },

    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('phones').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Drops the demo fleet of the previous run; returns the ids it dropped. */
    async removeSimulated(): Promise<string[]> {
      const rows = await db.deleteFrom('phones').where('simulated', '=', 1).returning('id').execute();
      return rows.map((r) => r.id);
    },

    /** A new hook token, stored sealed; undefined when there is no such phone. */
    async rotateHookToken(id: string): Promise<string | undefined> {
      const token = newHookToken();
      return (await setHookToken(id, token)) ? token : undefined;
    },
  };
}
