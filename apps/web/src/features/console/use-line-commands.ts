import type { LineView } from '@linedeck/contract';
import { useEffect, useState } from 'react';
import { usePhoneOperation } from '../../lib/mutations.ts';
import { type LineAction, lineActions, SETTLE_MS, type Settling, settlingDone } from './line-actions.ts';

/**
 * A line's actions and which one is running. The phone said yes, but its new state comes with the
 * next poll: until then the old buttons would still show, and a second click on Hold would toggle
 * the call straight back (holdcall toggles), so an accepted command keeps its button busy until the
 * line leaves the state it was sent from (or SETTLE_MS passes).
 */
export function useLineCommands(phoneId: string, line: LineView, canControl: boolean) {
  const operation = usePhoneOperation(phoneId);
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

  const actions = canControl ? lineActions(line.state, line.line) : [];
  const pendingDone = operation.isPending ? operation.variables?.done : waitingDone;
  const run = (action: LineAction) => {
    const from = line.state;
    operation.mutate(
      { ...action, call: `${line.line}:${line.state}:${line.since ?? ''}:${line.remoteNumber}` },
      { onSuccess: () => setSettling({ done: action.done, from }) },
    );
  };
  return { actions, pendingDone, run };
}

/** The keys shown with a shortcut's button (aria-keyshortcuts and the shortcuts dialog agree). */
export const SHORTCUT_KEYS = { answer: 'A', end: 'E', hold: 'H', transfer: 'T' } as const;
