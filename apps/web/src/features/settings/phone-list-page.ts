/** Search and paging of the settings' phone list: a few hundred phones stay one screen tall. */
import type { Phone } from '@linedeck/contract';

export const PHONES_PER_PAGE = 25;

export interface PhoneListPage {
  phones: Phone[];
  /** How many phones match the search (all of them without one). */
  matching: number;
  /** The page shown, 0-based, moved back into range when the list shrank. */
  page: number;
  pages: number;
}

/** Whether a phone matches every word of the search, in its name, address, model or firmware. */
export function phoneMatches(phone: Phone, query: string): boolean {
  const haystack = [phone.name, phone.host, phone.model ?? '', phone.firmware ?? ''].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function phoneListPage(phones: readonly Phone[], query: string, page: number): PhoneListPage {
  const sorted = phones
    .filter((p) => phoneMatches(p, query))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const pages = Math.max(1, Math.ceil(sorted.length / PHONES_PER_PAGE));
  const shown = Math.min(Math.max(0, page), pages - 1);
  return {
    phones: sorted.slice(shown * PHONES_PER_PAGE, (shown + 1) * PHONES_PER_PAGE),
    matching: sorted.length,
    page: shown,
    pages,
  };
}
