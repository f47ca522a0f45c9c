/**
 * What a person pasted or chose as a campaign's entries, read before anything is sent: one entry per
 * line ("Ada Lovelace, +49 30 1234567, asked for a callback") or a CSV with a header row (the columns
 * named like name / number / note). Each refused line says why, in the words the preview shows; the
 * server checks again (do-not-call, duplicates) and has the last word.
 */
import { readNumber } from '@linedeck/contract/read-number';
import { cleanCell, readCsv } from '../contacts/import-mapping.ts';

export interface DraftEntry {
  /** The line (or CSV row, the header being 1) it came from. */
  line: number;
  number: string;
  name?: string;
  note?: string;
}

export interface RefusedLine {
  line: number;
  text: string;
  reason: string;
}

export interface ReadEntries {
  entries: DraftEntry[];
  refused: RefusedLine[];
}

const NUMBER_HEADER = /phone|number|^tel|mobil|cell|nummer|telefon/i;
const NAME_HEADER = /name|^contact$|^nom$/i;
const NOTE_HEADER = /^notes?$|^comments?$|notiz|bemerkung/i;

/** A header row names a number column and has no number in it: then the text is read as CSV. */
function csvHeader(firstLine: string): boolean {
  const cells = firstLine.split(/[,;\t]/).map((c) => c.trim());
  return cells.some((c) => NUMBER_HEADER.test(c)) && !cells.some((c) => readNumber(c).ok);
}

function entryOf(line: number, number: string, name: string, note: string): DraftEntry {
  return { line, number, ...(name ? { name } : {}), ...(note ? { note } : {}) };
}

/** Marks a second line with the same number as refused: one entry is called once per attempt. */
function withoutRepeats(read: ReadEntries): ReadEntries {
  const first = new Map<string, number>();
  const entries: DraftEntry[] = [];
  const refused = [...read.refused];
  for (const entry of read.entries) {
    const seen = first.get(entry.number);
    if (seen === undefined) {
      first.set(entry.number, entry.line);
      entries.push(entry);
    } else {
      refused.push({ line: entry.line, text: entry.number, reason: `the same number as line ${seen}` });
    }
  }
  refused.sort((a, b) => a.line - b.line);
  return { entries, refused };
}

function readCsvEntries(text: string): ReadEntries {
  const table = readCsv(text);
  const column = (pattern: RegExp) => table.header.findIndex((h) => pattern.test(h));
  const numberAt = column(NUMBER_HEADER);
  const nameAt = column(NAME_HEADER);
  const noteAt = column(NOTE_HEADER);
  const out: ReadEntries = { entries: [], refused: [] };
  for (const { row, cells } of table.rows) {
    const raw = cleanCell(cells[numberAt]);
    const read = readNumber(raw);
    const name = nameAt >= 0 ? cleanCell(cells[nameAt]) : '';
    if (!read.ok) {
      const reason = raw === '' ? 'no number in this row' : read.reason;
      out.refused.push({ line: row, text: cells.join(', '), reason });
      continue;
    }
    out.entries.push(entryOf(row, read.number, name, noteAt >= 0 ? cleanCell(cells[noteAt]) : ''));
  }
  return out;
}

/**
 * One line: the first cell (split at commas, semicolons or tabs) that reads as a number is the number;
 * the cells before it are the name, those after it the note. A whole line that is a number ("030 123,
 * 45" has no comma in a number people write) is tried first.
 */
function readLine(line: number, text: string): DraftEntry | RefusedLine {
  const whole = readNumber(text);
  if (whole.ok) return entryOf(line, whole.number, '', '');
  const cells = text.split(/[,;\t]/).map((c) => c.trim());
  const at = cells.findIndex((c) => c !== '' && readNumber(c).ok);
  if (at < 0) {
    const tried = cells.filter((c) => /\d/.test(c)).at(-1);
    const reason = tried ? readNumber(tried) : whole;
    return { line, text, reason: reason.ok ? 'no number on this line' : reason.reason };
  }
  const read = readNumber(cells[at] as string);
  const number = read.ok ? read.number : '';
  return entryOf(
    line,
    number,
    cells.slice(0, at).join(' ').trim(),
    cells
      .slice(at + 1)
      .join(', ')
      .trim(),
  );
}

/** Every line or row of `text` as an entry or a refusal, in the order written. */
export function readEntries(text: string): ReadEntries {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = input.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (csvHeader(firstLine)) return withoutRepeats(readCsvEntries(input));
  const out: ReadEntries = { entries: [], refused: [] };
  input.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    const read = readLine(i + 1, text);
    if ('reason' in read) out.refused.push(read);
    else out.entries.push(read);
  });
  return withoutRepeats(out);
}
