/**
 * Directory entries as LineDeck contacts (read-only, `source: 'directory'`): the name and company from
 * the first mapped attribute present, every mapped number that reads as one. Entries without a name or
 * a number are left out: they can neither name a caller nor be dialled.
 */
import { createHash } from 'node:crypto';
import type { Contact, DirectoryMapping } from '@linedeck/contract';
import { type CountryCode, readNumber, toE164 } from '@linedeck/contract/numbers';
import type { LdapEntry } from './ldap-reader.ts';

/** Directory ids carry this prefix, so the contacts API tells them from its own (UUIDs) without a lookup. */
export const DIRECTORY_ID_PREFIX = 'dir-';

export const isDirectoryId = (id: string) => id.startsWith(DIRECTORY_ID_PREFIX);

/** Stable across refreshes while the entry keeps its DN (DNs are case-insensitive). */
const idOf = (dn: string) =>
  DIRECTORY_ID_PREFIX + createHash('sha256').update(dn.toLowerCase()).digest('hex').slice(0, 24);

const first = (e: LdapEntry, names: readonly string[]): string | null => {
  for (const n of names) {
    const v = e.attributes[n.toLowerCase()]?.find((s) => s.trim() !== '');
    if (v) return v.trim();
  }
  return null;
};

export function toDirectoryContact(
  e: LdapEntry,
  mapping: DirectoryMapping,
  country: CountryCode | null,
  at: string,
): Contact | null {
  const name = first(e, mapping.name);
  if (!name) return null;
  const numbers: Contact['otherNumbers'] = [];
  const seen = new Set<string>();
  for (const attr of mapping.numbers) {
    for (const raw of e.attributes[attr.toLowerCase()] ?? []) {
      const read = readNumber(raw);
      if (!read.ok || seen.has(read.number)) continue;
      seen.add(read.number);
      numbers.push({
        label: attr,
        number: read.number,
        e164: toE164(read.number, country),
        extension: read.extension,
      });
    }
  }
  const [main, ...others] = numbers;
  if (!main) return null;
  return {
    id: idOf(e.dn),
    name,
    company: first(e, mapping.company),
    email: null,
    number: main.number,
    e164: main.e164,
    extension: main.extension,
    otherNumbers: others,
    notes: null,
    createdAt: at,
    updatedAt: at,
    source: 'directory',
  };
}
