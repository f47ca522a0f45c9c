/**
 * A contacts CSV checked row by row. The header names the columns (any order, any case):
 * `name` and `number` are required, `company` and `notes` optional, anything else is refused so a
 * typo ("phone") is not silently dropped. Invalid rows are reported and skipped (docs/api.md).
 */
import { CONTACT_IMPORT_MAX_ROWS, createContactBodySchema } from '@linedeck/contract';
import { AppError } from '../errors.ts';
import type { NewContact } from './contacts.ts';
import { parseCsv } from './csv.ts';

const COLUMNS = ['name', 'number', 'company', 'notes'] as const;
type Column = (typeof COLUMNS)[number];

export interface CheckedCsv {
  rows: NewContact[];
  errors: { row: number; message: string }[];
}

function refuse(message: string): never {
  throw new AppError('invalid_input', message, { issues: [{ path: 'csv', message }] });
}

export function checkContactsCsv(csv: string): CheckedCsv {
  const [header, ...lines] = parseCsv(csv);
  if (!header) refuse('The CSV is empty: its first line names the columns, e.g. name,number,company,notes.');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0 || !names.includes('name') || !names.includes('number')) {
    refuse(
      `The first line must name the columns name and number (and optionally company, notes)` +
        (unknown.length > 0 ? `; unknown: ${unknown.join(', ')}.` : '.'),
    );
  }
  if (new Set(names).size !== names.length) refuse('A column is named twice in the first line.');
  if (lines.length > CONTACT_IMPORT_MAX_ROWS) {
    refuse(`At most ${CONTACT_IMPORT_MAX_ROWS} rows per import (this has ${lines.length}): split the file.`);
  }
  const rows: NewContact[] = [];
  const errors: CheckedCsv['errors'] = [];
  for (const line of lines) {
    if (line.fields.length !== names.length) {
      errors.push({ row: line.line, message: `${line.fields.length} fields, expected ${names.length}.` });
      continue;
    }
    const record: Partial<Record<Column, string>> = {};
    names.forEach((n, i) => {
      record[n as Column] = line.fields[i];
    });
    const result = createContactBodySchema.safeParse(record);
    if (!result.success) {
      const message = result.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join(' ');
      errors.push({ row: line.line, message });
      continue;
    }
    rows.push(result.data);
  }
  return { rows, errors };
}
