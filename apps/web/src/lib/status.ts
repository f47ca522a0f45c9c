/**
 * Phone statuses and line states in words: labels, the tone a badge uses, and
 * what to do about a status that needs a person (the one table for them).
 */
import type { PhoneStatus } from '@linedeck/contract';

export type Tone = 'neutral' | 'good' | 'busy' | 'alert' | 'bad' | 'muted';

export interface StatusText {
  label: string;
  tone: Tone;
  /** What to do, in full (the console). */
  advice?: string;
  /** The same in a few words (a fleet card). */
  short?: string;
}

export const STATUS_TEXT: Record<PhoneStatus, StatusText> = {
  available: { label: 'Available', tone: 'good' },
  busy: { label: 'Busy', tone: 'busy' },
  ringing: { label: 'Ringing', tone: 'alert' },
  unavailable: {
    label: 'Unavailable',
    tone: 'muted',
    advice: 'No SIP account is registered: check the account settings and the network on the phone.',
  },
  offline: {
    label: 'Offline',
    tone: 'bad',
    advice:
      'LineDeck cannot reach the phone. Check that it is powered, on the network and at the configured address.',
  },
  unauthorized: {
    label: 'Unauthorized',
    tone: 'bad',
    advice:
      "The phone rejected LineDeck's passcode, so LineDeck stopped asking to avoid locking it. " +
      "An admin should correct the passcode in LineDeck's settings for this phone, then run Test connection.",
    short: "The phone rejected LineDeck's passcode: an admin should correct the passcode.",
  },
  unknown: { label: 'Unknown', tone: 'muted', advice: 'LineDeck has not heard from this phone yet.' },
};

const LINE_STATE_TEXT: Record<string, { label: string; tone: Tone }> = {
  idle: { label: 'Idle', tone: 'muted' },
  ringing: { label: 'Ringing', tone: 'alert' },
  dialing: { label: 'Dialing', tone: 'busy' },
  calling: { label: 'Calling', tone: 'busy' },
  connected: { label: 'Connected', tone: 'good' },
  onhold: { label: 'On hold', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** A line state in words; states this build does not know are shown as the phone wrote them (field notes). */
export function lineStateText(state: string): { label: string; tone: Tone } {
  return LINE_STATE_TEXT[state] ?? { label: state.charAt(0).toUpperCase() + state.slice(1), tone: 'neutral' };
}
