import type { CallFlow, LineView } from '@linedeck/contract';
import { type ReactNode, useState } from 'react';
import { Button } from '../../components/ui/button.tsx';
import { toast } from '../../lib/toasts.ts';
import { flowErrorText } from '../call-flows/flow-errors.ts';
import { conferenceLines, flowFinished, flowProgress, targetLabel } from '../call-flows/flow-text.ts';
import { useFlowStep } from '../call-flows/flows-api.ts';
import { TargetDialog, type TargetKind } from '../call-flows/target-dialog.tsx';
import { IdleLine, LinePanel } from './line-panel.tsx';
import type { LineSlot } from './line-slots.ts';
import { lineRole } from './line-status.ts';
import { useLineSlots } from './use-line-slots.ts';

interface LineBoardProps {
  phoneId: string;
  lines: readonly LineView[];
  flow: CallFlow | null | undefined;
  canControl: boolean;
}

const STEP_DONE: Record<string, string> = {
  'transfer/complete': 'Transfer completed',
  'transfer/cancel': 'Back to the caller',
  'conference/end': 'Conference ended',
  'conference/drop': 'Dropped from the call',
};

/**
 * The phone's lines: a card per call in a place it keeps (line-slots.ts), the lines of a conference
 * as one group with End conference, and the idle lines small after them. Transfer… and Add to call…
 * open the target dialog for a line.
 */
export function LineBoard({ phoneId, lines, flow, canControl }: LineBoardProps) {
  const { slots, idle, holdProps } = useLineSlots(lines);
  const [dialog, setDialog] = useState<{ kind: TargetKind; line: LineView } | undefined>();
  const step = useFlowStep(phoneId);
  const sending = step.isPending ? step.variables : undefined;
  // A party's drop is told apart by its line: each party has its own Drop button.
  const pendingStep =
    sending?.action === 'conference/drop' ? `conference/drop:${sending.line}` : sending?.action;
  const runStep = (
    action: 'transfer/complete' | 'transfer/cancel' | 'conference/end' | 'conference/drop',
    line: number,
  ) => {
    if (step.isPending) return;
    step.mutate(
      { action, line },
      {
        onSuccess: () => toast.success(STEP_DONE[action] ?? 'Done'),
        onError: (error) => toast.error(flowErrorText(error)),
      },
    );
  };
  const byLine = new Map(lines.map((l) => [l.line, l]));
  const conference = conferenceLines(flow);

  const card = (slot: LineSlot) => {
    const now = byLine.get(slot.line);
    const ended = slot.endedAt !== undefined || !now || now.state === 'idle';
    return (
      <LinePanel
        key={slot.line}
        phoneId={phoneId}
        line={ended ? slot.last : now}
        ended={ended}
        canControl={canControl}
        role={lineRole(flow, slot.line)}
        flow={flow}
        lines={lines}
        onFlowDialog={(kind, line) => setDialog({ kind, line })}
        onFlowStep={runStep}
        pendingStep={pendingStep}
      />
    );
  };

  // The conference's cards sit together where its first card was; the other cards keep their order.
  const inConference = slots.filter((s) => conference.includes(s.line));
  const items: ReactNode[] = [];
  for (const slot of slots) {
    if (!conference.includes(slot.line)) {
      items.push(card(slot));
    } else if (slot === inConference[0] && flow) {
      items.push(
        <section
          key="conference"
          aria-label="Conference"
          className="col-span-full flex flex-col gap-2 rounded-2xl border-2 border-violet-500 p-2 dark:border-violet-400"
        >
          <div className="flex flex-wrap items-center justify-between gap-2 px-2">
            <p className="font-semibold">Conference: lines {conference.join(' and ')}</p>
            {canControl && (
              <Button
                variant="danger"
                pending={pendingStep === 'conference/end'}
                blocked={pendingStep !== undefined && pendingStep !== 'conference/end'}
                onClick={() => runStep('conference/end', flow.line)}
              >
                End conference
              </Button>
            )}
          </div>
          {inConference.map(card)}
        </section>,
      );
    }
  }

  return (
    <>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(9rem,1fr))] gap-2" {...holdProps}>
        {items}
        {idle.map((line) => (
          <IdleLine key={line.line} phoneId={phoneId} line={line} />
        ))}
      </div>
      {/* A finished flow whose caller's line has no card any more (a blind transfer hands the call
          away): its outcome goes under the lines, where it moves nothing. */}
      <p role="status" className="text-sm">
        {flow && flowFinished(flow) && !slots.some((s) => s.line === flow.line)
          ? `Line ${flow.line}: ${flowProgress(flow, targetLabel(flow, lines))}`
          : ''}
      </p>
      {dialog && (
        <TargetDialog
          kind={dialog.kind}
          phoneId={phoneId}
          line={byLine.get(dialog.line.line) ?? dialog.line}
          lines={lines}
          flow={flow}
          open
          onClose={() => setDialog(undefined)}
        />
      )}
    </>
  );
}
