/**
 * A campaign's results as a CSV file people open in a spreadsheet: one row per entry with its last
 * outcome, attempts, talk time and the journal call it came from. Formula-safe like the contacts export
 * (safeCell: a cell starting with = + - @ is prefixed with '), with a BOM and CRLF.
 */
import type { CampaignEntry } from '@linedeck/contract';
import { safeCell } from '../contacts/export-csv.ts';

const RESULT_COLUMNS = [
  'position',
  'name',
  'number',
  'note',
  'state',
  'outcome',
  'attempts',
  'talk seconds',
  'phone',
  'callback at',
  'call id',
  'updated at',
] as const;

export function resultsCsv(entries: readonly CampaignEntry[]): string {
  const lines = [RESULT_COLUMNS.join(',')];
  for (const e of entries) {
    const cells = [
      String(e.position),
      e.name ?? '',
      e.number,
      e.note ?? '',
      e.state,
      e.outcome ?? '',
      String(e.attempts),
      String(e.talkSeconds),
      e.phoneId ?? '',
      e.callbackAt ?? '',
      e.callId ?? '',
      e.updatedAt,
    ];
    lines.push(cells.map(safeCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
