import type { LineView } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { type Dispatch, type FormEvent, type SetStateAction, useEffect, useId, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { useMakeCall } from '../../lib/mutations.ts';
import { contactQueries } from '../../lib/queries.ts';
import {
  appended,
  type CallListState,
  dialled,
  EMPTY_LIST,
  type EntryStatus,
  entryStatus,
  parseCallList,
  type Refused,
  skipped,
} from './call-list.ts';

const STATUS_TEXT: Record<EntryStatus, string> = {
  done: 'Done',
  skipped: 'Skipped',
  current: 'Current',
  next: 'Next',
  waiting: '',
};

/** After a dial, the phone gets this long to show the call before the next one may be offered again. */
const SHOW_CALL_MS = 5000;

/** The list survives a trip to another page (this tab only): a person works through it over an hour. */
function useStoredList(phoneId: string): [CallListState, Dispatch<SetStateAction<CallListState>>] {
  const key = `linedeck.call-list.${phoneId}`;
  const [list, setList] = useState<CallListState>(() => {
    try {
      return (JSON.parse(sessionStorage.getItem(key) ?? 'null') as CallListState | null) ?? EMPTY_LIST;
    } catch {
      return EMPTY_LIST;
    }
  });
  useEffect(() => sessionStorage.setItem(key, JSON.stringify(list)), [key, list]);
  return [list, setList];
}

/**
 * Calls from a list, one by one: paste numbers or add contacts, then "Call next" dials the next entry with
 * the ordinary make-call command. The next call is only offered once every line is idle again, and only
 * placed when the person presses the button: no robo-dialling.
 */
export function CallListPanel({ phoneId, lines }: { phoneId: string; lines: readonly LineView[] }) {
  const [list, setList] = useStoredList(phoneId);
  const [text, setText] = useState('');
  const [refused, setRefused] = useState<Refused[]>([]);
  const [search, setSearch] = useState('');
  const [awaitingCall, setAwaitingCall] = useState(false);
  const makeCall = useMakeCall(phoneId);
  const contacts = useQuery({ ...contactQueries.search(search, 5), enabled: search.trim() !== '' });
  const textId = useId();
  const searchId = useId();
  const refusedId = useId();

  const busy = lines.some((l) => l.state !== 'idle' && l.state !== 'failed');
  // Right after a dial the state may not show the call yet: wait for it (or a while) before offering more.
  useEffect(() => {
    if (!awaitingCall) return;
    if (busy) {
      setAwaitingCall(false);
      return;
    }
    const timer = setTimeout(() => setAwaitingCall(false), SHOW_CALL_MS);
    return () => clearTimeout(timer);
  }, [awaitingCall, busy]);

  const next = list.entries[list.next];
  const ready = next !== undefined && !busy && !awaitingCall;

  const add = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCallList(text);
    setRefused(parsed.refused);
    if (parsed.entries.length > 0) setList((l) => appended(l, parsed.entries));
    // Refused lines stay in the field to be corrected; accepted ones leave it.
    setText(parsed.refused.map((r) => r.text).join('\n'));
  };

  const callNext = () => {
    if (!next || !ready || makeCall.isPending) return;
    makeCall.mutate(
      { number: next.number },
      {
        onSuccess: () => {
          setList(dialled);
          setAwaitingCall(true);
        },
      },
    );
  };

  return (
    <section aria-labelledby="call-list-heading" className="flex flex-col gap-3">
      <h2 id="call-list-heading" className="font-semibold text-lg">
        Call list
      </h2>
      <form onSubmit={add} noValidate className="flex flex-col gap-2" aria-label="Add to the call list">
        <label htmlFor={textId} className="font-medium text-sm">
          Calls to make, one per line
        </label>
        <textarea
          id={textId}
          rows={3}
          className="font-mono text-sm"
          value={text}
          placeholder={'+49 30 1234567\nAda Lovelace, 030 7654321'}
          aria-invalid={refused.length > 0 ? true : undefined}
          aria-describedby={refused.length > 0 ? refusedId : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {refused.length > 0 && (
          <ul id={refusedId} role="alert" className="list-disc pl-5 text-sm text-red-700 dark:text-red-300">
            {refused.map((r) => (
              <li key={r.line}>
                “{r.text}”: {r.reason}
              </li>
            ))}
          </ul>
        )}
        <Button type="submit" size="sm" className="self-start">
          Add to list
        </Button>
      </form>
      <div className="flex flex-col gap-1">
        <label htmlFor={searchId} className="font-medium text-sm">
          Add a contact
        </label>
        <input
          id={searchId}
          type="search"
          value={search}
          placeholder="Name or number"
          onChange={(e) => setSearch(e.target.value)}
        />
        {search.trim() !== '' && contacts.data && (
          <ul className="flex flex-col gap-1">
            {contacts.data.contacts.map((c) => (
              <li key={c.id}>
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => {
                    setList((l) => appended(l, [{ label: c.name, number: c.number }]));
                    setSearch('');
                  }}
                >
                  Add {c.name} ({c.number})
                </Button>
              </li>
            ))}
            {contacts.data.contacts.length === 0 && <li className="text-sm">No contact matches.</li>}
          </ul>
        )}
      </div>

      {list.entries.length > 0 && (
        <>
          <ol aria-label="Numbers in the call list" className="flex flex-col gap-1 text-sm">
            {list.entries.map((entry, i) => {
              const status = entryStatus(list, i, busy);
              return (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: the same number may be listed twice; order is identity.
                  key={i}
                  aria-current={status === 'current' ? 'step' : undefined}
                  className={`flex gap-2 rounded px-2 py-1 ${status === 'next' ? 'bg-blue-50 dark:bg-blue-950' : ''} ${status === 'done' || status === 'skipped' ? 'text-zinc-500' : ''}`}
                >
                  <span className="min-w-0 flex-1 truncate">
                    {entry.label}
                    {entry.label !== entry.number && <span className="font-mono"> {entry.number}</span>}
                  </span>
                  <span className="font-medium">{STATUS_TEXT[status]}</span>
                </li>
              );
            })}
          </ol>
          {next ? (
            <div className="flex flex-col gap-2">
              <div className="flex flex-wrap gap-2">
                <Button variant="success" pending={makeCall.isPending} blocked={!ready} onClick={callNext}>
                  Call next: {next.label}
                </Button>
                <Button variant="ghost" onClick={() => setList(skipped)}>
                  Skip
                </Button>
              </div>
              {!ready && !makeCall.isPending && (
                <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
                  The next call is offered when the phone’s lines are free.
                </p>
              )}
            </div>
          ) : (
            <p role="status" className="text-sm">
              The list is done.
            </p>
          )}
          <Button
            variant="ghost"
            size="sm"
            className="self-start"
            onClick={() => {
              setList(EMPTY_LIST);
              setRefused([]);
            }}
          >
            Clear list
          </Button>
        </>
      )}
    </section>
  );
}
