/**
 * Phones in SQLite. The passcode goes in sealed and only comes out through
 * `getPasscode(id)`, which only the registry calls to build a CTI client:
 * every other read returns a record without it, so no route can leak it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PhoneAuthChoice } from '@linedeck/contract';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { SecretBox } from './crypto.ts';
import type { Database } from './db.ts';

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

// Stored rows are a boundary too (habit 1): a row edited by hand fails loudly here.
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

const COLUMNS =
  'id, name, host, allow_self_signed, auth_scheme, username, model, firmware, simulated, created_at, updated_at';

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

export type PhonesRepo = ReturnType<typeof createPhonesRepo>;

export function createPhonesRepo(db: Database, box: SecretBox) {
  const stmt = {
    list: db.prepare(`SELECT ${COLUMNS} FROM phones ORDER BY name COLLATE NOCASE`),
    get: db.prepare(`SELECT ${COLUMNS} FROM phones WHERE id = ?`),
    byName: db.prepare(`SELECT ${COLUMNS} FROM phones WHERE name = ?`),
    passcode: db.prepare('SELECT passcode_enc FROM phones WHERE id = ?'),
    hookToken: db.prepare('SELECT hook_token_enc FROM phones WHERE id = ?'),
    setHookToken: db.prepare('UPDATE phones SET hook_token_enc = ? WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO phones (id, name, host, passcode_enc, allow_self_signed, auth_scheme, username, model,
         firmware, simulated, hook_token_enc, created_at, updated_at)
       VALUES (@id, @name, @host, @passcode_enc, @allow_self_signed, @auth_scheme, @username, @model, NULL,
         @simulated, @hook_token_enc, @now, @now)`,
    ),
    remove: db.prepare('DELETE FROM phones WHERE id = ?'),
    count: db.prepare('SELECT COUNT(*) AS n FROM phones'),
    removeSimulated: db.prepare('DELETE FROM phones WHERE simulated = 1'),
  };

  function nameTaken(err: unknown, name: string): AppError | undefined {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      return new AppError('invalid_input', `A phone named "${name}" already exists.`, {
        issues: [{ path: 'name', message: 'This name is already used by another phone.' }],
      });
    }
    return undefined;
  }

  return {
    list(): PhoneRecord[] {
      return stmt.list.all().map(toRecord);
    },
    get(id: string): PhoneRecord | undefined {
      const row = stmt.get.get(id);
      return row ? toRecord(row) : undefined;
    },
    getByName(name: string): PhoneRecord | undefined {
      const row = stmt.byName.get(name);
      return row ? toRecord(row) : undefined;
    },
    count(): number {
      return (stmt.count.get() as { n: number }).n;
    },
    create(phone: NewPhone): PhoneRecord {
      const id = randomUUID();
      try {
        stmt.insert.run({
          id,
          name: phone.name,
          host: phone.host,
          passcode_enc: box.seal(phone.passcode, id),
          allow_self_signed: phone.allowSelfSigned ? 1 : 0,
          auth_scheme: phone.auth ?? 'passcode',
          username: phone.username ?? 'admin',
          model: phone.model ?? null,
          simulated: phone.simulated ? 1 : 0,
          hook_token_enc: box.seal(newHookToken(), `${id}:hook`),
          now: new Date().toISOString(),
        });
      } catch (err) {
        throw nameTaken(err, phone.name) ?? err;
      }
      return this.get(id) as PhoneRecord;
    },
    update(id: string, patch: PhonePatch): PhoneRecord | undefined {
      const sets: string[] = [];
      const values: Record<string, unknown> = { id, now: new Date().toISOString() };
      if (patch.name !== undefined) {
        sets.push('name = @name');
        values.name = patch.name;
      }
      if (patch.host !== undefined) {
        sets.push('host = @host');
        values.host = patch.host;
      }
      if (patch.passcode !== undefined) {
        sets.push('passcode_enc = @passcode_enc');
        values.passcode_enc = box.seal(patch.passcode, id);
      }
      if (patch.model !== undefined) {
        sets.push('model = @model');
        values.model = patch.model;
      }
      if (patch.allowSelfSigned !== undefined) {
        sets.push('allow_self_signed = @allow_self_signed');
        values.allow_self_signed = patch.allowSelfSigned ? 1 : 0;
      }
      if (patch.auth !== undefined) {
        sets.push('auth_scheme = @auth_scheme');
        values.auth_scheme = patch.auth;
      }
      if (patch.username !== undefined) {
        sets.push('username = @username');
        values.username = patch.username;
      }
      if (patch.firmware !== undefined) {
        sets.push('firmware = @firmware');
        values.firmware = patch.firmware;
      }
      if (sets.length > 0) {
        try {
          db.prepare(`UPDATE phones SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`).run(values);
        } catch (err) {
          throw nameTaken(err, patch.name ?? '') ?? err;
        }
      }
      return this.get(id);
    },
    remove(id: string): boolean {
      return stmt.remove.run(id).changes > 0;
    },
    removeSimulated(): number {
      return stmt.removeSimulated.run().changes;
    },
    /** The only way a passcode leaves the store. Callers: the registry, to build a CTI client. */
    getPasscode(id: string): string | undefined {
      const row = stmt.passcode.get(id) as { passcode_enc: string } | undefined;
      return row ? box.open(row.passcode_enc, id) : undefined;
    },
    /**
     * The secret of the phone's Action URL (sealed at rest like the passcode, with its own context); made
     * on first use for phones stored before hook tokens existed. Callers: the registry, the hook.
     */
    getHookToken(id: string): string | undefined {
      const row = stmt.hookToken.get(id) as { hook_token_enc: string | null } | undefined;
      if (!row) return undefined;
      if (row.hook_token_enc) return box.open(row.hook_token_enc, `${id}:hook`);
      return this.rotateHookToken(id);
    },
    /** A new hook token: the old Action URL stops being trusted at once. */
    rotateHookToken(id: string): string | undefined {
      const token = newHookToken();
      return stmt.setHookToken.run(box.seal(token, `${id}:hook`), id).changes > 0 ? token : undefined;
    },
  };
}
