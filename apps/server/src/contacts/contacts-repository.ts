/** The contacts table (store/migrations/004-contacts.ts, 007-contacts-seq.ts). Only SQL, no caching. */
import type { Contact } from '@linedeck/contract';
import { type Expression, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../store/schema.ts';
import type { IndexedContact } from './caller-index.ts';

export interface ContactRow {
  id: string;
  name: string;
  company: string | null;
  number: string;
  numberKey: string;
  notes: string | null;
}

export interface ContactSearch {
  /** Matched anywhere in name, company or number, whatever the case. */
  text: string;
  /** Digits (a leading + dropped) also matched anywhere in the number key; '' for none. */
  digits: string;
}

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  number: z.string(),
  notes: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const indexRows = z.array(rowSchema.pick({ id: true, name: true, company: true, number: true }));

const COLUMNS = ['id', 'name', 'company', 'number', 'notes', 'created_at', 'updated_at'] as const;

function toContact(row: unknown): Contact {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    company: r.company,
    number: r.number,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** `%`, `_` and `\` typed by a person are text, not LIKE wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` contains `text`, whatever the case: lower() on both sides, since SQLite's LIKE ignores ASCII
 * case and Postgres' LIKE does not. The escape character is given: SQLite has none by default.
 */
function contains(column: 'name' | 'company' | 'number' | 'number_key', text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like lower(${likePattern(text)}) escape '\\'`;
}

function matching(search: ContactSearch): Expression<SqlBool> {
  const any = [
    contains('name', search.text),
    contains('company', search.text),
    contains('number', search.text),
  ];
  if (search.digits !== '') any.push(contains('number_key', search.digits));
  return sql<SqlBool>`(${sql.join(any, sql` or `)})`;
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;

export function createContactsRepository(db: Db) {
  /** The next insertion order, computed by the database in the insert itself. */
  const nextSeq = sql<number>`(select coalesce(max(seq), 0) + 1 from contacts)`;

  async function insert(trx: Db, row: ContactRow, at: string): Promise<void> {
    await trx
      .insertInto('contacts')
      .values({
        id: row.id,
        name: row.name,
        company: row.company,
        number: row.number,
        number_key: row.numberKey,
        notes: row.notes,
        seq: nextSeq,
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  return {
    /** A page ordered by name (any case), with the number of matches. */
    async page(
      search: ContactSearch | undefined,
      paging: { limit: number; offset: number },
    ): Promise<{ contacts: Contact[]; total: number }> {
      const where = search ? matching(search) : sql<SqlBool>`1 = 1`;
      const count = await db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow();
      const rows = await db
        .selectFrom('contacts')
        .select(COLUMNS)
        .where(where)
        .orderBy(sql`lower(name)`)
        .orderBy('id')
        .limit(paging.limit)
        .offset(paging.offset)
        .execute();
      return { contacts: rows.map(toContact), total: Number(count.n) };
    },

    async get(id: string): Promise<Contact | undefined> {
      const row = await db.selectFrom('contacts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row ? toContact(row) : undefined;
    },

    /** Every contact for the caller index, in the order ties are broken (added first, first). */
    async forIndex(): Promise<IndexedContact[]> {
      const rows = await db
        .selectFrom('contacts')
        .select(['id', 'name', 'company', 'number'])
        .orderBy('created_at')
        .orderBy('seq')
        .execute();
      return indexRows.parse(rows);
    },

    insert: (row: ContactRow, at: string) => insert(db, row, at),

    async update(row: ContactRow, at: string): Promise<void> {
      await db
        .updateTable('contacts')
        .set({
          name: row.name,
          company: row.company,
          number: row.number,
          number_key: row.numberKey,
          notes: row.notes,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .execute();
    },

    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('contacts').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * In one transaction: the name/number keys already stored are read, and `pick` chooses, from them,
     * the rows to add (an import skipping duplicates). Returns how many were added.
     */
    async insertUnlessKnown(
      pick: (known: { name: string; numberKey: string }[]) => ContactRow[],
      at: string,
    ): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const known = await trx.selectFrom('contacts').select(['name', 'number_key']).execute();
        const rows = pick(known.map((k) => ({ name: k.name, numberKey: k.number_key })));
        for (const row of rows) await insert(trx, row, at);
        return rows.length;
      });
    },
  };
}
