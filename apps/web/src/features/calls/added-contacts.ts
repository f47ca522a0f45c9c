/**
 * Contacts added from the Calls page, for this page load. The journal keeps the contact a call matched
 * when it was recorded; a contact added afterwards names that caller's earlier rows here at once (and
 * takes their "Add contact" away), without rewriting history on the server.
 */
import type { CallerContact, Contact } from '@linedeck/contract';
import { type CountryCode, numberKeys, sameNumber } from '@linedeck/contract/numbers';
import { useSyncExternalStore } from 'react';

let added: readonly Contact[] = [];
const listeners = new Set<() => void>();

export function rememberAddedContact(contact: Contact): void {
  added = [contact, ...added.filter((c) => c.id !== contact.id)];
  for (const listener of listeners) listener();
}

export function useAddedContacts(): readonly Contact[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => added,
  );
}

/** The added contact with this number (its main or another of its numbers), when any. */
export function addedContactFor(
  number: string,
  contacts: readonly Contact[],
  country: CountryCode | null,
): CallerContact | undefined {
  if (contacts.length === 0 || !number) return undefined;
  const keys = numberKeys(number, country);
  const found = contacts.find((c) =>
    [c.number, ...c.otherNumbers.map((o) => o.number)].some((n) => sameNumber(keys, numberKeys(n, country))),
  );
  return found && { id: found.id, name: found.name, company: found.company ?? null };
}
