import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useDefaultCountry } from '../contacts/number-settings.ts';
import { campaignQueries } from './campaigns-queries.ts';
import { EntriesPreview, withDoNotCall } from './entries-preview.tsx';
import { type ReadEntries, readEntries } from './entry-text.ts';

export interface EntryDraft {
  text: string;
  setText: (text: string) => void;
  /** What will be sent, and what is refused with why (do-not-call included when the list is readable). */
  read: ReadEntries;
}

export function useEntryDraft(): EntryDraft {
  const [text, setText] = useState('');
  const country = useDefaultCountry();
  // Viewers may not read the list: then the server's answer names the blocked numbers.
  const blocked = useQuery({ ...campaignQueries.doNotCall(), retry: false });
  const read = useMemo(
    () => withDoNotCall(readEntries(text), blocked.data?.entries ?? [], country),
    [text, blocked.data, country],
  );
  return { text, setText, read };
}

/** Entries pasted or chosen as a file (CSV with a header, or one per line), with the preview under it. */
export function EntriesField({
  draft,
  label = 'Entries, one per line',
}: {
  draft: EntryDraft;
  label?: string;
}) {
  const textId = useId();
  const fileId = useId();
  const hintId = useId();
  const refusedId = useId();
  const refused = draft.read.refused.length > 0;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor={textId} className="font-medium text-sm">
          {label}
        </label>
        <textarea
          id={textId}
          rows={6}
          className="font-mono text-sm"
          value={draft.text}
          placeholder={'+49 30 1234567\nAda Lovelace, 030 7654321, asked for the brochure'}
          aria-describedby={`${hintId}${refused ? ` ${refusedId}` : ''}`}
          aria-invalid={refused || undefined}
          onChange={(e) => draft.setText(e.target.value)}
        />
        <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
          A number per line, a name before it and a note after it (split by commas, semicolons or tabs); or a
          CSV whose first line names the columns (Name, Number, Note).
        </p>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={fileId} className="font-medium text-sm">
          Or choose a file (CSV or text)
        </label>
        <input
          id={fileId}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) draft.setText(await file.text());
          }}
        />
      </div>
      <EntriesPreview read={draft.read} id={refusedId} />
    </div>
  );
}
