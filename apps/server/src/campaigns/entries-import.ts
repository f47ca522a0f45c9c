/**
 * What a campaign is given to call (pasted text, CSV text or mapped entries) read into entries, each
 * taken or refused with why: not a number, on the do-not-call list (matched in any written form by the
 * numbers model), already in the campaign (or a row above), or over the campaign's size.
 */
import {
  CAMPAIGN_MAX_ENTRIES,
  type CampaignEntryInput,
  type CampaignImportResult,
  type ImportCampaignEntriesBody,
} from '@linedeck/contract';
import {
  type CountryCode,
  type NumberKeys,
  numberKeys,
  readNumber,
  sameNumber,
} from '@linedeck/contract/numbers';
import { parseCsv } from '../contacts/csv.ts';
import type { NewEntry } from './campaigns-repository.ts';

export interface SourceRow {
  row: number;
  input: CampaignEntryInput;
}

const NUMBER_COLUMNS = ['number', 'phone', 'telephone', 'tel', 'nummer', 'rufnummer'];

/** One entry a line: the number first, then a name and a note, split at a tab, `;` or `,`. */
function pastedRows(text: string): SourceRow[] {
  const rows: SourceRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const split = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
    const [number = '', name, ...rest] = line.split(split).map((p) => p.trim());
    rows.push({
      row: i + 1,
      input: { number, ...(name ? { name } : {}), ...(rest.length ? { note: rest.join(split).trim() } : {}) },
    });
  });
  return rows;
}

/** CSV with a header: the number column (number, phone...), and `name` and `note` (or `notes`) if there. */
function csvRows(text: string): SourceRow[] | { error: string } {
  const [header, ...body] = parseCsv(text);
  if (!header) return { error: 'The CSV is empty.' };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const numberAt = names.findIndex((n) => NUMBER_COLUMNS.includes(n));
  if (numberAt === -1) return { error: 'The CSV header needs a "number" (or "phone") column.' };
  const nameAt = names.indexOf('name');
  const noteAt = names.findIndex((n) => n === 'note' || n === 'notes');
  return body.map((r) => {
    const at = (i: number) => (i === -1 ? '' : (r.fields[i] ?? '').trim());
    // A ' in front was added by a formula-safe export (ours): it is not part of the value.
    const unsafe = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);
    const name = unsafe(at(nameAt));
    const note = unsafe(at(noteAt));
    return {
      row: r.line,
      input: { number: unsafe(at(numberAt)), ...(name ? { name } : {}), ...(note ? { note } : {}) },
    };
  });
}

export function sourceRows(body: ImportCampaignEntriesBody): SourceRow[] | { error: string } {
  if ('text' in body) return pastedRows(body.text);
  if ('csv' in body) return csvRows(body.csv);
  return body.entries.map((input, i) => ({ row: i + 1, input }));
}

export interface ImportChecks {
  country: CountryCode | null;
  /** Numbers already in the campaign. */
  existing: readonly NumberKeys[];
  /** How many more entries the campaign takes. */
  room: number;
  onDoNotCall(keys: NumberKeys): Promise<boolean>;
}

/** Each row taken (ready to store) or refused with why; nothing is stored here. */
export async function checkRows(
  rows: readonly SourceRow[],
  checks: ImportChecks,
): Promise<{ entries: NewEntry[]; result: Omit<CampaignImportResult, 'dryRun'> }> {
  const entries: NewEntry[] = [];
  const result: Omit<CampaignImportResult, 'dryRun'> = { taken: [], refused: [] };
  const seen: NumberKeys[] = [...checks.existing];
  for (const { row, input } of rows) {
    const refuse = (reason: CampaignImportResult['refused'][number]['reason'], message: string) =>
      result.refused.push({ row, input: input.number, reason, message });
    const read = readNumber(input.number);
    if (!read.ok) {
      refuse('invalid', read.reason);
      continue;
    }
    const keys = numberKeys(read.number, checks.country);
    if (await checks.onDoNotCall(keys)) {
      refuse('do_not_call', 'This number is on the do-not-call list.');
      continue;
    }
    if (seen.some((k) => sameNumber(k, keys))) {
      refuse('duplicate', 'This number is already in the campaign.');
      continue;
    }
    if (entries.length >= checks.room) {
      refuse('too_many', `A campaign holds at most ${CAMPAIGN_MAX_ENTRIES} entries.`);
      continue;
    }
    seen.push(keys);
    entries.push({
      number: read.number,
      e164: keys.e164,
      digits: keys.digits,
      name: input.name?.trim() || null,
      note: input.note?.trim() || null,
    });
    result.taken.push({ row, number: read.number, name: input.name?.trim() || null });
  }
  return { entries, result };
}
