/**
 * Contacts: the repository (SQL) with the in-memory caller index kept in step: every write rebuilds the
 * index and tells listeners (the state cache re-names callers on screen at once). The lookup stays a
 * synchronous Map lookup, since the state cache names callers on every poll.
 *
 * Numbers follow the one number model (packages/contract/src/numbers.ts): each is kept as dialled with
 * its E.164 form under DEFAULT_COUNTRY, which caller ID, search and duplicate checks compare.
 */
import { randomUUID } from 'node:crypto';
import type { CallerContact, Contact, ContactNumber } from '@linedeck/contract';
import { type CountryCode, numberKeys, readNumber, toE164 } from '@linedeck/contract/numbers';
import { AppError } from '../errors.ts';
import { CallerIndex, NumberMatcher } from './caller-index.ts';
import type { ContactRow, ContactsRepository } from './contacts-repository.ts';
import { normalizeSearch } from './search-text.ts';

/** A number as the contract's schema reads it: what is dialled, and an extension sent as tones. */
export interface DialledNumber {
  number: string;
  extension: string | null;
}

export interface NewContact {
  name: string;
  number: DialledNumber;
  company?: string | null | undefined;
  email?: string | null | undefined;
  notes?: string | null | undefined;
  otherNumbers?: { label?: string | null | undefined; number: DialledNumber }[] | undefined;
}

export interface ContactPatch {
  name?: string | undefined;
  number?: DialledNumber | undefined;
  company?: string | null | undefined;
  email?: string | null | undefined;
  notes?: string | null | undefined;
  otherNumbers?: NewContact['otherNumbers'];
}

export interface ContactQuery {
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** A row of an import, checked: `row` is its line in the file. */
export interface ImportCandidate {
  row: number;
  contact: NewContact;
}

export interface ImportOutcome {
  imported: number;
  duplicates: number;
  rows: { row: number; outcome: 'new' | 'duplicate'; duplicateOf?: { id: string | null; name: string } }[];
}

export interface ContactsOptions {
  /** DEFAULT_COUNTRY: national numbers are read in it; undefined reads only + numbers as public. */
  defaultCountry?: CountryCode | undefined;
  now?: () => Date;
}

export type Contacts = Awaited<ReturnType<typeof createContacts>>;

/** Loads the caller index from the repository (deriving E.164 again if the country changed) first. */
export async function createContacts(repository: ContactsRepository, options: ContactsOptions = {}) {
  const country = options.defaultCountry ?? null;
  const now = options.now ?? (() => new Date());
  const index = new CallerIndex(country);
  const listeners = new Set<() => void>();

  const numberView = (label: string | null, n: DialledNumber): ContactNumber => ({
    label,
    number: n.number,
    e164: toE164(n.number, country),
    extension: n.extension,
  });

  function toRow(id: string, c: NewContact): ContactRow {
    const main = numberView(null, c.number);
    return {
      id,
      name: c.name,
      company: c.company ?? null,
      email: c.email ?? null,
      notes: c.notes ?? null,
      number: main.number,
      e164: main.e164,
      extension: main.extension,
      otherNumbers: (c.otherNumbers ?? []).map((o) => numberView(o.label ?? null, o.number)),
    };
  }

  /** The stored row with every E.164 derived again under the configured country. */
  const derive = (row: ContactRow): ContactRow => ({
    ...row,
    e164: toE164(row.number, country),
    otherNumbers: row.otherNumbers.map((o) => ({ ...o, e164: toE164(o.number, country) })),
  });

  const numbersOf = (c: Contact | ContactRow) => [
    { number: c.number, e164: c.e164 },
    ...c.otherNumbers.map((o) => ({ number: o.number, e164: o.e164 })),
  ];

  async function changed(): Promise<void> {
    const all = await repository.all();
    index.rebuild(all.map((c) => ({ id: c.id, name: c.name, company: c.company, numbers: numbersOf(c) })));
    for (const l of listeners) l();
  }
  await repository.refreshDerived(derive);
  await changed();

  async function get(id: string): Promise<Contact> {
    const contact = await repository.get(id);
    if (!contact) throw new AppError('not_found', `No contact with id ${id}`);
    return contact;
  }

  return {
    defaultCountry: country,

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
      // "030 2309" finds +49 30 2309: a typed number is also searched as digits and as E.164.
      const read = /[0-9]/.test(q) && !/[a-z]/i.test(q) ? readNumber(q) : undefined;
      const numbers = read?.ok
        ? [read.number.replace('+', ''), toE164(read.number, country)?.slice(1) ?? '']
        : [];
      return repository.page({ text: normalizeSearch(q), numbers }, paging);
    },

    get,

    /** Every contact, by name: the export. */
    async all(): Promise<Contact[]> {
      const all = await repository.all();
      return all.sort((a, b) => a.name.localeCompare(b.name));
    },

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
        number: patch.number ?? { number: current.number, extension: current.extension },
        company: patch.company !== undefined ? patch.company : current.company,
        email: patch.email !== undefined ? patch.email : current.email,
        notes: patch.notes !== undefined ? patch.notes : current.notes,
        otherNumbers:
          patch.otherNumbers ??
          current.otherNumbers.map((o) => ({
            label: o.label,
            number: { number: o.number, extension: o.extension },
          })),
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

    /**
     * Checks rows against the contacts (in one transaction with the insert unless `dryRun`): a row whose
     * number (any of its numbers) is already a contact's, or a row's above, is a duplicate and skipped
     * when `skipDuplicates`. Returns every row's outcome.
     */
    async importMany(
      candidates: readonly ImportCandidate[],
      opts: { dryRun?: boolean | undefined; skipDuplicates?: boolean | undefined } = {},
    ): Promise<ImportOutcome> {
      const skip = opts.skipDuplicates ?? true;
      let outcome: ImportOutcome = { imported: 0, duplicates: 0, rows: [] };
      const pick = (known: Contact[]): ContactRow[] => {
        const seen = new NumberMatcher<{ id: string | null; name: string }>();
        for (const c of known) {
          for (const n of numbersOf(c)) seen.add(numberKeys(n.number, country), { id: c.id, name: c.name });
        }
        const picked: ContactRow[] = [];
        outcome = { imported: 0, duplicates: 0, rows: [] };
        for (const { row, contact } of candidates) {
          const dialled = toRow(randomUUID(), contact);
          const keys = numbersOf(dialled).map((n) => numberKeys(n.number, country));
          const hit = keys.map((k) => seen.find(k)).find((of) => of !== undefined);
          if (hit) {
            outcome.duplicates++;
            outcome.rows.push({ row, outcome: 'duplicate', duplicateOf: hit });
            if (skip) continue;
          } else outcome.rows.push({ row, outcome: 'new' });
          for (const k of keys) seen.add(k, { id: null, name: contact.name });
          picked.push(dialled);
        }
        return opts.dryRun ? [] : picked;
      };
      if (opts.dryRun) {
        pick(await repository.all());
        return outcome;
      }
      const imported = await repository.insertUnlessKnown(pick, now().toISOString());
      if (imported > 0) await changed();
      return { ...outcome, imported };
    },
  };
}
