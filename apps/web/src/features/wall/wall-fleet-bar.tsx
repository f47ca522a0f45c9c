import { formatDuration } from '../../lib/time.ts';
import type { FleetFigures } from './wall-fleet.ts';

function Figure({ value, label, alarm = false }: { value: string; label: string; alarm?: boolean }) {
  return (
    <span className="shrink-0 whitespace-nowrap">
      <strong
        className={`font-mono text-[1.25em] tabular-nums ${alarm ? 'text-[var(--wall-bad)]' : 'text-[var(--wall-fg)]'}`}
      >
        {value}
      </strong>{' '}
      {label}
    </span>
  );
}

/**
 * The whole fleet in one line: ringing now, the longest ring now, missed and answered today. Today's
 * counts are left out while unknown (a server without them, or not read yet): a wall shows no error
 * for what it may not read.
 */
export function WallFleetBar({ figures }: { figures: FleetFigures }) {
  const { ringing, longestRingMs, missedToday, answeredToday } = figures;
  return (
    <section aria-label="Fleet today" className="flex shrink-0 items-baseline gap-x-[1em]">
      <Figure value={String(ringing)} label="ringing" />
      {longestRingMs !== undefined && (
        <Figure value={formatDuration(longestRingMs)} label="longest ring" alarm={longestRingMs >= 30_000} />
      )}
      {missedToday !== undefined && (
        <Figure value={String(missedToday)} label="missed today" alarm={missedToday > 0} />
      )}
      {answeredToday !== undefined && <Figure value={String(answeredToday)} label="answered today" />}
    </section>
  );
}
