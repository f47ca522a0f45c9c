import type { ImportResult, ImportRow, ImportRowOutcome } from '@linedeck/contract';
import { formatNumber, readNumber } from '@linedeck/contract/numbers';
import { useDefaultCountry } from './number-settings.ts';

const SHOWN_ROWS = 50;

function outcomeText(outcome: ImportRowOutcome | undefined): string {
  if (!outcome) return '…';
  if (outcome.outcome === 'new') return 'New';
  if (outcome.outcome === 'invalid') return `Refused: ${outcome.message ?? ''}`;
  const of = outcome.duplicateOf;
  if (!of) return 'Duplicate';
  return of.id ? `Duplicate: ${of.name} has this number` : `Duplicate: same number as ${of.name} above`;
}

/** The mapped rows as they will be imported, grouped numbers and all, with the server's verdict on each. */
export function ImportPreview({
  rows,
  preview,
  pending,
}: {
  rows: ImportRow[];
  preview: ImportResult | undefined;
  pending: boolean;
}) {
  const country = useDefaultCountry();
  const byRow = new Map(preview?.rows.map((r) => [r.row, r]));
  const shown = (n: string) => {
    const read = readNumber(n);
    return read.ok ? formatNumber(read.number, country, read.extension) : n;
  };
  const fresh = preview ? preview.rows.filter((r) => r.outcome === 'new').length : 0;
  return (
    <section aria-label="Preview" className="flex flex-col gap-2">
      <p aria-live="polite" className="text-sm">
        {preview && !pending
          ? `${rows.length} rows: ${fresh} new, ${preview.duplicates} duplicates by number, ${preview.errors.length} refused.`
          : `${rows.length} rows: checking…`}
      </p>
      <div className="max-h-64 overflow-auto">
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Name</th>
              <th scope="col">Company</th>
              <th scope="col">Numbers</th>
              <th scope="col">Email</th>
              <th scope="col">Note</th>
              <th scope="col">Import</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN_ROWS).map((r) => {
              const outcome = byRow.get(r.row);
              return (
                <tr
                  key={r.row}
                  className={outcome?.outcome === 'new' ? '' : 'text-zinc-600 dark:text-zinc-400'}
                >
                  <td>{r.row}</td>
                  <td>{r.name}</td>
                  <td>{r.company}</td>
                  <td className="font-mono">
                    {[r.number, ...(r.otherNumbers ?? []).map((o) => o.number)]
                      .filter(Boolean)
                      .map(shown)
                      .join(', ')}
                  </td>
                  <td>{r.email}</td>
                  <td className="max-w-40 truncate" title={r.notes}>
                    {r.notes}
                  </td>
                  <td>{outcomeText(outcome)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > SHOWN_ROWS && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The first {SHOWN_ROWS} of {rows.length} rows are shown; the counts are for all.
        </p>
      )}
    </section>
  );
}
