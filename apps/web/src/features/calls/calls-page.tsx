import type { Call, Contact, SessionUser } from '@linedeck/contract';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { Dialog } from '../../components/ui/dialog.tsx';
import { callQueries, callsExportUrl, seenBefore, useMarkMissedSeen } from '../../lib/calls-queries.ts';
import { errorText } from '../../lib/error-text.ts';
import { canManageContacts } from '../../lib/permissions.ts';
import { phoneQueries } from '../../lib/queries.ts';
import { navigate, useLocation } from '../../lib/router.tsx';
import { useNow } from '../../lib/time.ts';
import { CallFromPicker, useCallFrom } from '../contacts/call-from.tsx';
import { ContactForm } from '../contacts/contact-form.tsx';
import { useDefaultCountry } from '../contacts/number-settings.ts';
import { rememberAddedContact, useAddedContacts } from './added-contacts.ts';
import { callBackPhone } from './call-actions.tsx';
import { CallRow } from './call-row.tsx';
import { apiFilter, callsPath, hasFilter, type PageFilter, parseFilter } from './calls-filter.ts';
import { CallsFilters } from './calls-filters.tsx';

/** Relative times ("5 min ago") move in steps of this: 500 rows need not re-render every second. */
const CLOCK_STEP_MS = 15_000;

function MissedSummary({ calls }: { calls: readonly Call[] }) {
  const missed = useQuery(callQueries.missed());
  const markSeen = useMarkMissedSeen();
  const count = missed.data?.count ?? 0;
  return (
    <div className="flex items-center gap-3">
      <p aria-live="polite" className="text-sm">
        {missed.data ? (count === 0 ? 'No unseen missed calls' : `${count} unseen missed`) : ''}
      </p>
      {count > 0 && (
        <Button pending={markSeen.isPending} onClick={() => markSeen.mutate(seenBefore(calls, Date.now()))}>
          Mark all seen
        </Button>
      )}
    </div>
  );
}

/** The call journal: every call on the phones the user may see, newest first, filtered from the address. */
export function CallsPage({ user }: { user: SessionUser }) {
  const { search } = useLocation();
  const filter = useMemo(() => parseFilter(search), [search]);
  const calls = useInfiniteQuery(callQueries.list(apiFilter(filter)));
  const phones = useQuery(phoneQueries.list());
  const callFrom = useCallFrom(user);
  const country = useDefaultCountry();
  const added = useAddedContacts();
  const now = Math.floor(useNow() / CLOCK_STEP_MS) * CLOCK_STEP_MS;
  const [adding, setAdding] = useState<Call>();
  const manage = canManageContacts(user);

  useEffect(() => {
    document.title = 'Calls · LineDeck';
  }, []);

  const names = useMemo(() => new Map((phones.data ?? []).map((p) => [p.id, p.name])), [phones.data]);
  const rows = useMemo(() => calls.data?.pages.flatMap((p) => p.calls) ?? [], [calls.data]);
  const setFilter = useCallback((next: PageFilter) => navigate(callsPath(next), { replace: true }), []);
  const onAddContact = useCallback((call: Call) => setAdding(call), []);
  const closeAdding = (saved?: Contact) => {
    if (saved) rememberAddedContact(saved);
    setAdding(undefined);
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-semibold text-2xl">Calls</h1>
        <MissedSummary calls={rows} />
        <div className="ml-auto flex flex-wrap items-center gap-3">
          <CallFromPicker
            phones={callFrom.phones}
            phoneId={callFrom.phoneId}
            onChange={callFrom.setPhoneId}
          />
          <a
            href={callsExportUrl(apiFilter(filter))}
            download
            className="inline-flex min-h-10 items-center rounded-md border border-zinc-300 px-3 font-medium text-sm dark:border-zinc-700"
          >
            Export CSV
          </a>
        </div>
      </div>
      <CallsFilters filter={filter} phones={phones.data ?? []} onChange={setFilter} />

      {calls.isError && !calls.data ? (
        <div role="alert" className="flex flex-wrap items-center gap-3">
          <p>{errorText(calls.error)}</p>
          <Button onClick={() => void calls.refetch()}>Try again</Button>
        </div>
      ) : !calls.data ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading calls…</p>
      ) : rows.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">
          {hasFilter(filter) ? 'No call matches these filters.' : 'No calls recorded yet.'}
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[48rem] text-left" aria-busy={calls.isFetching || undefined}>
            <caption className="sr-only">Calls, newest first</caption>
            <thead className="border-zinc-200 border-b text-sm text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  When
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Phone
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Call
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Caller
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Duration
                </th>
                <th scope="col" className="py-2 text-right font-medium">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {rows.map((call) => {
                const from = callBackPhone(call, user, callFrom.phoneId);
                return (
                  <CallRow
                    key={call.id}
                    call={call}
                    phoneName={names.get(call.phoneId) ?? 'Removed phone'}
                    country={country}
                    added={added}
                    callBackPhoneId={from}
                    callBackPhoneName={(from && names.get(from)) || 'your phone'}
                    onAddContact={manage ? onAddContact : undefined}
                    now={now}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {calls.hasNextPage && (
        <div>
          <Button pending={calls.isFetchingNextPage} onClick={() => void calls.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
      {calls.isFetchNextPageError && (
        <p role="alert" className="text-red-700 text-sm dark:text-red-300">
          {errorText(calls.error)}
        </p>
      )}

      <Dialog open={adding !== undefined} onClose={() => closeAdding()} title="Add contact">
        {adding && (
          <ContactForm
            prefill={{ name: adding.remoteName, number: adding.remoteNumber }}
            onDone={closeAdding}
          />
        )}
      </Dialog>
    </div>
  );
}
