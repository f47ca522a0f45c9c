/**
 * The import's mapping step as pure functions: a file read into a table (papaparse, comma, semicolon
 * or tab told by itself; or vCard cards), each column given a meaning (guessed from its header, changed
 * by the person), and the rows the server checks (`ImportRow`).
 */
import type { ImportRow } from '@linedeck/contract';
import Papa from 'papaparse';
import { orderedPhones, parseVCards, phoneLabel } from './vcard.ts';

export const FIELD_CHOICES = {
  name: 'Name',
  first: 'First name',
  last: 'Last name',
  company: 'Company',
  number: 'Number',
  email: 'Email',
  note: 'Note',
  keep: 'Keep in the note',
  ignore: 'Ignore',
} as const;
export type FieldChoice = keyof typeof FIELD_CHOICES;

export interface Table {
  header: string[];
  /** `row` is the record's place in the file, the header being row 1. */
  rows: { row: number; cells: string[] }[];
  /** What the file was read as, for the person to check. */
  format: 'CSV (comma)' | 'CSV (semicolon)' | 'CSV (tab)' | 'vCard';
}

const FORMATS: Record<string, Table['format']> = {
  ',': 'CSV (comma)',
  ';': 'CSV (semicolon)',
  '\t': 'CSV (tab)',
};

/** A cell as the person meant it: trimmed, and our export's ' before = + - @ taken off again. */
export function cleanCell(cell: string | undefined): string {
  const text = (cell ?? '').trim();
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

export function readCsv(text: string): Table {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const result = Papa.parse<string[]>(input, {
    delimitersToGuess: [',', ';', '\t'],
    skipEmptyLines: 'greedy',
  });
  const [header = [], ...records] = result.data;
  return {
    header: header.map((h) => h.trim()),
    rows: records.map((cells, i) => ({ row: i + 2, cells })),
    format: FORMATS[result.meta.delimiter] ?? 'CSV (comma)',
  };
}

const GUESSES: [RegExp, FieldChoice][] = [
  [/^(first|given)[ _-]?name$|^vorname$|^prénom$/i, 'first'],
  [/^(last|family|sur)[ _-]?name$|^nachname$|^nom de famille$/i, 'last'],
  [/^(full[ _-]?)?name$|^display[ _-]?name$|^contact$|^nom$/i, 'name'],
  [/e-?mail/i, 'email'],
  [/phone|number|^tel|mobil|cell|handy|fax|^nummer$|telefon/i, 'number'],
  [/compan|organi[sz]ation|^org$|firma|employer/i, 'company'],
  [/^notes?$|^comments?$|notiz|bemerkung/i, 'note'],
];

/** A meaning for each header: the usual export names of Outlook, Google, Apple and LineDeck itself. */
export function guessMapping(header: readonly string[]): FieldChoice[] {
  const used = new Set<FieldChoice>();
  return header.map((h) => {
    const guess = GUESSES.find(([pattern]) => pattern.test(h.trim()))?.[1] ?? 'ignore';
    // One column is the name, the company, the email: a second of the same kind is kept in the note.
    if (guess !== 'number' && guess !== 'ignore' && used.has(guess)) return 'keep';
    used.add(guess);
    return guess;
  });
}

/** A number cell: one number, or several as LineDeck exports them ("Mobile: +49 170 1; Home: 030 2"). */
function numbersIn(cell: string, header: string): { label: string | null; number: string }[] {
  return cell
    .split(';')
    .map((part) => cleanCell(part))
    .filter(Boolean)
    .map((part) => {
      const labelled = /^([^:0-9+]{1,40}):\s*(.+)$/.exec(part);
      if (labelled) return { label: (labelled[1] ?? '').trim(), number: cleanCell(labelled[2]) };
      return { label: header || null, number: part };
    });
}

export function mapRows(table: Table, mapping: readonly FieldChoice[]): ImportRow[] {
  return table.rows.map(({ row, cells }) => {
    const of = (choice: FieldChoice) =>
      mapping.flatMap((m, i) =>
        m === choice ? [{ header: table.header[i] ?? '', cell: cleanCell(cells[i]) }] : [],
      );
    const first = (choice: FieldChoice) => of(choice).find((c) => c.cell !== '')?.cell ?? '';
    const name = first('name') || [first('first'), first('last')].filter(Boolean).join(' ');
    const numbers = of('number').flatMap((c) => numbersIn(c.cell, c.header));
    const notes = [
      ...of('note').map((c) => c.cell),
      ...of('keep').map((c) => (c.cell ? `${c.header}: ${c.cell}` : '')),
    ].filter(Boolean);
    const out: ImportRow = { row, name, number: numbers[0]?.number ?? '' };
    const company = first('company');
    const email = first('email');
    if (company) out.company = company;
    if (email) out.email = email;
    if (notes.length > 0) out.notes = notes.join('\n');
    if (numbers.length > 1) out.otherNumbers = numbers.slice(1);
    return out;
  });
}

/** vCard cards as rows: the preferred number first, the others labelled by their type. */
export function vcardRows(text: string): ImportRow[] {
  return parseVCards(text).map((card) => {
    const phones = orderedPhones(card.phones);
    const out: ImportRow = { row: card.line, name: card.name, number: phones[0]?.number ?? '' };
    if (card.company) out.company = card.company;
    if (card.emails[0]) out.email = card.emails[0];
    if (card.note) out.notes = card.note;
    if (phones.length > 1) {
      out.otherNumbers = phones.slice(1).map((p) => ({ label: phoneLabel(p.types), number: p.number }));
    }
    return out;
  });
}

export function isVCard(text: string): boolean {
  return /^\uFEFF?\s*BEGIN:VCARD/i.test(text);
}
