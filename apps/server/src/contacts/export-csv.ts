/**
 * Contacts as a CSV file people open in a spreadsheet: a UTF-8 BOM (so Excel reads "Müller"), CRLF,
 * quotes where needed, and formula-safe: a cell starting with = + - @ (or a tab or carriage return) is
 * prefixed with ' so a spreadsheet shows it as text instead of running it (CSV injection). The import's
 * mapping step takes that ' off again.
 */
import type { Contact } from '@linedeck/contract';
import { formatNumber } from '@linedeck/contract/numbers';

export const EXPORT_COLUMNS = ['name', 'company', 'number', 'email', 'notes', 'other numbers'] as const;

export function safeCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** International and grouped when it is a public number, so the file means the same in any country. */
function shown(n: { number: string; e164: string | null; extension: string | null }): string {
  return formatNumber(n.e164 ?? n.number, null, n.extension);
}

export function contactsCsv(contacts: readonly Contact[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const c of contacts) {
    const others = c.otherNumbers.map((o) => (o.label ? `${o.label}: ${shown(o)}` : shown(o))).join('; ');
    const cells = [c.name, c.company ?? '', shown(c), c.email ?? '', c.notes ?? '', others];
    lines.push(cells.map(safeCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
