/**
 * Contacts in SQLite, with the in-memory caller index kept in step: every write rebuilds the index and
 * tells listeners (the state cache re-names callers on screen at once).
 */
import { randomUUID } from 'node:crypto';
import type { CallerContact, Contact } from '@linedeck/contract';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Database } from '../store/db.ts';
import { CallerIndex, numberKey } from './caller-index.ts';

export interface NewContact {
  name: string;
  number: string;
  company?: string | null | undefined;
  notes?: string | null | undefined;
}

export interface ContactPatch {
  name?: string | undefined;
  number?: string | undefined;
  company?: string | null | undefined;
  notes?: string | null | undefined;
}

export interface ContactQuery {
  q?: string | undefined;
  limit: number;
  offset: number;
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

const COLUMNS = 'id, name, company, number, notes, created_at, updated_at';

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

const SEARCH = `name LIKE @p ESCAPE '\\' OR company LIKE @p ESCAPE '\\' OR number LIKE @p ESCAPE '\\'
  OR (@digits <> '' AND number_key LIKE @pd ESCAPE '\\')`;

export type Contacts = ReturnType<typeof createContacts>;

export function createContacts(db: Database, now: () => Date = () => new Date()) {
  const stmt = {
    page: db.prepare(
      `SELECT ${COLUMNS} FROM contacts ORDER BY name COLLATE NOCASE, id LIMIT @limit OFFSET @offset`,
    ),
    count: db.prepare('SELECT COUNT(*) AS n FROM contacts'),
    search: db.prepare(
      `SELECT ${COLUMNS} FROM contacts WHERE ${SEARCH}
       ORDER BY name COLLATE NOCASE, id LIMIT @limit OFFSET @offset`,
    ),
    searchCount: db.prepare(`SELECT COUNT(*) AS n FROM contacts WHERE ${SEARCH}`),
    get: db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE id = ?`),
    forIndex: db.prepare('SELECT id, name, company, number FROM contacts ORDER BY created_at, rowid'),
    keys: db.prepare('SELECT name, number_key FROM contacts'),
    insert: db.prepare(
      `INSERT INTO contacts (id, name, company, number, number_key, notes, created_at, updated_at)
       VALUES (@id, @name, @company, @number, @number_key, @notes, @now, @now)`,
    ),
    update: db.prepare(
      `UPDATE contacts SET name = @name, company = @company, number = @number, number_key = @number_key,
       notes = @notes, updated_at = @now WHERE id = @id`,
    ),
    remove: db.prepare('DELETE FROM contacts WHERE id = ?'),
  };
  const index = new CallerIndex();
  const listeners = new Set<() => void>();

  function changed(): void {
    index.rebuild(indexRows.parse(stmt.forIndex.all()));
    for (const l of listeners) l();
  }
  changed();

  function get(id: string): Contact {
    const row = stmt.get.get(id);
    if (!row) throw new AppError('not_found', `No contact with id ${id}`);
    return toContact(row);
  }

  function insert(c: NewContact, at: string): string {
    const id = randomUUID();
    stmt.insert.run({
      id,
      name: c.name,
      company: c.company ?? null,
      number: c.number,
      number_key: numberKey(c.number),
      notes: c.notes ?? null,
      now: at,
    });
    return id;
  }

  /** Same name (any case) and same number key: the same contact, for imports. */
  const sameKey = (name: string, number: string) => `${name.toLowerCase()}\n${numberKey(number)}`;

  return {
    /** The contact for an incoming number, or null (caller-index.ts has the rule). */
    lookup: (remoteNumber: string): CallerContact | null => index.lookup(remoteNumber),

    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    list(query: ContactQuery): { contacts: Contact[]; total: number } {
      const q = query.q?.trim() ?? '';
      const paging = { limit: query.limit, offset: query.offset };
      if (q === '') {
        const total = (stmt.count.get() as { n: number }).n;
        return { contacts: stmt.page.all(paging).map(toContact), total };
      }
      // "030 123" finds +49 30 123...: digits typed with separators are searched in the number key too.
      const compact = q.replace(/[\s().-]/g, '');
      const digits = /^\+?[0-9]+$/.test(compact) ? compact.replace('+', '') : '';
      const params = { p: likePattern(q), digits, pd: likePattern(digits) };
      const total = (stmt.searchCount.get(params) as { n: number }).n;
      return { contacts: stmt.search.all({ ...params, ...paging }).map(toContact), total };
    },

    get,

    create(c: NewContact): Contact {
      const id = insert(c, now().toISOString());
      changed();
      return get(id);
    },

    update(id: string, patch: ContactPatch): Contact {
      const current = get(id);
      const next = {
        name: patch.name ?? current.name,
        number: patch.number ?? current.number,
        company: patch.company !== undefined ? patch.company : current.company,
        notes: patch.notes !== undefined ? patch.notes : current.notes,
      };
      stmt.update.run({ id, ...next, number_key: numberKey(next.number), now: now().toISOString() });
      changed();
      return get(id);
    },

    remove(id: string): Contact {
      const current = get(id);
      stmt.remove.run(id);
      changed();
      return current;
    },

    /** Adds the rows in one transaction; rows that already are a contact (or repeat one above) are skipped. */
    importMany(rows: readonly NewContact[]): { imported: number; duplicates: number } {
      const at = now().toISOString();
      let imported = 0;
      let duplicates = 0;
      db.transaction(() => {
        const seen = new Set(
          (stmt.keys.all() as { name: string; number_key: string }[]).map(
            (r) => `${r.name.toLowerCase()}\n${r.number_key}`,
          ),
        );
        for (const row of rows) {
          const key = sameKey(row.name, row.number);
          if (seen.has(key)) {
            duplicates++;
            continue;
          }
          seen.add(key);
          insert(row, at);
          imported++;
        }
      })();
      if (imported > 0) changed();
      return { imported, duplicates };
    },
  };
}
