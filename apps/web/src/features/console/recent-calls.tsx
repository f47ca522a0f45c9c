/**
 * The console's last calls of its phone (the journal, newest first), with Call back for users who may
 * dial on it, and a link to all of them on the Calls page. Kept live by the event stream.
 */
import type { Call } from '@linedeck/contract';
import { useQuery } from '@tanstack/react-query';
import { callQueries } from '../../lib/calls-queries.ts';
import { errorText } from '../../lib/error-text.ts';
import { Link } from '../../lib/router.tsx';
import { useNow } from '../../lib/time.ts';
import { CallBackButton, callBackNumber } from '../calls/call-actions.tsx';
import { CallKind, CallWhen } from '../calls/call-parts.tsx';
import { callName, durationsText } from '../calls/call-text.ts';
import { callsPath } from '../calls/calls-filter.ts';
import { useNumberFormat } from '../contacts/number-settings.ts';

const SHOWN = 10;

function RecentCall({ call, phoneName, canDial }: { call: Call; phoneName: string; canDial: boolean }) {
  const format = useNumberFormat();
  const now = useNow();
  const number = call.remoteNumber ? format(call.remoteNumber) : '';
  const name = callName(call);
  const dial = canDial ? callBackNumber(call) : undefined;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
      <span className="min-w-20 text-sm">
        <CallWhen call={call} now={now} agoClassName="block text-zinc-600 dark:text-zinc-400" />
      </span>
      <span className="flex items-center gap-2 whitespace-nowrap text-sm">
        <CallKind call={call} />
      </span>
      <span className="min-w-40 flex-1">
        <span className="block font-medium">{name || number || 'Unknown caller'}</span>
        {name && number && <span className="block font-mono text-sm">{number}</span>}
      </span>
      <span className="text-sm tabular-nums">
        {call.outcome === null ? 'In progress' : durationsText(call)}
      </span>
      {dial && (
        <CallBackButton phoneId={call.phoneId} phoneName={phoneName} number={dial} who={name || number} />
      )}
    </li>
  );
}

export function RecentCalls({
  phoneId,
  phoneName,
  canDial,
}: {
  phoneId: string;
  phoneName: string;
  canDial: boolean;
}) {
  const recent = useQuery(callQueries.recent(phoneId, SHOWN));
  const calls = recent.data?.calls ?? [];
  return (
    <section aria-labelledby="recent-calls-heading" className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="recent-calls-heading" className="font-semibold text-lg">
          Recent calls
        </h2>
        <Link
          href={callsPath({ phoneId })}
          className="inline-flex items-center text-blue-700 text-sm underline-offset-2 hover:underline max-sm:min-h-11 dark:text-blue-300"
        >
          All calls of {phoneName}
        </Link>
      </div>
      {recent.isError && !recent.data ? (
        <p className="text-zinc-600 dark:text-zinc-400">{errorText(recent.error)}</p>
      ) : !recent.data ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading calls…</p>
      ) : calls.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">No calls recorded on this phone yet.</p>
      ) : (
        <ul
          aria-label={`Recent calls on ${phoneName}`}
          className="divide-y divide-zinc-200 dark:divide-zinc-800"
        >
          {calls.map((call) => (
            <RecentCall key={call.id} call={call} phoneName={phoneName} canDial={canDial} />
          ))}
        </ul>
      )}
    </section>
  );
}
