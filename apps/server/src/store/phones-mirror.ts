/**
 * Phones for the registry on a database it cannot read synchronously (Postgres): every row is loaded
 * once at start and served from memory; a write changes memory at once and is written to the database
 * behind it, in order. `flush()` waits for those writes (the server awaits it when closing).
 *
 * It answers exactly like the synchronous phones-repo.ts (same records, same "name taken" error), so
 * the registry does not know which one it has. Passcodes and hook tokens stay sealed in memory too and
 * are opened only by getPasscode / getHookToken.
 *
 * Interim: once the registry keeps its records itself and awaits its writes, this goes (see
 * docs/architecture.md, "Storage").
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from './crypto.ts';
import { newHookToken, type PhoneRecord, type PhonesRepo } from './phones-repo.ts';
import type { PhoneRow, PhoneRowPatch, PhonesRepository } from './phones-repository.ts';

export type PhonesMirror = PhonesRepo & { flush(): Promise<void> };

const AUTH_SCHEMES = ['passcode', 'session', 'detect'] as const;

function toRecord(r: PhoneRow): PhoneRecord {
  const auth = AUTH_SCHEMES.find((s) => s === r.auth_scheme);
  // Stored rows are a boundary too (habit 1): a row edited by hand fails loudly here.
  if (!auth) throw new Error(`Phone ${r.id} has an unknown auth_scheme`);
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    allowSelfSigned: r.allow_self_signed === 1,
    auth,
    username: r.username,
    model: r.model,
    firmware: r.firmware,
    simulated: r.simulated === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** SQLite's NOCASE, which the synchronous repository orders by: ASCII letters folded, nothing else. */
const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function nameTaken(name: string): AppError {
  return new AppError('invalid_input', `A phone named "${name}" already exists.`, {
    issues: [{ path: 'name', message: 'This name is already used by another phone.' }],
  });
}

export async function createPhonesMirror(
  repository: PhonesRepository,
  box: SecretBox,
  logger: Logger,
): Promise<PhonesMirror> {
  const rows = new Map<string, PhoneRow>();
  for (const row of await repository.all()) rows.set(row.id, row);
  let writes: Promise<void> = Promise.resolve();

  /** Queued after every earlier write; a failure is logged (the caller has already been answered). */
  function behind(what: string, id: string | null, write: () => Promise<unknown>): void {
    writes = writes.then(write).then(
      () => undefined,
      (err: unknown) => logger.error({ err, phoneId: id }, `phone ${what} was not stored in the database`),
    );
  }

  const byName = (name: string) => [...rows.values()].find((r) => r.name === name);

  /** A new hook token: the old Action URL stops being trusted at once. */
  function rotateHookToken(id: string): string | undefined {
    const row = rows.get(id);
    if (!row) return undefined;
    const token = newHookToken();
    const sealed = box.seal(token, `${id}:hook`);
    row.hook_token_enc = sealed;
    behind('hook token', id, () => repository.update(id, { hook_token_enc: sealed }));
    return token;
  }

  return {
    list: () =>
      [...rows.values()]
        .sort((a, b) => (nocase(a.name) < nocase(b.name) ? -1 : nocase(a.name) > nocase(b.name) ? 1 : 0))
        .map(toRecord),
    get(id: string) {
      const row = rows.get(id);
      return row ? toRecord(row) : undefined;
    },
    getByName(name: string) {
      const row = byName(name);
      return row ? toRecord(row) : undefined;
    },
    count: () => rows.size,
    create(phone) {
      if (byName(phone.name)) throw nameTaken(phone.name);
      const id = randomUUID();
      const now = new Date().toISOString();
      const row: PhoneRow = {
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
        hook_token_enc: box.seal(newHookToken(), `${id}:hook`),
        created_at: now,
        updated_at: now,
      };
      rows.set(id, row);
      behind('create', id, () => repository.insert({ ...row }));
      return toRecord(row);
    },
    update(id, patch) {
      const row = rows.get(id);
      if (!row) return undefined;
      if (patch.name !== undefined && patch.name !== row.name && byName(patch.name))
        throw nameTaken(patch.name);
      const set: PhoneRowPatch = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.host !== undefined) set.host = patch.host;
      if (patch.passcode !== undefined) set.passcode_enc = box.seal(patch.passcode, id);
      if (patch.model !== undefined) set.model = patch.model;
      if (patch.allowSelfSigned !== undefined) set.allow_self_signed = patch.allowSelfSigned ? 1 : 0;
      if (patch.auth !== undefined) set.auth_scheme = patch.auth;
      if (patch.username !== undefined) set.username = patch.username;
      if (patch.firmware !== undefined) set.firmware = patch.firmware;
      if (Object.keys(set).length > 0) {
        set.updated_at = new Date().toISOString();
        Object.assign(row, set);
        behind('update', id, () => repository.update(id, set));
      }
      return toRecord(row);
    },
    remove(id: string) {
      if (!rows.delete(id)) return false;
      behind('removal', id, () => repository.remove(id));
      return true;
    },
    removeSimulated() {
      const simulated = [...rows.values()].filter((r) => r.simulated === 1);
      for (const r of simulated) rows.delete(r.id);
      behind('removal of simulated phones', null, () => repository.removeSimulated());
      return simulated.length;
    },
    /** The only way a passcode leaves the store. Callers: the registry, to build a CTI client. */
    getPasscode(id: string) {
      const row = rows.get(id);
      return row ? box.open(row.passcode_enc, id) : undefined;
    },
    getHookToken(id: string) {
      const row = rows.get(id);
      if (!row) return undefined;
      if (row.hook_token_enc) return box.open(row.hook_token_enc, `${id}:hook`);
      return rotateHookToken(id);
    },
    rotateHookToken,
    flush: async () => {
      // Writes queued while waiting are waited for too.
      let seen: Promise<void> | undefined;
      while (seen !== writes) {
        seen = writes;
        await seen;
      }
    },
  };
}
