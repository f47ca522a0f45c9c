/**
 * The dialer's decisions as pure functions of what is known and the time, so each safety rule is one
 * small function with its own test (dialer-rules.test.ts, fake clocks): may this phone dial now, is it
 * within the calling hours, when does the wrap-up countdown end, what an attempt's call says, and what
 * becomes of the entry after it. The engine (dialer-engine.ts) only applies them.
 */
import type {
  Call,
  CallingHours,
  CampaignEntryOutcome,
  CampaignWaitReason,
  PhoneState,
} from '@linedeck/contract';
import { IDLE_STATES, RINGING_STATES } from '../phones/state-mapping.ts';

export interface CampaignRules {
  wrapUpSeconds: number;
  ringTimeoutSeconds: number;
  maxAttempts: number;
  retryAfterMinutes: number;
  callingHours: CallingHours | null;
}

export const DEFAULT_RULES: Omit<CampaignRules, 'callingHours'> = {
  wrapUpSeconds: 5,
  ringTimeoutSeconds: 30,
  maxAttempts: 2,
  retryAfterMinutes: 30,
};

/**
 * Why this phone may not be dialled on now, or null when it may. Lines decide ringing and in a call
 * (a line left `failed` is idle: the phone dials on another); a phone never read, unreachable or whose
 * credential was refused is not dialled; DND on (when known) blocks.
 */
export function phoneWaitReason(state: PhoneState | undefined): CampaignWaitReason | null {
  if (!state || state.updatedAt === null) return 'offline';
  if (state.status === 'unauthorized' || state.error?.code === 'phone_auth_failed') return 'unauthorized';
  if (state.status === 'offline' || state.status === 'unknown' || state.error) return 'offline';
  if (state.lines.some((l) => RINGING_STATES.has(l.state)) || state.status === 'ringing') return 'ringing';
  if (state.lines.some((l) => !IDLE_STATES.has(l.state))) return 'in_call';
  if (state.dnd === true) return 'dnd';
  return null;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock time (minutes since midnight) and ISO weekday at `now` in `timeZone`. */
function localTime(now: Date, timeZone: string): { minutes: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
    weekday: WEEKDAYS[get('weekday')] ?? 0,
  };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Inside `from` (inclusive) to `to` (exclusive) in the hours' own time zone; across midnight when from > to. */
export function withinCallingHours(hours: CallingHours | null, now: Date): boolean {
  if (!hours) return true;
  const { minutes, weekday } = localTime(now, hours.timeZone);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  const overnight = from > to;
  // After midnight in an overnight window, the day it started on is the one the days list means.
  const day = overnight && minutes < to ? ((weekday + 5) % 7) + 1 : weekday;
  if (hours.days && !hours.days.includes(day)) return false;
  if (from === to) return true;
  return overnight ? minutes >= from || minutes < to : minutes >= from && minutes < to;
}

/** Automatic mode: the dial is due once the phone has been ready for the wrap-up time. */
export function dialDueAt(readySinceMs: number, wrapUpSeconds: number): number {
  return readySinceMs + wrapUpSeconds * 1000;
}

/** Whether a pending entry's turn may come now (no retry or callback time, or it has passed). */
export function entryDue(nextAttemptAt: string | null, now: Date): boolean {
  return nextAttemptAt === null || Date.parse(nextAttemptAt) <= now.getTime();
}

export interface AttemptSpec {
  phoneId: string;
  number: string;
  /** When the dial was sent (ms). */
  dialledAtMs: number;
}

/** The phone's clock and ours differ by a poll at most; a call seen this much before the dial is not it. */
const MATCH_SLACK_MS = 2000;

/**
 * Is this journal call the one the attempt placed? Same phone, outgoing, the number as dialled (the
 * phone shows what it was sent), started at or after the dial.
 */
export function isAttemptCall(
  call: Pick<Call, 'phoneId' | 'direction' | 'remoteNumber' | 'startedAt'>,
  attempt: AttemptSpec,
): boolean {
  if (call.phoneId !== attempt.phoneId || call.direction !== 'outgoing') return false;
  const digits = (s: string) => s.replace(/[^0-9*#]/g, '');
  if (digits(call.remoteNumber) !== digits(attempt.number)) return false;
  return Date.parse(call.startedAt) >= attempt.dialledAtMs - MATCH_SLACK_MS;
}

/**
 * The entry outcome of an ended attempt from its journal call. When the server ended it because the
 * ring timeout passed, it is `no_answer` (the journal says `cancelled`: LineDeck ended it).
 */
export function attemptOutcome(
  call: Pick<Call, 'outcome' | 'answeredAt'>,
  endedByRingTimeout: boolean,
): CampaignEntryOutcome {
  if (call.answeredAt || call.outcome === 'answered') return 'answered';
  if (endedByRingTimeout) return 'no_answer';
  switch (call.outcome) {
    case 'busy':
    case 'failed':
    case 'cancelled':
    case 'no_answer':
      return call.outcome;
    default:
      return 'failed';
  }
}

/** Has the ring timeout passed for an attempt not answered yet? */
export function ringTimedOut(dialledAtMs: number, ringTimeoutSeconds: number, nowMs: number): boolean {
  return nowMs - dialledAtMs >= ringTimeoutSeconds * 1000;
}

const RETRIED_OUTCOMES: ReadonlySet<CampaignEntryOutcome> = new Set(['no_answer', 'busy']);

/**
 * What becomes of an entry after an attempt: `no_answer` and `busy` wait `retryAfterMinutes` and go
 * again while attempts are left; everything else is final.
 */
export function afterAttempt(
  outcome: CampaignEntryOutcome,
  attempts: number,
  rules: Pick<CampaignRules, 'maxAttempts' | 'retryAfterMinutes'>,
  now: Date,
): { state: 'pending' | 'done'; nextAttemptAt: string | null } {
  if (RETRIED_OUTCOMES.has(outcome) && attempts < rules.maxAttempts) {
    return {
      state: 'pending',
      nextAttemptAt: new Date(now.getTime() + rules.retryAfterMinutes * 60_000).toISOString(),
    };
  }
  return { state: 'done', nextAttemptAt: null };
}
