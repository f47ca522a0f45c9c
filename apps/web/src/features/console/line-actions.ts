import type { ButtonVariant } from '../../components/ui/button.tsx';
import type { OperationVariables } from '../../lib/mutations.ts';

export interface LineAction extends OperationVariables {
  label: string;
  variant: ButtonVariant;
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
        { label: 'Hold', command: 'holdcall', line, variant: 'secondary', done: `Line ${line} is on hold` },
        {
          label: 'End call',
          command: 'endcall',
          line,
          variant: 'danger',
          done: `Ended the call on line ${line}`,
        },
      ];
    case 'onhold':
      return [
        { label: 'Resume', command: 'holdcall', line, variant: 'success', done: `Line ${line} resumed` },
        {
          label: 'End call',
          command: 'endcall',
          line,
          variant: 'danger',
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
          done: `Cancelled the call on line ${line}`,
        },
      ];
    default:
      return [];
  }
}
