/**
 * Contacts to import, checked row by row: either the API's CSV, whose header names the columns (any
 * order, any case: `name` and `number` required, `company`, `email` and `notes` optional, anything else
 * refused so a typo such as "phone" is not silently dropped), or rows the web has already mapped from a
 * CSV or vCard file. Invalid rows are reported and skipped (docs/api.md).
 */
import { CONTACT_IMPORT_MAX_ROWS, createContactBodySchema, type ImportRow } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import type { ImportCandidate } from './contacts.ts';
import { parseCsv } from './csv.ts';

const COLUMNS = ['name', 'number', 'company', 'email', 'notes'] as const;
type Column = (typeof COLUMNS)[number];

export interface CheckedImport {
  rows: ImportCandidate[];
  errors: { row: number; message: string }[];
}

function refuse(message: string): never {
  throw new AppError('invalid_input', message, { issues: [{ path: 'csv', message }] });
}

/** One row through the same schema as a contact made by hand. */
function check(row: number, record: Record<string, unknown>, out: CheckedImport): void {
  const result = createContactBodySchema.safeParse(record);
  if (result.success) {
    out.rows.push({ row, contact: result.data });
    return;
  }
  const message = result.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join(' ');
  out.errors.push({ row, message });
}

export function checkContactsCsv(csv: string): CheckedImport {
  const [header, ...lines] = parseCsv(csv);
  if (!header) refuse('The CSV is empty: its first line names the columns, e.g. name,number,company,notes.');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0 || !names.includes('name') || !names.includes('number')) {
    refuse(
      `The first line must name the columns name and number (and optionally company, email, notes)` +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}.` : '.'),
    );
  }
  if (new Set(names).size !== names.length) refuse('A column is named twice in the first line.');
  if (lines.length > CONTACT_IMPORT_MAX_ROWS) {
    refuse(`At most ${CONTACT_IMPORT_MAX_ROWS} rows per import (this has ${lines.length}): split the file.`);
  }
  const out: CheckedImport = { rows: [], errors: [] };
  for (const line of lines) {
    if (line.fields.length !== names.length) {
      out.errors.push({ row: line.line, message: `${line.fields.length} fields, expected ${names.length}.` });
      continue;
    }
    const record: Partial<Record<Column, string>> = {};
    names.forEach((n, i) => {
      record[n as Column] = line.fields[i];
    });
    check(line.line, record, out);
  }
  return out;
}

export function checkImportRows(rows: readonly ImportRow[]): CheckedImport {
  const out: CheckedImport = { rows: [], errors: [] };
  for (const { row, otherNumbers, ...fields } of rows) {
    const record: Record<string, unknown> = { ...fields };
    if (otherNumbers && otherNumbers.length > 0) {
      record.otherNumbers = otherNumbers.map((o) => ({ label: o.label ?? null, number: o.number }));
    }
    check(row, record, out);
  }
  return out;
}
