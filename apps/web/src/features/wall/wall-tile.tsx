import type { LineView, Phone, PhoneState } from '@linedeck/contract';
import { memo } from 'react';
import { callerLabel, callerName } from '../../lib/caller.ts';
import { lineStateText, STATUS_TEXT } from '../../lib/status.ts';
import { elapsedMs, formatDuration } from '../../lib/time.ts';
import { shortAge } from './freshness.ts';

interface WallTileProps {
  phone: Phone;
  state: PhoneState | undefined;
  stale: boolean;
  /** Wall clock (ms) when this phone's data last moved on, for "not current · 2 min". */
  seenAt: number | undefined;
  now: number;
  maxCalls: number;
}

/** A bell (an SVG: a wall's browser may have no emoji font). */
function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-[1em]" fill="currentColor" aria-hidden="true">
      <path d="M12 2a1.5 1.5 0 0 0-1.5 1.5v.7A6.5 6.5 0 0 0 5.5 10.5V15l-2 2.5V19h17v-1.5l-2-2.5v-4.5a6.5 6.5 0 0 0-5-6.3v-.7A1.5 1.5 0 0 0 12 2Zm-2.5 18a2.5 2.5 0 0 0 5 0Z" />
    </svg>
  );
}

function CallLine({ line, now }: { line: LineView; now: number }) {
  const text = lineStateText(line.state);
  const duration = elapsedMs(line.since, now);
  return (
    <li className="min-w-0">
      <p className="truncate font-semibold">{callerLabel(line)}</p>
      <div className="flex min-w-0 items-baseline gap-[0.4em]">
        <span className="shrink-0">
          <span className="sr-only">Line {line.line}: </span>
          {text.label}
        </span>
        {callerName(line) && line.remoteNumber && (
          <span className="wall-muted min-w-0 truncate font-mono">{line.remoteNumber}</span>
        )}
        {duration !== undefined && (
          <span className="ml-auto shrink-0 font-mono tabular-nums">
            <span className="sr-only">for </span>
            {formatDuration(duration)}
          </span>
        )}
      </div>
    </li>
  );
}

/** One phone on the wall: name, status, and every call with caller and duration. No controls. */
export const WallTile = memo(function WallTile({
  phone,
  state,
  stale,
  seenAt,
  now,
  maxCalls,
}: WallTileProps) {
  const status = state?.status ?? 'unknown';
  const text = STATUS_TEXT[status] ?? STATUS_TEXT.unknown;
  const calls = (state?.lines ?? []).filter((l) => l.state !== 'idle');
  const shown = calls.length > maxCalls ? calls.slice(0, maxCalls - 1) : calls;
  const more = calls.length - shown.length;
  const nameId = `wall-${phone.id}`;
  return (
    <article
      aria-labelledby={nameId}
      data-tone={text.tone}
      data-stale={stale}
      className="wall-tile flex flex-col gap-[0.25em]"
    >
      <div className="wall-live flex min-w-0 flex-col">
        <h2 id={nameId} className="truncate font-semibold text-[1.15em]">
          {phone.name}
        </h2>
        <div className="flex min-w-0 items-center gap-[0.4em]">
          <span className="wall-status inline-flex shrink-0 items-center gap-[0.25em] font-semibold text-[0.8em]">
            {status === 'ringing' && <BellIcon />}
            {text.label}
          </span>
          {calls.length > 1 && <span className="wall-muted truncate text-[0.8em]">{calls.length} calls</span>}
        </div>
      </div>
      {shown.length > 0 && (
        <ul className="wall-live flex min-w-0 flex-col gap-[0.2em]" aria-label={`Calls on ${phone.name}`}>
          {shown.map((line) => (
            <CallLine key={line.line} line={line} now={now} />
          ))}
        </ul>
      )}
      {more > 0 && <p className="wall-muted text-[0.8em]">+{more} more</p>}
      {stale && (
        <p className="mt-auto truncate font-semibold text-[0.8em]">
          <span aria-hidden="true">⚠ </span>
          Not current ({shortAge(seenAt === undefined ? undefined : Math.max(0, now - seenAt))})
        </p>
      )}
    </article>
  );
});
