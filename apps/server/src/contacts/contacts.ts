/**
 * Contacts: the repository (SQL) with the in-memory caller index kept in step: every write rebuilds the
 * index and tells listeners (the state cache re-names callers on screen at once). The lookup stays a
 * synchronous Map lookup, since the state cache names callers on every poll.
 */
import { randomUUID } from 'node:crypto';
import type { CallerContact, Contact } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import { CallerIndex, numberKey } from './caller-index.ts';
import type { ContactRow, ContactsRepository } from './contacts-repository.ts';

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

function toRow(id: string, c: NewContact): ContactRow {
  return {
    id,
    name: c.name,
    company: c.company ?? null,
    number: c.number,
    numberKey: numberKey(c.number),
    notes: c.notes ?? null,
  };
}

/** Same name (any case) and same number key: the same contact, for imports. */
const sameKey = (name: string, key: string) => `${name.toLowerCase()}\n${key}`;

export type Contacts = Awaited<ReturnType<typeof createContacts>>;

/** Loads the caller index from the repository before answering anything. */
export async function createContacts(repository: ContactsRepository, now: () => Date = () => new Date()) {
  const index = new CallerIndex();
  const listeners = new Set<() => void>();

  async function changed(): Promise<void> {
    index.rebuild(await repository.forIndex());
    for (const l of listeners) l();
  }
  await changed();

  async function get(id: string): Promise<Contact> {
    const contact = await repository.get(id);
    if (!contact) throw new AppError('not_found', `No contact with id ${id}`);
    return contact;
  }

  return {
    /** The contact for an incoming number, or null (caller-index.ts has the rule). */
    lookup: (remoteNumber: string): CallerContact | null => index.lookup(remoteNumber),

    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    list(query: ContactQuery): Promise<{ contacts: Contact[]; total: number }> {
      const q = query.q?.trim() ?? '';
      const paging = { limit: query.limit, offset: query.offset };
      if (q === '') return repository.page(undefined, paging);
      // "030 123" finds +49 30 123...: digits typed with separators are searched in the number key too.
      const compact = q.replace(/[\s().-]/g, '');
      const digits = /^\+?[0-9]+$/.test(compact) ? compact.replace('+', '') : '';
      return repository.page({ text: q, digits }, paging);
    },

    get,

    async create(c: NewContact): Promise<Contact> {
      const id = randomUUID();
      await repository.insert(toRow(id, c), now().toISOString());
      await changed();
      return get(id);
    },

    async update(id: string, patch: ContactPatch): Promise<Contact> {
      const current = await get(id);
      const next: NewContact = {
        name: patch.name ?? current.name,
        number: patch.number ?? current.number,
        company: patch.company !== undefined ? patch.company : current.company,
        notes: patch.notes !== undefined ? patch.notes : current.notes,
      };
      await repository.update(toRow(id, next), now().toISOString());
      await changed();
      return get(id);
    },

    async remove(id: string): Promise<Contact> {
      const current = await get(id);
      await repository.remove(id);
      await changed();
      return current;
    },

    /** Adds the rows in one transaction; rows that already are a contact (or repeat one above) are skipped. */
    async importMany(rows: readonly NewContact[]): Promise<{ imported: number; duplicates: number }> {
      let duplicates = 0;
      const imported = await repository.insertUnlessKnown((known) => {
        duplicates = 0;
        const seen = new Set(known.map((k) => sameKey(k.name, k.numberKey)));
        const picked: ContactRow[] = [];
        for (const row of rows) {
          const key = sameKey(row.name, numberKey(row.number));
          if (seen.has(key)) {
            duplicates++;
            continue;
          }
          seen.add(key);
          picked.push(toRow(randomUUID(), row));
        }
        return picked;
      }, now().toISOString());
      if (imported > 0) await changed();
      return { imported, duplicates };
    },
  };
}
