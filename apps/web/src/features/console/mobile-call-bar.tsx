import type { LineView } from '@linedeck/contract';
import { callerLabel } from '../../lib/caller.ts';
import { lineStateText } from '../../lib/status.ts';
import { LineButtons } from './line-buttons.tsx';
import { useLineCommands } from './use-line-commands.ts';

function BarLine({ phoneId, line }: { phoneId: string; line: LineView }) {
  const { actions, pendingDone, run } = useLineCommands(phoneId, line, true);
  if (actions.length === 0) return null;
  return (
    <div className="flex flex-col gap-1.5 px-3 py-2">
      <p className="truncate text-sm">
        <span className="font-semibold">Line {line.line}</span> · {lineStateText(line.state).label} ·{' '}
        {callerLabel(line)}
      </p>
      <LineButtons actions={actions} pendingDone={pendingDone} run={run} className="flex gap-2" />
    </div>
  );
}

/**
 * On a phone-sized screen the lines' buttons sit at the bottom edge, where a thumb reaches them
 * while the page scrolls (the line panels above keep the details). Hidden from `sm` up, where the
 * panels show their own buttons.
 */
export function MobileCallBar({ phoneId, lines }: { phoneId: string; lines: readonly LineView[] }) {
  const busy = lines.filter((l) => l.state !== 'idle');
  if (busy.length === 0) return null;
  return (
    <section
      aria-label="Call controls"
      className="sticky bottom-0 z-30 -mx-4 -mb-6 divide-y divide-zinc-200 border-zinc-300 border-t bg-white shadow-[0_-4px_12px_rgb(0_0_0/0.08)] sm:hidden dark:divide-zinc-800 dark:border-zinc-700 dark:bg-zinc-900"
    >
      {busy.map((line) => (
        <BarLine key={line.line} phoneId={phoneId} line={line} />
      ))}
    </section>
  );
}
