/**
 * Contacts: the repository (SQL) with the in-memory caller index kept in step: every write rebuilds the
 * index and tells listeners (the state cache re-names callers on screen at once). The lookup stays a
 * synchronous Map lookup, since the state cache names callers on every poll.
 *
 * Numbers follow the one number model (packages/contract/src/numbers.ts): each is kept as dialled with
 * its E.164 form under DEFAULT_COUNTRY, which caller ID, search and duplicate checks compare.
 */
import { randomUUID } from 'node:crypto';
import type { CallerContact, Contact, ContactNumber, ContactSource } from '@linedeck/contract';
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
  /** Only LineDeck's own contacts, or only the directory's; absent: both, LineDeck's first. */
  source?: ContactSource | undefined;
  limit: number;
  offset: number;
}

/** The directory's read-only contacts (directory/directory.ts), looked up after LineDeck's own. */
export interface DirectorySource {
  lookup(remoteNumber: string): CallerContact | null;
  get(id: string): Contact | undefined;
  /** `text` normalised as search-text.ts does; `numbers` as digits. */
  search(text: string, numbers: readonly string[]): Contact[];
  onChange(listener: () => void): () => void;
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
  directory?: DirectorySource | undefined;
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
  const directory = options.directory;
  // A directory refresh re-names callers on screen as a LineDeck change does.
  directory?.onChange(() => {
    for (const l of listeners) l();
  });

  async function get(id: string): Promise<Contact> {
    const fromDirectory = directory?.get(id);
    if (fromDirectory) return fromDirectory;
    const contact = await repository.get(id);
    if (!contact) throw new AppError('not_found', `No contact with id ${id}`);
    return contact;
  }

  return {
    defaultCountry: country,

    /** The contact for an incoming number, or null (caller-index.ts has the rule); LineDeck's own first. */
    lookup: (remoteNumber: string): CallerContact | null =>
      index.lookup(remoteNumber) ?? directory?.lookup(remoteNumber) ?? null,

    /** Whether `id` is a directory contact (read-only). */
    isDirectoryContact: (id: string): boolean => directory?.get(id) !== undefined,

    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async list(query: ContactQuery): Promise<{ contacts: Contact[]; total: number }> {
      const q = query.q?.trim() ?? '';
      const paging = { limit: query.limit, offset: query.offset };
      // "030 2309" finds +49 30 2309: a typed number is also searched as digits and as E.164.
      const read = q !== '' && /[0-9]/.test(q) && !/[a-z]/i.test(q) ? readNumber(q) : undefined;
      const numbers = read?.ok
        ? [read.number.replace('+', ''), toE164(read.number, country)?.slice(1) ?? '']
        : [];
      const filter = q === '' ? undefined : { text: normalizeSearch(q), numbers };
      const fromDirectory = () => (directory ? directory.search(filter?.text ?? '', numbers) : []);
      if (query.source === 'directory') {
        const all = fromDirectory();
        return { contacts: all.slice(query.offset, query.offset + query.limit), total: all.length };
      }
      const own = await repository.page(filter, paging);
      if (query.source === 'linedeck' || !directory) return own;
      // LineDeck's own first, then the directory's: a page past the own ones continues into the directory.
      const all = fromDirectory();
      const start = Math.max(0, query.offset - own.total);
      const rest = all.slice(start, start + query.limit - own.contacts.length);
      return { contacts: [...own.contacts, ...rest], total: own.total + all.length };
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
