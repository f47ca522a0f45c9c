import type { CampaignEntry } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { errorText } from '../../lib/error-text.ts';
import { formatDuration } from '../../lib/time.ts';
import { useNumberFormat } from '../contacts/number-settings.ts';
import { OUTCOME_TEXT } from './campaign-text.ts';
import { campaignQueries, resultsCsvUrl } from './campaigns-queries.ts';

const ENTRY_STATE_TEXT = {
  pending: 'To call',
  offered: 'Offered',
  dialling: 'Calling',
  done: 'Done',
} as const satisfies Record<CampaignEntry['state'], string>;

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '';
}

/** Every entry with where it is and how its last attempt went; the CSV export has the same. */
export function CampaignResults({
  campaignId,
  phoneName,
}: {
  campaignId: string;
  phoneName: (id: string) => string;
}) {
  const entries = useQuery(campaignQueries.entries(campaignId));
  const format = useNumberFormat();
  const rows = entries.data?.entries ?? [];
  return (
    <section aria-labelledby="results-heading" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="results-heading" className="font-semibold text-lg">
          Results
        </h2>
        <a
          href={resultsCsvUrl(campaignId)}
          download
          className="ml-auto inline-flex min-h-10 items-center rounded-md border border-zinc-300 px-3 font-medium text-sm dark:border-zinc-700"
        >
          Export CSV
        </a>
      </div>
      {entries.isError && !entries.data ? (
        <p role="alert">{errorText(entries.error)}</p>
      ) : !entries.data ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading entries…</p>
      ) : rows.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">No entries yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <caption className="sr-only">Entries in order</caption>
            <thead className="border-zinc-200 border-b text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  #
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Name
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Number
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  State
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Outcome
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Attempts
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Talk
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Phone
                </th>
                <th scope="col" className="py-2 font-medium">
                  Next try
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {rows.map((e) => (
                <tr key={e.id}>
                  <td className="py-1.5 pr-3 tabular-nums">{e.position}</td>
                  <td className="py-1.5 pr-3">
                    {e.name}
                    {e.note && (
                      <span className="block text-xs text-zinc-600 dark:text-zinc-400">{e.note}</span>
                    )}
                  </td>
                  <td className="py-1.5 pr-3 font-mono">{format(e.number)}</td>
                  <td className="py-1.5 pr-3">{ENTRY_STATE_TEXT[e.state]}</td>
                  <td className="py-1.5 pr-3">{e.outcome ? OUTCOME_TEXT[e.outcome] : ''}</td>
                  <td className="py-1.5 pr-3 tabular-nums">{e.attempts}</td>
                  <td className="py-1.5 pr-3 tabular-nums">
                    {e.talkSeconds > 0 ? formatDuration(e.talkSeconds * 1000) : ''}
                  </td>
                  <td className="py-1.5 pr-3">{e.phoneId ? phoneName(e.phoneId) : ''}</td>
                  <td className="py-1.5">{e.state === 'done' ? '' : when(e.nextAttemptAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.data.total > rows.length && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The first {rows.length} of {entries.data.total} entries are shown; the CSV has all.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
