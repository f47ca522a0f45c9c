/**
 * The normalized text contacts are searched in (the `search_text` column): lower case, accents and
 * other marks dropped, so "muller" finds "Müller" and "MÜLLER" on SQLite and Postgres alike (neither
 * folds accents in LIKE by itself, and Postgres' LIKE does not even fold case). Filled by the
 * repository on every write; the same function reads the query.
 */

/** Letters that carry no combining mark to drop, spelled as people type them without the key. */
const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

export function normalizeSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => SPELLED[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}
