/**
 * How a journal call reads on screen: direction and outcome in words (an icon beside them, never
 * alone), who it was with, how long it rang and talked, and when: pure, so they are tested without a
 * browser and the Calls page and the console say the same.
 */
import type { Call, CallDirection, CallOutcome } from '@linedeck/contract';
import type { Tone } from '../../lib/status.ts';
import { formatDuration } from '../../lib/time.ts';

export const DIRECTION_TEXT: Record<CallDirection, { label: string; icon: string }> = {
  incoming: { label: 'Incoming', icon: '↙' },
  outgoing: { label: 'Outgoing', icon: '↗' },
};

export const OUTCOME_TEXT: Record<CallOutcome | 'ongoing', { label: string; tone: Tone }> = {
  answered: { label: 'Answered', tone: 'good' },
  missed: { label: 'Missed', tone: 'bad' },
  rejected: { label: 'Rejected', tone: 'busy' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
  no_answer: { label: 'No answer', tone: 'muted' },
  busy: { label: 'Busy', tone: 'busy' },
  failed: { label: 'Failed', tone: 'bad' },
  ongoing: { label: 'In progress', tone: 'alert' },
};

export function outcomeText(call: Pick<Call, 'outcome'>): { label: string; tone: Tone } {
  return OUTCOME_TEXT[call.outcome ?? 'ongoing'];
}

/** The name to show: the contact's (then), else the one the phone showed, else ''. */
export function callName(call: Pick<Call, 'contact' | 'remoteName'>): string {
  return call.contact?.name || call.remoteName;
}

/** "Rang 0:12 · talked 3:04", "Rang 0:31", "On hold 0:40" added when there was hold; '' while nothing to say. */
export function durationsText(
  call: Pick<Call, 'ringSeconds' | 'talkSeconds' | 'holdSeconds' | 'answeredAt'>,
) {
  const parts: string[] = [];
  if (call.ringSeconds > 0 || !call.answeredAt) parts.push(`Rang ${formatDuration(call.ringSeconds * 1000)}`);
  if (call.answeredAt) parts.push(`talked ${formatDuration(call.talkSeconds * 1000)}`);
  if (call.holdSeconds > 0) parts.push(`on hold ${formatDuration(call.holdSeconds * 1000)}`);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** "just now", "5 min ago", "3 hours ago", "yesterday", "4 days ago". */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return '';
  if (seconds > -45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes > -60) return relative.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours > -24) return relative.format(hours, 'hour');
  return relative.format(Math.round(hours / 24), 'day');
}

/** The clock time for today's calls, else the day with it; the full date and time for a tooltip. */
export function absoluteTime(iso: string, now: number): { short: string; long: string } {
  const at = new Date(iso);
  const today = new Date(now).toDateString() === at.toDateString();
  return { short: today ? timeOnly.format(at) : dayAndTime.format(at), long: full.format(at) };
}
