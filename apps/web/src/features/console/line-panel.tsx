import type { LineView } from '@linedeck/contract';
import { useLayoutEffect, useRef } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { callerDetail, callerLabel } from '../../lib/caller.ts';
import { lineStateText } from '../../lib/status.ts';
import { elapsedMs, formatDuration, useNow } from '../../lib/time.ts';
import { LineButtons } from './line-buttons.tsx';
import { useLineCommands } from './use-line-commands.ts';

interface LinePanelProps {
  phoneId: string;
  line: LineView;
  canControl: boolean;
}

/** One line of the phone: a region named "Line N" with its state, caller, duration and actions. */
export function LinePanel({ phoneId, line, canControl }: LinePanelProps) {
  const now = useNow();
  const { actions, pendingDone, run } = useLineCommands(phoneId, line, canControl);
  const ref = useRef<HTMLElement>(null);
  const focusInside = useRef(false);
  const text = lineStateText(line.state);
  const duration = elapsedMs(line.since, now);
  const headingId = `line-${phoneId}-${line.line}`;
  // Answering swaps Answer for Hold: keep keyboard focus in the line instead of losing it to the page.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the line's state changes
  useLayoutEffect(() => {
    const panel = ref.current;
    if (!panel || !focusInside.current) return;
    if (panel.contains(document.activeElement)) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const first = panel.querySelector<HTMLElement>('button');
    first?.focus();
    if (document.activeElement !== first) panel.focus();
  }, [line.state]);

  if (line.state === 'idle') {
    return (
      <section
        ref={ref}
        aria-labelledby={headingId}
        className="flex items-center justify-between gap-2 rounded-lg border border-zinc-200 border-dashed px-3 py-2 text-sm dark:border-zinc-800"
      >
        <h3 id={headingId} className="font-medium text-zinc-700 dark:text-zinc-300">
          Line {line.line}
        </h3>
        <span className="text-zinc-600 dark:text-zinc-400">Idle</span>
      </section>
    );
  }

  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby={headingId}
      onFocus={() => {
        focusInside.current = true;
      }}
      onBlur={(e) => {
        focusInside.current =
          e.relatedTarget === null || ref.current?.contains(e.relatedTarget as Node) === true;
      }}
      className={`col-span-full flex flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm outline-none dark:bg-zinc-900 ${line.state === 'ringing' ? 'border-blue-500 dark:border-blue-400' : 'border-zinc-200 dark:border-zinc-800'}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="font-semibold">
          Line {line.line}
        </h3>
        <Badge tone={text.tone}>{text.label}</Badge>
        {line.conference && <Badge>Conference</Badge>}
        {duration !== undefined && (
          <span className="ml-auto font-mono text-lg tabular-nums" title="Time in this state">
            <span className="sr-only">Duration </span>
            {formatDuration(duration)}
          </span>
        )}
      </div>
      <div className="min-w-0">
        <p className="truncate font-medium text-xl">{callerLabel(line)}</p>
        {callerDetail(line) && <p className="text-zinc-700 dark:text-zinc-300">{callerDetail(line)}</p>}
      </div>
      {/* On a phone-sized screen the same buttons sit in the call bar at the bottom (mobile-call-bar). */}
      {actions.length > 0 && (
        <LineButtons
          actions={actions}
          pendingDone={pendingDone}
          run={run}
          className="flex flex-wrap gap-2 max-sm:hidden"
        />
      )}
    </section>
  );
}
