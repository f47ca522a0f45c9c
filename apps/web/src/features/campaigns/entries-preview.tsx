import type { DoNotCallEntry } from '@linedeck/contract';
import { type CountryCode, numberKeys, sameNumber } from '@linedeck/contract/numbers';
import { useId } from 'react';
import type { DraftEntry, ReadEntries, RefusedLine } from './entry-text.ts';

const SHOWN = 50;

/**
 * The entries read so far with those the do-not-call list blocks moved to the refused: what the server
 * will refuse, known before anything is sent (the server checks again and has the last word).
 */
export function withDoNotCall(
  read: ReadEntries,
  blocked: readonly DoNotCallEntry[],
  country: CountryCode | null,
): ReadEntries {
  if (blocked.length === 0) return read;
  const entries: DraftEntry[] = [];
  const refused: RefusedLine[] = [...read.refused];
  for (const entry of read.entries) {
    const keys = numberKeys(entry.number, country);
    if (blocked.some((b) => sameNumber(keys, b))) {
      refused.push({ line: entry.line, text: entry.number, reason: 'on the do-not-call list' });
    } else entries.push(entry);
  }
  refused.sort((a, b) => a.line - b.line);
  return { entries, refused };
}

/** "3 entries will be added, 1 refused", then each refused line with why. */
export function EntriesPreview({ read, id }: { read: ReadEntries; id?: string }) {
  const autoId = useId();
  const listId = id ?? autoId;
  const { entries, refused } = read;
  if (entries.length === 0 && refused.length === 0) return null;
  return (
    <section aria-label="Entries preview" className="flex flex-col gap-1 text-sm">
      <p aria-live="polite">
        {entries.length} {entries.length === 1 ? 'entry' : 'entries'} to add
        {refused.length > 0 ? `, ${refused.length} refused:` : '.'}
      </p>
      {refused.length > 0 && (
        <ul
          id={listId}
          aria-label="Refused lines"
          className="max-h-40 list-disc overflow-auto pl-5 text-red-700 dark:text-red-300"
        >
          {refused.slice(0, SHOWN).map((r) => (
            <li key={`${r.line}-${r.text}`}>
              Line {r.line}, “{r.text}”: {r.reason}
            </li>
          ))}
          {refused.length > SHOWN && <li>… and {refused.length - SHOWN} more</li>}
        </ul>
      )}
    </section>
  );
}
