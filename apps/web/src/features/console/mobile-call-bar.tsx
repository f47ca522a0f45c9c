import type { CallFlow, LineView } from '@linedeck/contract';
import { useState } from 'react';
import { callerLabel } from '../../lib/caller.ts';
import { lineStateText } from '../../lib/status.ts';
import { TargetDialog } from '../call-flows/target-dialog.tsx';
import { LineButtons, TransferButton } from './line-buttons.tsx';
import { lineRole, offersFlows } from './line-status.ts';
import { useLineCommands } from './use-line-commands.ts';
import { useLineSlots } from './use-line-slots.ts';

function BarLine({
  phoneId,
  line,
  transferable,
  onTransfer,
}: {
  phoneId: string;
  line: LineView;
  transferable: boolean;
  onTransfer: (line: LineView) => void;
}) {
  const { actions, pendingDone, run } = useLineCommands(phoneId, line, true);
  if (actions.length === 0) return null;
  // Hold or Resume first, End call last, Transfer… between them, as on the line's card.
  const [first, ...rest] = actions;
  const buttons = (list: typeof actions) => (
    <LineButtons actions={list} pendingDone={pendingDone} run={run} className="contents" />
  );
  return (
    <div className="flex flex-col gap-1.5 px-3 py-2">
      <p className="truncate text-sm">
        <span className="font-semibold">Line {line.line}</span> · {lineStateText(line.state).label} ·{' '}
        {callerLabel(line)}
      </p>
      <div className="flex gap-2">
        {transferable && first ? (
          <>
            {buttons([first])}
            <TransferButton className="min-w-28 flex-1" onClick={() => onTransfer(line)} />
            {buttons(rest)}
          </>
        ) : (
          buttons(actions)
        )}
      </div>
    </div>
  );
}

/** A call that just ended keeps its row's height a moment, so a second tap on End call hits nothing. */
function EndedBarLine({ line }: { line: LineView }) {
  return (
    <div className="flex flex-col gap-1.5 px-3 py-2 text-zinc-600 dark:text-zinc-400">
      <p className="truncate text-sm">
        <span className="font-semibold">Line {line.line}</span> · Call ended · {callerLabel(line)}
      </p>
      <div className="min-h-12" />
    </div>
  );
}

/**
 * On a phone-sized screen the lines' buttons sit at the bottom edge, where a thumb reaches them
 * while the page scrolls (the line panels above keep the details). Hidden from `sm` up, where the
 * panels show their own buttons. Rows keep their order, and an ended call's row its place for a
 * moment (line-slots.ts, ENDED_LINGER_MS): a double tap on End call never lands on the next row.
 */
export function MobileCallBar({
  phoneId,
  lines,
  flow,
}: {
  phoneId: string;
  lines: readonly LineView[];
  flow: CallFlow | null | undefined;
}) {
  // No hold by the pointer here: a finger leaves nothing hovering, so rows fold after the linger alone.
  const { slots } = useLineSlots(lines);
  const [transferring, setTransferring] = useState<LineView | undefined>();
  const byLine = new Map(lines.map((l) => [l.line, l]));
  if (slots.length === 0 && !transferring) return null;
  const dialog = transferring && (
    <TargetDialog
      kind="transfer"
      phoneId={phoneId}
      line={byLine.get(transferring.line) ?? transferring}
      lines={lines}
      flow={flow}
      open
      onClose={() => setTransferring(undefined)}
    />
  );
  // The dialog beside the bar, not in it: the bar is hidden from `sm` up, the dialog must not be.
  if (slots.length === 0) return dialog;
  return (
    <>
      <section
        aria-label="Call controls"
        className="sticky bottom-0 z-30 -mx-4 -mb-6 divide-y divide-zinc-200 border-zinc-300 border-t bg-white shadow-[0_-4px_12px_rgb(0_0_0/0.08)] sm:hidden dark:divide-zinc-800 dark:border-zinc-700 dark:bg-zinc-900"
      >
        {slots.map((slot) => {
          const now = byLine.get(slot.line);
          return slot.endedAt === undefined && now && now.state !== 'idle' ? (
            <BarLine
              key={slot.line}
              phoneId={phoneId}
              line={now}
              transferable={offersFlows(lineRole(flow, now.line), now)}
              onTransfer={setTransferring}
            />
          ) : (
            <EndedBarLine key={slot.line} line={slot.last} />
          );
        })}
      </section>
      {dialog}
    </>
  );
}
