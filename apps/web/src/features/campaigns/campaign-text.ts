/**
 * Campaign words for people: states, modes, outcomes and why a phone waits, plus the progress bar's
 * parts. The contract's lists are not imported (they would bring zod into the page): `satisfies`
 * keeps these tables complete.
 */
import type {
  CampaignCounts,
  CampaignEntryOutcome,
  CampaignMode,
  CampaignState,
  CampaignWaitReason,
} from '@linedeck/contract';
import type { Tone } from '../../lib/status.ts';

export const STATE_TEXT = {
  draft: { label: 'Draft', tone: 'neutral' },
  running: { label: 'Running', tone: 'good' },
  paused: { label: 'Paused', tone: 'busy' },
  finished: { label: 'Finished', tone: 'muted' },
} as const satisfies Record<CampaignState, { label: string; tone: Tone }>;

export const MODE_TEXT = {
  preview: 'Preview: the agent presses Call',
  automatic: 'Automatic: dials after the wrap-up time',
} as const satisfies Record<CampaignMode, string>;

export const OUTCOME_TEXT = {
  answered: 'Answered',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  invalid: 'Wrong number',
  do_not_call: 'Do not call',
} as const satisfies Record<CampaignEntryOutcome, string>;

export const OUTCOMES = Object.keys(OUTCOME_TEXT) as CampaignEntryOutcome[];

export const WAIT_TEXT = {
  preview: 'Waiting for you: Call or Skip',
  wrap_up: 'Wrap-up: the next call is dialled when the countdown ends',
  ringing: 'Waiting: the phone is ringing',
  in_call: 'Waiting: a call is up',
  dnd: 'Waiting: Do Not Disturb is on',
  offline: 'Waiting: the phone is offline',
  unauthorized: 'Waiting: the phone refused LineDeck’s password',
  outside_hours: 'Waiting: outside the calling hours',
  retry_later: 'Waiting: the entries left are due later (retries, call-backs)',
  no_entries: 'No entries left for this phone',
  not_running: 'The campaign is not running',
} as const satisfies Record<CampaignWaitReason, string>;

export interface ProgressPart {
  key: 'answered' | 'other' | 'dialling' | 'remaining';
  label: string;
  count: number;
  /** Share of the whole bar, 0..1. */
  share: number;
}

/**
 * The bar: entries done and answered, done otherwise, being dialled, still to go. Outcome counts also
 * hold entries waiting for a retry, so "answered" is capped by what is done.
 */
export function progressParts(counts: CampaignCounts): ProgressPart[] {
  const answered = Math.min(counts.outcomes.answered ?? 0, counts.done);
  const parts: Omit<ProgressPart, 'share'>[] = [
    { key: 'answered', label: 'answered', count: answered },
    { key: 'other', label: 'done otherwise', count: counts.done - answered },
    { key: 'dialling', label: 'calling now', count: counts.dialling },
    { key: 'remaining', label: 'to go', count: counts.remaining },
  ];
  const whole = Math.max(1, counts.total);
  return parts.map((p) => ({ ...p, share: p.count / whole }));
}

/** "12 of 40 done · 3 answered, 2 busy": the outcomes that happened, in the table's order. */
export function progressSummary(counts: CampaignCounts): string {
  const outcomes = OUTCOMES.filter((o) => (counts.outcomes[o] ?? 0) > 0).map(
    (o) => `${OUTCOME_TEXT[o].toLowerCase()} ${counts.outcomes[o]}`,
  );
  const head = `${counts.done} of ${counts.total} done, ${counts.remaining} to go`;
  return outcomes.length > 0 ? `${head} · ${outcomes.join(', ')}` : head;
}
