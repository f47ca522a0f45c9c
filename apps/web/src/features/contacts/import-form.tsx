import type { ImportResult, ImportRow } from '@linedeck/contract';
import { CONTACT_IMPORT_MAX_ROWS } from '@linedeck/contract/limits';
import { useId, useMemo, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useImportContacts, useImportPreview } from './contacts-api.ts';
import {
  FIELD_CHOICES,
  type FieldChoice,
  guessMapping,
  isVCard,
  mapRows,
  readCsv,
  type Table,
  vcardRows,
} from './import-mapping.ts';
import { ImportPreview } from './import-preview.tsx';

type Step =
  | { kind: 'choose' }
  | { kind: 'map'; table: Table; mapping: FieldChoice[] }
  | { kind: 'cards'; rows: ImportRow[] }
  | { kind: 'done'; result: ImportResult };

/**
 * Import in steps: choose or paste a CSV (comma, semicolon or tab) or vCard file; say what each column
 * is, with a preview of every row as the server sees it (new, a duplicate by number, refused); import.
 * Problems are shown here, once: nothing is toasted behind the dialog.
 */
export function ImportForm({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [problem, setProblem] = useState<string>();
  const [skipDuplicates, setSkipDuplicates] = useState(true);
  const importContacts = useImportContacts();
  const textId = useId();
  const fileId = useId();
  const skipId = useId();

  const rows = useMemo(
    () => (step.kind === 'map' ? mapRows(step.table, step.mapping) : step.kind === 'cards' ? step.rows : []),
    [step],
  );
  const tooMany = rows.length > CONTACT_IMPORT_MAX_ROWS;
  const preview = useImportPreview(tooMany ? [] : rows);

  const read = () => {
    setProblem(undefined);
    if (!text.trim()) return setProblem('Choose a file or paste its text first.');
    if (isVCard(text)) {
      const cards = vcardRows(text);
      if (cards.length === 0) return setProblem('This vCard file has no card (BEGIN:VCARD … END:VCARD).');
      return setStep({ kind: 'cards', rows: cards });
    }
    const table = readCsv(text);
    if (table.rows.length === 0) {
      return setProblem('This file has no rows under its first line (the column names).');
    }
    setStep({ kind: 'map', table, mapping: guessMapping(table.header) });
  };

  const submit = () => {
    setProblem(undefined);
    if (step.kind === 'map' && !step.mapping.some((m) => m === 'name' || m === 'first' || m === 'last')) {
      return setProblem('Say which column holds the name.');
    }
    if (step.kind === 'map' && !step.mapping.includes('number')) {
      return setProblem('Say which column holds the number.');
    }
    if (tooMany) return;
    importContacts.mutate(
      { contacts: rows, skipDuplicates },
      {
        onSuccess: (result) => setStep({ kind: 'done', result }),
        onError: (error) => setProblem(errorText(error)),
      },
    );
  };

  const alert =
    problem ??
    (tooMany
      ? `At most ${CONTACT_IMPORT_MAX_ROWS} rows per import (this has ${rows.length}): split the file.`
      : undefined);

  if (step.kind === 'done') {
    const { result } = step;
    return (
      <div className="flex flex-col gap-3">
        <p role="status">
          {result.imported} imported, {result.duplicates}{' '}
          {skipDuplicates ? 'skipped as duplicates' : 'duplicates'}, {result.errors.length} refused.
        </p>
        {result.errors.length > 0 && (
          <ul className="max-h-40 list-disc overflow-auto pl-5 text-red-700 text-sm dark:text-red-300">
            {result.errors.map((e) => (
              <li key={e.row}>
                Row {e.row}: {e.message}
              </li>
            ))}
          </ul>
        )}
        <div className="flex justify-end">
          <Button variant="primary" onClick={onDone}>
            Close
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form
      className="flex flex-col gap-3"
      aria-label="Import contacts"
      onSubmit={(e) => {
        e.preventDefault();
        if (step.kind === 'choose') read();
        else submit();
      }}
    >
      {step.kind === 'choose' ? (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor={fileId} className="font-medium text-sm">
              File (CSV or vCard)
            </label>
            <input
              id={fileId}
              type="file"
              accept=".csv,.tsv,.txt,.vcf,text/csv,text/vcard,text/plain"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) setText(await file.text());
                setProblem(undefined);
              }}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor={textId} className="font-medium text-sm">
              Or paste the file’s text
            </label>
            <textarea
              id={textId}
              rows={8}
              className="font-mono text-sm"
              placeholder={'Name;Company;Phone;Email\nAda Lovelace;Engines;+49 30 1234567;ada@example.com'}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setProblem(undefined);
              }}
            />
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              CSV with commas, semicolons or tabs, as spreadsheets and address books export it, or vCard
              (.vcf). Next you say what each column is and see every row before anything is added.
            </p>
          </div>
        </>
      ) : (
        <>
          {step.kind === 'map' && (
            <fieldset className="flex flex-col gap-2">
              <legend className="font-medium text-sm">
                What each column is ({step.table.format}, {step.table.rows.length} rows)
              </legend>
              <div className="grid max-h-56 grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 overflow-auto">
                {step.table.header.map((header, i) => (
                  <MappingRow
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed by the file; two may share a header
                    key={i}
                    header={header || `Column ${i + 1}`}
                    sample={step.table.rows[0]?.cells[i] ?? ''}
                    value={step.mapping[i] ?? 'ignore'}
                    onChange={(choice) => {
                      const mapping = [...step.mapping];
                      mapping[i] = choice;
                      setStep({ ...step, mapping });
                    }}
                  />
                ))}
              </div>
            </fieldset>
          )}
          <ImportPreview rows={rows} preview={preview.data} pending={preview.isFetching} />
          {preview.isError && !alert && <p role="alert">{errorText(preview.error)}</p>}
          <div className="flex items-center gap-2 text-sm">
            <input
              id={skipId}
              type="checkbox"
              checked={skipDuplicates}
              onChange={(e) => setSkipDuplicates(e.target.checked)}
            />
            <label htmlFor={skipId}>Skip rows whose number already is a contact’s (or a row’s above)</label>
          </div>
        </>
      )}
      {alert && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {alert}
        </p>
      )}
      <div className="flex justify-end gap-2">
        {step.kind !== 'choose' && (
          <Button type="button" variant="ghost" onClick={() => setStep({ kind: 'choose' })}>
            Back
          </Button>
        )}
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        {step.kind === 'choose' ? (
          <Button type="submit" variant="primary">
            Next
          </Button>
        ) : (
          <Button type="submit" variant="primary" pending={importContacts.isPending} disabled={tooMany}>
            Import
          </Button>
        )}
      </div>
    </form>
  );
}

function MappingRow({
  header,
  sample,
  value,
  onChange,
}: {
  header: string;
  sample: string;
  value: FieldChoice;
  onChange: (choice: FieldChoice) => void;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="truncate text-sm" title={sample}>
        <span className="font-medium">{header}</span>
        {sample && <span className="text-zinc-600 dark:text-zinc-400"> · {sample}</span>}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as FieldChoice)}>
        {Object.entries(FIELD_CHOICES).map(([choice, label]) => (
          <option key={choice} value={choice}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}
