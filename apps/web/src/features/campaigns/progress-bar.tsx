import type { CampaignCounts } from '@linedeck/contract';
import { progressParts, progressSummary } from './campaign-text.ts';

const PART_CLASS = {
  answered: 'bg-green-600 dark:bg-green-400',
  other: 'bg-zinc-500 dark:bg-zinc-400',
  dialling: 'bg-blue-600 dark:bg-blue-400 animate-pulse motion-reduce:animate-none',
  remaining: 'bg-zinc-200 dark:bg-zinc-700',
} as const;

/** Done / calling / to go as one bar, with the same in words (never colour alone). */
export function ProgressBar({ counts, label }: { counts: CampaignCounts; label: string }) {
  const parts = progressParts(counts);
  const summary = progressSummary(counts);
  return (
    <div className="flex flex-col gap-1">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={counts.done}
        aria-valuetext={summary}
        className="flex h-3 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700"
      >
        {parts.map((p) =>
          p.count > 0 ? (
            <span key={p.key} className={PART_CLASS[p.key]} style={{ width: `${p.share * 100}%` }} />
          ) : null,
        )}
      </div>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{summary}</p>
    </div>
  );
}
