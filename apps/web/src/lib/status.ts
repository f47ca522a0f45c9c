/**
 * Phone statuses and line states in words: labels, the tone a badge uses, and
 * what to do about a status that needs a person (the one table for them).
 */
import type { PhoneState, PhoneStatus } from '@linedeck/contract';
import { AUTH_STOPPED, AUTH_STOPPED_SHORT, phoneSaid } from './auth-text.ts';

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
    // Without the phone's own words; features/ add them from `state.error.auth` (lib/auth-text.ts).
    advice: `${phoneSaid(undefined)} ${AUTH_STOPPED}`,
    short: `${phoneSaid(undefined)} ${AUTH_STOPPED_SHORT}`,
  },
  unknown: { label: 'Unknown', tone: 'muted', advice: 'LineDeck has not heard from this phone yet.' },
};

/** The advice for a phone's state: for an unauthorized phone, with what the phone itself said. */
export function adviceFor(state: Pick<PhoneState, 'status' | 'error'> | undefined): {
  advice?: string | undefined;
  short?: string | undefined;
} {
  const status = state?.status ?? 'unknown';
  if (status !== 'unauthorized')
    return { advice: STATUS_TEXT[status]?.advice, short: STATUS_TEXT[status]?.short };
  const said = phoneSaid(state?.error?.auth);
  return { advice: `${said} ${AUTH_STOPPED}`, short: `${said} ${AUTH_STOPPED_SHORT}` };
}

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
