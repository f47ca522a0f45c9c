import type { AddDoNotCallResult } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { errorText } from '../../lib/error-text.ts';
import { useNumberFormat } from '../contacts/number-settings.ts';
import { campaignQueries, useAddDoNotCall, useRemoveDoNotCall } from './campaigns-queries.ts';

function addedText(result: AddDoNotCallResult): string {
  const parts = [`${result.added.length} added`];
  if (result.alreadyListed.length > 0) parts.push(`${result.alreadyListed.length} already listed`);
  if (result.refused.length > 0) {
    parts.push(`refused: ${result.refused.map((r) => `“${r.input}” (${r.message})`).join(', ')}`);
  }
  return `${parts.join(', ')}.`;
}

/**
 * The do-not-call list (admins): numbers no campaign dials, matched in any written form, at import and
 * again at dial time.
 */
export function DoNotCall() {
  const list = useQuery(campaignQueries.doNotCall());
  const add = useAddDoNotCall();
  const remove = useRemoveDoNotCall();
  const format = useNumberFormat();
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [answer, setAnswer] = useState<string>();
  const textId = useId();
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const numbers = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    if (numbers.length === 0) return setAnswer('Type at least one number.');
    add.mutate(
      { numbers, ...(note.trim() ? { note: note.trim() } : {}) },
      {
        onSuccess: (result) => {
          setAnswer(addedText(result));
          setText(result.refused.map((r) => r.input).join('\n'));
        },
        onError: (error) => setAnswer(errorText(error)),
      },
    );
  };

  const entries = list.data?.entries ?? [];
  return (
    <section aria-labelledby="dnc-heading" className="flex flex-col gap-3">
      <h2 id="dnc-heading" className="font-semibold text-lg">
        Do-not-call list
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No campaign dials these numbers, however they are written: they are refused when entries are added and
        skipped at dial time.
      </p>
      <form
        onSubmit={submit}
        aria-label="Add to the do-not-call list"
        className="flex flex-col gap-2"
        noValidate
      >
        <label htmlFor={textId} className="font-medium text-sm">
          Numbers, one per line
        </label>
        <textarea
          id={textId}
          rows={3}
          className="font-mono text-sm"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <label htmlFor={noteId} className="font-medium text-sm">
          Note (why)
        </label>
        <input id={noteId} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        <Button type="submit" className="self-start" pending={add.isPending}>
          Add to the list
        </Button>
        {answer && (
          <p role="status" className="text-sm">
            {answer}
          </p>
        )}
      </form>
      {list.isError ? (
        <p role="alert">{errorText(list.error)}</p>
      ) : entries.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {list.data ? 'The list is empty.' : 'Loading…'}
        </p>
      ) : (
        <ul
          aria-label="Numbers not to call"
          className="flex flex-col divide-y divide-zinc-200 text-sm dark:divide-zinc-800"
        >
          {entries.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-3 py-1.5">
              <span className="font-mono">{format(e.number)}</span>
              {e.note && <span className="text-zinc-600 dark:text-zinc-400">{e.note}</span>}
              <Button
                size="sm"
                variant="ghost"
                className="ml-auto"
                pending={remove.isPending && remove.variables?.id === e.id}
                onClick={() => remove.mutate({ id: e.id, number: e.number })}
                aria-label={`Remove ${e.number}`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
