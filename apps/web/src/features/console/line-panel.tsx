import type { CallFlow, LineView } from '@linedeck/contract';
import { useLayoutEffect, useRef } from 'react';
import { Badge } from '../../components/ui/badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { callerDetail, callerLabel } from '../../lib/caller.ts';
import { lineStateText } from '../../lib/status.ts';
import { elapsedMs, formatDuration, useNow } from '../../lib/time.ts';
import type { TargetKind } from '../call-flows/target-dialog.tsx';
import { callTimes, lineClock } from './call-clock.ts';
import { LineButtons, TransferButton } from './line-buttons.tsx';
import { type LineRole, lineStatusText, offersFlows } from './line-status.ts';
import { useLineCommands } from './use-line-commands.ts';

interface LinePanelProps {
  phoneId: string;
  /** The line now; for an ended card, the line as it was during its call. */
  line: LineView;
  /** The call has ended and the card only keeps its place (line-slots.ts). */
  ended?: boolean;
  canControl: boolean;
  /** What this line is in the phone's transfer or conference, if anything, and the words for it. */
  role: LineRole;
  flow: CallFlow | null | undefined;
  lines: readonly LineView[];
  onFlowDialog: (kind: TargetKind, line: LineView) => void;
  onFlowStep: (action: 'transfer/complete' | 'transfer/cancel' | 'conference/drop', line: number) => void;
  /** The flow step being sent (`conference/drop:<line>` for a party's drop), to show its button busy. */
  pendingStep: string | undefined;
}

/** A line without a call: small, in line order after the cards. */
export function IdleLine({ phoneId, line }: { phoneId: string; line: LineView }) {
  const headingId = `line-${phoneId}-${line.line}`;
  return (
    <section
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

const CARD_BORDER: Record<string, string> = {
  ringing: 'border-blue-500 dark:border-blue-400',
  onhold: 'border-amber-500 border-2 dark:border-amber-400',
};

/**
 * One line with a call: a region named "Line N" with its state, caller, timers, what a transfer or
 * conference is doing on it, and its actions. Every row keeps its height whatever the state (an empty
 * row holds its place), so a card never grows or shrinks under the pointer as its call changes.
 */
export function LinePanel(props: LinePanelProps) {
  const { phoneId, line, ended = false, canControl, role, flow, lines } = props;
  const now = useNow();
  const commands = useLineCommands(phoneId, line, canControl && !ended);
  const ref = useRef<HTMLElement>(null);
  const focusInside = useRef(false);
  const text = ended ? lineStateText('idle') : lineStateText(line.state);
  const clock = ended ? undefined : lineClock(phoneId, line, now);
  const times = clock && callTimes(clock, now);
  const stateMs = ended ? undefined : elapsedMs(line.since, now);
  const headingId = `line-${phoneId}-${line.line}`;
  const held = !ended && line.state === 'onhold';
  const status = lineStatusText({ line, ended, role, flow, lines, times });
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
  }, [line.state, ended]);

  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby={headingId}
      data-ended={ended || undefined}
      onFocus={() => {
        focusInside.current = true;
      }}
      onBlur={(e) => {
        focusInside.current =
          e.relatedTarget === null || ref.current?.contains(e.relatedTarget as Node) === true;
      }}
      className={`col-span-full flex flex-col gap-3 rounded-xl border bg-white p-4 shadow-sm outline-none dark:bg-zinc-900 ${ended ? 'border-zinc-200 border-dashed opacity-70 dark:border-zinc-700' : (CARD_BORDER[line.state] ?? 'border-zinc-200 dark:border-zinc-800')}`}
    >
      {/* min-h-7: the timer's height, kept when a card has none (an ended call). */}
      <div className="flex min-h-7 flex-wrap items-center gap-2">
        <h3 id={headingId} className="font-semibold">
          Line {line.line}
        </h3>
        <Badge tone={text.tone}>{text.label}</Badge>
        {!ended && line.conference && <Badge>Conference</Badge>}
        {times ? (
          <span className="ml-auto font-mono text-lg tabular-nums" title="The whole call, holds included">
            <span className="sr-only">Call length </span>
            {formatDuration(times.callMs)}
          </span>
        ) : (
          stateMs !== undefined && (
            <span className="ml-auto font-mono text-lg tabular-nums" title="Time in this state">
              <span className="sr-only">Duration </span>
              {formatDuration(stateMs)}
            </span>
          )
        )}
      </div>
      <div className="min-w-0">
        <p className="truncate font-medium text-xl">{callerLabel(line)}</p>
        <p className="min-h-6 truncate text-zinc-700 dark:text-zinc-300">{callerDetail(line) || '\u00a0'}</p>
      </div>
      <p
        // Two lines' height always: a hold, a transfer's progress or a failure never pushes the buttons.
        className={`line-clamp-2 min-h-10 rounded-md text-sm ${held ? 'bg-amber-100 px-2 py-1 font-semibold text-amber-950 dark:bg-amber-900 dark:text-amber-50' : status.tone === 'bad' ? 'font-medium text-red-700 dark:text-red-300' : 'text-zinc-700 dark:text-zinc-300'}`}
      >
        {/* Progress and outcomes are announced; a hold timer ticking every second is not. */}
        <span role="status">{status.live ? status.text : ''}</span>
        {status.live ? '' : status.text || '\u00a0'}
      </p>
      {/* On a phone-sized screen the same buttons sit in the call bar at the bottom (mobile-call-bar). */}
      <div className="flex min-h-12 flex-wrap gap-2 max-sm:hidden">
        <CardButtons {...props} ended={ended} commands={commands} />
      </div>
    </section>
  );
}

