import type { LineView } from '@linedeck/contract';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { callerDetail, callerLabel } from '../../lib/caller.ts';
import { usePhoneOperation } from '../../lib/mutations.ts';
import { lineStateText } from '../../lib/status.ts';
import { elapsedMs, formatDuration, useNow } from '../../lib/time.ts';
import { lineActions, SETTLE_MS, type Settling, settlingDone } from './line-actions.ts';

interface LinePanelProps {
  phoneId: string;
  line: LineView;
  canControl: boolean;
}

/** One line of the phone: a region named "Line N" with its state, caller, duration and actions. */
export function LinePanel({ phoneId, line, canControl }: LinePanelProps) {
  const now = useNow();
  const operation = usePhoneOperation(phoneId);
  const ref = useRef<HTMLElement>(null);
  const focusInside = useRef(false);
  const text = lineStateText(line.state);
  const actions = canControl ? lineActions(line.state, line.line) : [];
  const duration = elapsedMs(line.since, now);
  const headingId = `line-${phoneId}-${line.line}`;
  // The phone said yes, but its new state comes with the next poll: until then the old buttons would
  // still show, and a second click on Hold would toggle the call straight back (holdcall toggles).
  const [settling, setSettling] = useState<Settling | undefined>(undefined);
  const waitingDone = settlingDone(settling, line.state);

  useEffect(() => {
    if (waitingDone === undefined) {
      setSettling(undefined);
      return;
    }
    // A phone that never shows the change must not leave the line's buttons dead.
    const timer = setTimeout(() => setSettling(undefined), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [waitingDone]);

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

  const pendingDone = operation.isPending ? operation.variables?.done : waitingDone;
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
      {actions.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {actions.map((action) => (
            <Button
              key={action.label}
              size="lg"
              variant={action.variant}
              className="min-w-28 flex-1 sm:flex-none"
              pending={pendingDone === action.done}
              blocked={pendingDone !== undefined && pendingDone !== action.done}
              onClick={() => {
                const from = line.state;
                operation.mutate(action, { onSuccess: () => setSettling({ done: action.done, from }) });
              }}
            >
              {action.label}
            </Button>
          ))}
        </div>
      )}
    </section>
  );
}
