import type { ButtonVariant } from '../../components/ui/button.tsx';
import type { OperationVariables } from '../../lib/mutations.ts';

/** The console's keyboard shortcut that presses an action's button (use-console-shortcuts.ts). */
export type LineShortcut = 'answer' | 'end' | 'hold';

export interface LineAction extends OperationVariables {
  label: string;
  variant: ButtonVariant;
  shortcut?: LineShortcut;
}

/** How long a line's buttons wait for the state a successful command should bring. */
export const SETTLE_MS = 3000;

/** A command the phone accepted on a line whose state was `from` when it was clicked. */
export interface Settling {
  done: string;
  from: string;
}

/**
 * The `done` of the command the line is still waiting on, or undefined once the line has left the state
 * the command was sent from (the phone's new state arrived, so its new buttons are the right ones).
 */
export function settlingDone(settling: Settling | undefined, state: string): string | undefined {
  return settling !== undefined && settling.from === state ? settling.done : undefined;
}

/**
 * The actions that apply to a line in a given state, and only those. Hold and
 * Resume both send `holdcall`: GRP26xx firmware toggles hold with it, while
 * `unhold` is known to some firmware only (shared/docs/cti-field-notes.md).
 */
export function lineActions(state: string, line: number): LineAction[] {
  switch (state) {
    case 'ringing':
      return [
        {
          label: 'Answer',
          command: 'acceptcall',
          line,
          variant: 'success',
          shortcut: 'answer',
          done: `Answered on line ${line}`,
        },
        {
          label: 'Reject',
          command: 'rejectcall',
          line,
          variant: 'danger',
          done: `Rejected the call on line ${line}`,
        },
      ];
    case 'connected':
      return [
        {
          label: 'Hold',
          command: 'holdcall',
          line,
          variant: 'secondary',
          shortcut: 'hold',
          done: `Line ${line} is on hold`,
        },
        {
          label: 'End call',
          command: 'endcall',
          line,
          variant: 'danger',
          shortcut: 'end',
          done: `Ended the call on line ${line}`,
        },
      ];
    case 'onhold':
      return [
        {
          label: 'Resume',
          command: 'holdcall',
          line,
          variant: 'success',
          shortcut: 'hold',
          done: `Line ${line} resumed`,
        },
        {
          label: 'End call',
          command: 'endcall',
          line,
          variant: 'danger',
          shortcut: 'end',
          done: `Ended the call on line ${line}`,
        },
      ];
    case 'dialing':
    case 'calling':
      return [
        {
          label: 'Cancel',
          command: 'cancel',
          line,
          variant: 'danger',
          shortcut: 'end',
          done: `Cancelled the call on line ${line}`,
        },
      ];
    default:
      return [];
  }
}
