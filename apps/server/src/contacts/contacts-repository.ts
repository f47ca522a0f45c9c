/**
 * The contacts table (store/migrations/004, 007, 008). Only SQL, no caching. The repository fills the
 * derived columns itself from the row it is given: `number_key` (the digits) and `search_text`
 * (normalized text and every number's digits and E.164), so no write can leave them stale.
 */
import type { Contact, ContactNumber } from '@linedeck/contract';
import { numberDigits } from '@linedeck/contract/numbers';
import { type Expression, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../store/schema.ts';
import { normalizeSearch } from './search-text.ts';

export interface ContactRow {
  id: string;
  name: string;
  company: string | null;
  email: string | null;
  notes: string | null;
  number: string;
  e164: string | null;
  extension: string | null;
  otherNumbers: ContactNumber[];
}

export interface ContactSearch {
  /** Normalized (search-text.ts): matched anywhere in the search text. */
  text: string;
  /** Digits (no +) a typed number may be stored as: its digits and its E.164; matched anywhere. */
  numbers: string[];
}

const numberSchema = z.object({
  label: z.string().nullable(),
  number: z.string(),
  e164: z.string().nullable(),
  extension: z.string().nullable(),
});

const rowSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  number: z.string(),
  e164: z.string().nullable(),
  extension: z.string().nullable(),
  other_numbers: z.string().transform((s) => z.array(numberSchema).parse(JSON.parse(s))),
  notes: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

const COLUMNS = [
  'id',
  'name',
  'company',
  'email',
  'number',
  'e164',
  'extension',
  'other_numbers',
  'notes',
  'created_at',
  'updated_at',
] as const;

function toContact(row: unknown): Contact {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    company: r.company,
    email: r.email,
    number: r.number,
    e164: r.e164,
    extension: r.extension,
    otherNumbers: r.other_numbers,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(c: Contact): ContactRow {
  const { createdAt: _c, updatedAt: _u, ...row } = c;
  return row;
}

/** What a contact is found by: its words, and each number as dialled and in E.164, without the +. */
export function searchTextOf(row: ContactRow): string {
  const words = normalizeSearch([row.name, row.company, row.email, row.notes].filter(Boolean).join(' '));
  const numbers = [row, ...row.otherNumbers].flatMap((n) => [n.number, n.e164 ?? '']);
  const tokens = [...new Set(numbers.map((n) => n.replace('+', '')).filter(Boolean))];
  return [words, ...tokens].join(' ');
}

function columnsOf(row: ContactRow) {
  return {
    name: row.name,
    company: row.company,
    email: row.email,
    number: row.number,
    number_key: numberDigits(row.number),
    e164: row.e164,
    extension: row.extension,
    other_numbers: JSON.stringify(row.otherNumbers),
    notes: row.notes,
    search_text: searchTextOf(row),
  };
}

/** `%`, `_` and `\` typed by a person are text, not LIKE wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search text contains `text`. Both sides are already lower case without accents, so a plain LIKE
 * behaves alike on SQLite and Postgres. The escape character is given: SQLite has none by default.
 */
function contains(text: string): Expression<SqlBool> {
  return sql<SqlBool>`search_text like ${likePattern(text)} escape '\\'`;
}

function matching(search: ContactSearch): Expression<SqlBool> {
  const any = [search.text, ...search.numbers].filter((t) => t !== '').map(contains);
  return any.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(any, sql` or `)})`;
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;

export function createContactsRepository(db: Db) {
  /** The next insertion order, computed by the database in the insert itself. */
  const nextSeq = sql<number>`(select coalesce(max(seq), 0) + 1 from contacts)`;

  async function insert(trx: Db, row: ContactRow, at: string): Promise<void> {
    await trx
      .insertInto('contacts')
      .values({ id: row.id, ...columnsOf(row), seq: nextSeq, created_at: at, updated_at: at })
      .execute();
  }

  /** Every contact in the order ties are broken (added first, first). */
  async function all(trx: Db): Promise<Contact[]> {
    const rows = await trx
      .selectFrom('contacts')
      .select(COLUMNS)
      .orderBy('created_at')
      .orderBy('seq')
      .execute();
    return rows.map(toContact);
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

    /** Every contact (the caller index, the export), added first, first. */
    all: () => all(db),

    insert: (row: ContactRow, at: string) => insert(db, row, at),

    async update(row: ContactRow, at: string): Promise<void> {
      await db
        .updateTable('contacts')
        .set({ ...columnsOf(row), updated_at: at })
        .where('id', '=', row.id)
        .execute();
    },

    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('contacts').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * In one transaction: the contacts already stored are read, and `pick` chooses, from them, the rows
     * to add (an import skipping duplicates). Returns how many were added.
     */
    async insertUnlessKnown(pick: (known: Contact[]) => ContactRow[], at: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const rows = pick(await all(trx));
        for (const row of rows) await insert(trx, row, at);
        return rows.length;
      });
    },

    /**
     * Derives every row again with `derive` (E.164 under the configured country) and writes the rows
     * whose derived columns changed: after a migration, or when DEFAULT_COUNTRY changed. Returns how many.
     */
    async refreshDerived(derive: (row: ContactRow) => ContactRow): Promise<number> {
      const stored = await db
        .selectFrom('contacts')
        .select([...COLUMNS, 'search_text', 'number_key'])
        .execute();
      let changed = 0;
      for (const s of stored) {
        const next = columnsOf(derive(toRow(toContact(s))));
        const same =
          next.e164 === s.e164 &&
          next.other_numbers === s.other_numbers &&
          next.search_text === s.search_text &&
          next.number_key === s.number_key;
        if (same) continue;
        await db.updateTable('contacts').set(next).where('id', '=', s.id).execute();
        changed++;
      }
      return changed;
    },
  };
}
