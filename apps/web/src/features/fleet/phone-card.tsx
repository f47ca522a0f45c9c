import type { LineView, Phone, PhoneState } from '@linedeck/contract';
import { Badge } from '../../components/ui/badge.tsx';
import { callerName } from '../../lib/caller.ts';
import { dataAgeMs, useConnectivity } from '../../lib/connectivity.ts';
import { dndForwardTexts } from '../../lib/dnd-forward.ts';
import { consolePath, Link } from '../../lib/router.tsx';
import { adviceFor, hasCurrentData, lineStateText, shownStatus } from '../../lib/status.ts';
import { callDurationMs, formatAge, formatDuration, useNow } from '../../lib/time.ts';

interface LineRowProps {
  line: LineView;
  now: number;
  /** The phone's last read, where a timer stops when the data is not current. */
  updatedAt: string | null | undefined;
  current: boolean;
}

function LineRow({ line, now, updatedAt, current }: LineRowProps) {
  const text = lineStateText(line.state);
  const duration = callDurationMs(line.since, updatedAt, now, current);
  return (
    <li className="flex flex-col gap-0.5 text-sm">
      <div className="flex items-center gap-2">
        <span className="font-medium text-zinc-600 dark:text-zinc-400">Line {line.line}</span>
        <Badge tone={text.tone}>{text.label}</Badge>
        {duration !== undefined && (
          <span className="ml-auto font-mono text-zinc-600 tabular-nums dark:text-zinc-400">
            <span className="sr-only">{current ? 'for ' : 'for at least '}</span>
            {formatDuration(duration)}
          </span>
        )}
      </div>
      <div className="flex min-w-0 flex-wrap gap-x-2">
        <span className="truncate font-medium">
          {callerName(line) || (line.remoteNumber ? '' : 'Unknown caller')}
          {line.contact?.company && (
            <span className="font-normal text-zinc-600 dark:text-zinc-400"> · {line.contact.company}</span>
          )}
        </span>
        {line.remoteNumber && (
          <span className="font-mono text-zinc-700 dark:text-zinc-300">{line.remoteNumber}</span>
        )}
      </div>
    </li>
  );
}

/** One phone on the fleet overview; the whole card opens its console. */
export function PhoneCard({ phone, state }: { phone: Phone; state: PhoneState | undefined }) {
  const now = useNow();
  const { state: connectivity } = useConnectivity();
  const status = state?.status ?? 'unknown';
  // What an unreadable phone (or a page cut off from the server) shows is its last read: timers stand still.
  const current = hasCurrentData(status) && connectivity === 'ok';
  const busyLines = (state?.lines ?? []).filter((l) => l.state !== 'idle');
  const age = dataAgeMs(state, now);
  const advice = adviceFor(state).short;
  const flags = dndForwardTexts(state);
  const ringing = status === 'ringing';
  return (
    <article
      aria-labelledby={`phone-${phone.id}`}
      className={`relative flex flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm transition-shadow has-[a:focus-visible]:ring-3 has-[a:focus-visible]:ring-blue-600 hover:shadow-md dark:bg-zinc-900 ${ringing ? 'border-blue-500 dark:border-blue-400' : 'border-zinc-200 dark:border-zinc-800'}`}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          {/* Two lines, not one: names often differ only at the end ("Front Desk (sign-in)", "Front Desk
              (sick leave)"). The full name stays in the DOM (accessible name) and in the title. */}
          <h2 id={`phone-${phone.id}`} className="line-clamp-2 break-words font-semibold text-lg">
            {/* The link covers the card (after:) so the whole card is one click target with a short name. */}
            <Link
              href={consolePath(phone.id)}
              title={phone.name}
              className="after:absolute after:inset-0 after:rounded-xl focus-visible:outline-none"
            >
              {phone.name}
            </Link>
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{phone.model ?? 'Unknown model'}</p>
        </div>
        {/* "Do not disturb" rather than "Available" while DND turns callers away. */}
        <Badge tone={shownStatus(state).tone}>{shownStatus(state).label}</Badge>
      </div>
      {flags.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label={`Call handling on ${phone.name}`}>
          {flags.map((flag) => (
            <li key={flag}>
              <Badge tone="busy">{flag}</Badge>
            </li>
          ))}
        </ul>
      )}
      {busyLines.length > 0 && (
        <ul className="flex flex-col gap-1.5" aria-label={`Calls on ${phone.name}`}>
          {busyLines.map((line) => (
            <LineRow key={line.line} line={line} now={now} updatedAt={state?.updatedAt} current={current} />
          ))}
        </ul>
      )}
      {advice && <p className="text-sm text-zinc-700 dark:text-zinc-300">{advice}</p>}
      <p className="mt-auto text-xs text-zinc-600 dark:text-zinc-400">{formatAge(age)}</p>
    </article>
  );
}
