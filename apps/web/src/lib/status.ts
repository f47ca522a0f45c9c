/**
 * Phone statuses and line states in words: labels, the tone a badge uses, and
 * what to do about a status that needs a person (the one table for them).
 */
import type { LineView, PhoneState, PhoneStatus } from '@linedeck/contract';
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

/** What an available phone with Do Not Disturb on is: it turns every caller away, so never "Available". */
export const DND_STATUS_TEXT: StatusText = { label: 'Do not disturb', tone: 'busy' };

/** Whether the status shown for a phone is DND's own (the DND flag then need not be repeated beside it). */
export function dndIsStatus(state: Pick<PhoneState, 'status' | 'dnd'> | undefined): boolean {
  return state?.status === 'available' && state.dnd === true;
}

/**
 * A phone's status as a person should read it: STATUS_TEXT, except that an available phone with DND on
 * says "Do not disturb". A busy or ringing phone keeps its status (DND shows beside it).
 */
export function shownStatus(state: Pick<PhoneState, 'status' | 'dnd'> | undefined): StatusText {
  if (dndIsStatus(state)) return DND_STATUS_TEXT;
  return STATUS_TEXT[state?.status ?? 'unknown'] ?? STATUS_TEXT.unknown;
}

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
  // Amber, not grey: a held caller is waiting for someone, which must not look like a quiet line.
  onhold: { label: 'On hold', tone: 'busy' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** A line state in words; states this build does not know are shown as the phone wrote them (field notes). */
export function lineStateText(state: string): { label: string; tone: Tone } {
  return LINE_STATE_TEXT[state] ?? { label: state.charAt(0).toUpperCase() + state.slice(1), tone: 'neutral' };
}

/**
 * Statuses that say the phone's data is not current: LineDeck cannot read it (offline), was refused
 * (unauthorized), or never has. What such a phone shows is the last it read, so its timers stand still.
 */
const NOT_CURRENT_STATUSES: ReadonlySet<PhoneStatus> = new Set(['offline', 'unauthorized', 'unknown']);

export function hasCurrentData(status: PhoneStatus | undefined): boolean {
  return !NOT_CURRENT_STATUSES.has(status ?? 'unknown');
}

/** Statuses a person has to do something about: shown with the calls, before the quiet phones. */
export const PROBLEM_STATUSES: ReadonlySet<PhoneStatus> = new Set(['offline', 'unauthorized', 'unavailable']);

/** Which call matters most to someone looking: a ringing one, then a live conversation, then one on hold. */
const CALL_PRIORITY: Record<string, number> = {
  ringing: 0,
  connected: 1,
  calling: 2,
  dialing: 2,
  onhold: 3,
  failed: 4,
};

/** A phone's calls (idle lines left out), the one that matters most first; equal ones by line. */
export function callsByPriority(lines: readonly LineView[]): LineView[] {
  const rank = (l: LineView) => CALL_PRIORITY[l.state] ?? 5;
  return lines.filter((l) => l.state !== 'idle').sort((a, b) => rank(a) - rank(b) || a.line - b.line);
}