function CardButtons({
  line,
  ended,
  role,
  flow,
  canControl,
  onFlowDialog,
  onFlowStep,
  pendingStep,
  commands,
}: LinePanelProps & { ended: boolean; commands: ReturnType<typeof useLineCommands> }) {
  if (ended || !canControl) return null;
  if (role.kind === 'caller' && flow) {
    // While a flow runs on the caller's line, only its own steps apply: Hold would upset the phone's keys.
    const canComplete = flow.kind === 'transfer' && flow.mode === 'attended' && flow.stage === 'talking';
    const canGoBack = flow.mode === 'attended' || flow.kind === 'conference';
    return (
      <>
        {canComplete && (
          <Button
            size="lg"
            variant="success"
            className="min-w-28"
            pending={pendingStep === 'transfer/complete'}
            blocked={pendingStep !== undefined && pendingStep !== 'transfer/complete'}
            onClick={() => onFlowStep('transfer/complete', flow.line)}
          >
            Complete transfer
          </Button>
        )}
        {canGoBack && (
          <Button
            size="lg"
            variant="secondary"
            className="min-w-28"
            pending={pendingStep === 'transfer/cancel'}
            blocked={pendingStep !== undefined && pendingStep !== 'transfer/cancel'}
            onClick={() => onFlowStep('transfer/cancel', flow.line)}
          >
            Back to caller
          </Button>
        )}
      </>
    );
  }
  if (role.kind === 'member') {
    // One party leaves; the others talk on (with one left, a plain call). End conference ends them all.
    const key = `conference/drop:${line.line}`;
    return (
      <Button
        size="lg"
        variant="secondary"
        className="min-w-28"
        pending={pendingStep === key}
        blocked={pendingStep !== undefined && pendingStep !== key}
        onClick={() => onFlowStep('conference/drop', line.line)}
      >
        Drop from call
      </Button>
    );
  }
  if (role.kind === 'consult') return null;
  const [first, ...rest] = commands.actions;
  const buttons = (actions: typeof commands.actions) =>
    actions.length > 0 && (
      <LineButtons
        actions={actions}
        pendingDone={commands.pendingDone}
        run={commands.run}
        className="contents"
      />
    );
  if (!offersFlows(role, line)) return buttons(commands.actions);
  // Hold or Resume first and End call last, as without the flows; the flows between them.
  return (
    <>
      {first && buttons([first])}
      <TransferButton className="min-w-28" onClick={() => onFlowDialog('transfer', line)} />
      <Button
        size="lg"
        variant="secondary"
        className="min-w-28"
        onClick={() => onFlowDialog('conference', line)}
      >
        Add to call…
      </Button>
      {buttons(rest)}
    </>
  );
}
