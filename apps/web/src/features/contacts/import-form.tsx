import type { ImportResult } from '@linedeck/contract';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { useImportContacts } from '../../lib/mutations.ts';

/** CSV import: paste or choose a file with a header `name,number[,company][,notes]`. Invalid rows are skipped. */
export function ImportForm({ onDone }: { onDone: () => void }) {
  const importContacts = useImportContacts();
  const [csv, setCsv] = useState('');
  const [result, setResult] = useState<ImportResult | undefined>();
  const textId = useId();
  const fileId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!csv.trim() || importContacts.isPending) return;
    importContacts.mutate(csv, { onSuccess: setResult });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Import contacts">
      <div className="flex flex-col gap-1">
        <label htmlFor={fileId} className="font-medium text-sm">
          CSV file
        </label>
        <input
          id={fileId}
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) setCsv(await file.text());
          }}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={textId} className="font-medium text-sm">
          CSV text
        </label>
        <textarea
          id={textId}
          rows={8}
          className="font-mono text-sm"
          placeholder={'name,number,company,notes\nAda Lovelace,+49 30 1234567,Engines,'}
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setResult(undefined);
          }}
        />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          First line: the column names name and number (company and notes optional). Up to 2,000 rows; rows
          already in the contacts are skipped.
        </p>
      </div>
      {result && (
        <div role="status" className="flex flex-col gap-1 text-sm">
          <p>
            {result.imported} imported, {result.duplicates} already there, {result.errors.length} refused.
          </p>
          {result.errors.length > 0 && (
            <ul className="max-h-40 list-disc overflow-auto pl-5 text-red-700 dark:text-red-300">
              {result.errors.map((e) => (
                <li key={e.row}>
                  Row {e.row}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          {result ? 'Close' : 'Cancel'}
        </Button>
        <Button type="submit" variant="primary" pending={importContacts.isPending} disabled={!csv.trim()}>
          Import
        </Button>
      </div>
    </form>
  );
}
