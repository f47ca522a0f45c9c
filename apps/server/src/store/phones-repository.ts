/**
 * The phones table through Kysely (async), for databases the synchronous phones-repo.ts cannot reach
 * (Postgres). It reads and writes whole rows, passcode and hook token still sealed: phones-mirror.ts
 * keeps them in memory and opens a secret only when asked.
 */
import type { Selectable } from 'kysely';
import type { Db, PhonesTable } from './schema.ts';

export type PhoneRow = Selectable<PhonesTable>;

export type PhoneRowPatch = Partial<Omit<PhoneRow, 'id' | 'created_at'>>;

export type PhonesRepository = ReturnType<typeof createPhonesRepository>;

export function createPhonesRepository(db: Db) {
  return {
    all: (): Promise<PhoneRow[]> => db.selectFrom('phones').selectAll().execute(),

    async insert(row: PhoneRow): Promise<void> {
      await db.insertInto('phones').values(row).execute();
    },

    async update(id: string, patch: PhoneRowPatch): Promise<void> {
      if (Object.keys(patch).length === 0) return;
      await db.updateTable('phones').set(patch).where('id', '=', id).execute();
    },

    async remove(id: string): Promise<void> {
      await db.deleteFrom('phones').where('id', '=', id).execute();
    },

    async removeSimulated(): Promise<number> {
      const result = await db.deleteFrom('phones').where('simulated', '=', 1).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
