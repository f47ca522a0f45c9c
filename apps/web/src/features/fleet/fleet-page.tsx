import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useId, useMemo, useState } from 'react';
import { errorText } from '../../lib/error-text.ts';
import { phoneQueries, stateQueries } from '../../lib/queries.ts';
import { matchesSearch } from './fleet-search.ts';
import { PhoneCard } from './phone-card.tsx';

/** Every phone the user may see, as cards, with a search by name or number. */
export function FleetPage({ isAdmin }: { isAdmin: boolean }) {
  const phones = useQuery(phoneQueries.list());
  const states = useQuery(stateQueries.all());
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const searchId = useId();

  useEffect(() => {
    document.title = 'Phones · LineDeck';
  }, []);

  const stateById = useMemo(() => new Map((states.data ?? []).map((s) => [s.phoneId, s])), [states.data]);
  const list = phones.data ?? [];
  const shown = list.filter((p) => matchesSearch(p, stateById.get(p.id), deferredSearch));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="font-semibold text-2xl">Phones</h1>
        <div className="flex w-full flex-col gap-1 sm:w-80">
          <label htmlFor={searchId} className="font-medium text-sm">
            Search
          </label>
          <input
            id={searchId}
            type="search"
            placeholder="Name or number"
            autoComplete="off"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      </div>

      {phones.isPending ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading phones…</p>
      ) : phones.isError && !phones.data ? (
        <div role="alert" className="rounded-lg border border-red-300 p-4 dark:border-red-800">
          <p className="font-medium">The phones could not be loaded.</p>
          <p className="text-sm">{errorText(phones.error)} LineDeck keeps trying.</p>
        </div>
      ) : list.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          No phones yet.{' '}
          {isAdmin ? 'Add one in the settings, or list them in a PHONES_FILE.' : 'Ask an admin to add them.'}
        </p>
      ) : (
        <>
          <p className="sr-only" aria-live="polite">
            {deferredSearch.trim() ? `${shown.length} of ${list.length} phones match.` : ''}
          </p>
          {shown.length === 0 ? (
            <p className="text-zinc-600 dark:text-zinc-400">No phone matches “{deferredSearch.trim()}”.</p>
          ) : (
            <div className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,18rem),1fr))] gap-4">
              {shown.map((phone) => (
                <PhoneCard key={phone.id} phone={phone} state={stateById.get(phone.id)} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
