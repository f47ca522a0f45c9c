/** The dialer's pure decisions, with fixed clocks (the HTTP tests in campaigns.test.ts drive the real thing). */
import type { LineView, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import {
  afterAttempt,
  attemptOutcome,
  dialDueAt,
  entryDue,
  isAttemptCall,
  phoneWaitReason,
  ringTimedOut,
  withinCallingHours,
} from './dialer-rules.ts';

function line(state: string, n = 1): LineView {
  return {
    line: n,
    state,
    known: true,
    remoteName: '',
    remoteNumber: state === 'idle' ? '' : '2001',
    account: null,
    active: false,
    conference: false,
    since: null,
  };
}

function phone(patch: Partial<PhoneState> = {}): PhoneState {
  return {
    phoneId: 'p1',
    status: 'available',
    lines: [line('idle'), line('idle', 2)],
    accounts: [],
    updatedAt: '2026-03-02T10:00:00.000Z',
    dnd: false,
    forward: null,
    ...patch,
  };
}

describe('may this phone dial now', () => {
  it('dials an idle, reachable, authorized phone without DND', () => {
    expect(phoneWaitReason(phone())).toBeNull();
    // DND unknown (a passcode phone without pushes) does not block.
    expect(phoneWaitReason(phone({ dnd: null }))).toBeNull();
    // A line left showing `failed` is idle: the phone dials on another line.
    expect(phoneWaitReason(phone({ lines: [line('failed'), line('idle', 2)] }))).toBeNull();
  });

  it('never while it rings, is in a call, in DND, offline or unauthorized', () => {
    expect(phoneWaitReason(phone({ lines: [line('ringing')] }))).toBe('ringing');
    expect(phoneWaitReason(phone({ status: 'ringing', lines: [] }))).toBe('ringing');
    for (const s of ['connected', 'calling', 'dialing', 'onhold']) {
      expect(phoneWaitReason(phone({ lines: [line(s)] })), s).toBe('in_call');
    }
    expect(phoneWaitReason(phone({ dnd: true }))).toBe('dnd');
    expect(phoneWaitReason(undefined)).toBe('offline');
    expect(phoneWaitReason(phone({ updatedAt: null }))).toBe('offline');
    expect(phoneWaitReason(phone({ status: 'offline', error: { code: 'unreachable', message: 'x' } }))).toBe(
      'offline',
    );
    expect(
      phoneWaitReason(phone({ status: 'unauthorized', error: { code: 'phone_auth_failed', message: 'x' } })),
    ).toBe('unauthorized');
  });
});

describe('calling hours', () => {
  const hours = { from: '09:00', to: '18:00', timeZone: 'Europe/Berlin' };
  // 2026-03-02 is a Monday; Berlin is UTC+1 in March (before the switch on the 29th).
  it('are read in their own time zone', () => {
    expect(withinCallingHours(hours, new Date('2026-03-02T07:59:00Z'))).toBe(false); // 08:59 Berlin
    expect(withinCallingHours(hours, new Date('2026-03-02T08:00:00Z'))).toBe(true); // 09:00
    expect(withinCallingHours(hours, new Date('2026-03-02T16:59:00Z'))).toBe(true); // 17:59
    expect(withinCallingHours(hours, new Date('2026-03-02T17:00:00Z'))).toBe(false); // 18:00: the end is out
    const ny = { ...hours, timeZone: 'America/New_York' };
    expect(withinCallingHours(ny, new Date('2026-03-02T08:00:00Z'))).toBe(false); // 03:00 in New York
    expect(withinCallingHours(ny, new Date('2026-03-02T15:00:00Z'))).toBe(true); // 10:00
  });

  it('follow daylight saving time', () => {
    // 29 March 2026 Berlin moves to UTC+2: 07:30Z is 09:30 local, the day before it was 08:30.
    expect(withinCallingHours(hours, new Date('2026-03-28T07:30:00Z'))).toBe(false);
    expect(withinCallingHours(hours, new Date('2026-03-30T07:30:00Z'))).toBe(true);
  });

  it('limit the weekdays, and may span midnight', () => {
    const weekdays = { ...hours, days: [1, 2, 3, 4, 5] };
    expect(withinCallingHours(weekdays, new Date('2026-03-02T10:00:00Z'))).toBe(true); // Monday
    expect(withinCallingHours(weekdays, new Date('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
    const night = { from: '22:00', to: '02:00', timeZone: 'UTC', days: [1] };
    expect(withinCallingHours(night, new Date('2026-03-02T23:00:00Z'))).toBe(true); // Monday 23:00
    expect(withinCallingHours(night, new Date('2026-03-03T01:00:00Z'))).toBe(true); // Monday's night
    expect(withinCallingHours(night, new Date('2026-03-03T03:00:00Z'))).toBe(false);
    expect(withinCallingHours(night, new Date('2026-03-02T01:00:00Z'))).toBe(false); // Sunday's night
    expect(withinCallingHours(null, new Date())).toBe(true);
  });
});

describe('timing', () => {
  it('dials once the phone has been ready for the wrap-up time', () => {
    expect(dialDueAt(10_000, 5)).toBe(15_000);
    expect(dialDueAt(10_000, 0)).toBe(10_000);
  });

  it('an entry is due when it has no time or its time has passed', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(entryDue(null, now)).toBe(true);
    expect(entryDue('2026-03-02T09:59:59Z', now)).toBe(true);
    expect(entryDue('2026-03-02T10:00:01Z', now)).toBe(false);
  });

  it('the ring timeout', () => {
    expect(ringTimedOut(0, 30, 29_999)).toBe(false);
    expect(ringTimedOut(0, 30, 30_000)).toBe(true);
  });
});

describe('an attempt and its call', () => {
  const attempt = { phoneId: 'p1', number: '+4930123', dialledAtMs: Date.parse('2026-03-02T10:00:00Z') };
  const call = {
    phoneId: 'p1',
    direction: 'outgoing' as const,
    remoteNumber: '+4930123',
    startedAt: '2026-03-02T10:00:00.300Z',
  };

  it('is matched by phone, direction, number and time', () => {
    expect(isAttemptCall(call, attempt)).toBe(true);
    expect(isAttemptCall({ ...call, phoneId: 'p2' }, attempt)).toBe(false);
    expect(isAttemptCall({ ...call, direction: 'incoming' }, attempt)).toBe(false);
    expect(isAttemptCall({ ...call, remoteNumber: '+4930124' }, attempt)).toBe(false);
    // An earlier call to the same number is not this attempt's.
    expect(isAttemptCall({ ...call, startedAt: '2026-03-02T09:58:00Z' }, attempt)).toBe(false);
  });

  it('takes the journal outcome; the server ending it at the ring timeout is no answer', () => {
    expect(attemptOutcome({ outcome: 'answered', answeredAt: 'x' }, false)).toBe('answered');
    expect(attemptOutcome({ outcome: 'busy', answeredAt: null }, false)).toBe('busy');
    expect(attemptOutcome({ outcome: 'failed', answeredAt: null }, false)).toBe('failed');
    expect(attemptOutcome({ outcome: 'no_answer', answeredAt: null }, false)).toBe('no_answer');
    expect(attemptOutcome({ outcome: 'cancelled', answeredAt: null }, false)).toBe('cancelled');
    expect(attemptOutcome({ outcome: 'cancelled', answeredAt: null }, true)).toBe('no_answer');
    // Answered before the timeout's end call arrived: answered.
    expect(attemptOutcome({ outcome: 'answered', answeredAt: 'x' }, true)).toBe('answered');
  });

  it('retries no answer and busy after the delay while attempts are left', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const rules = { maxAttempts: 2, retryAfterMinutes: 30 };
    expect(afterAttempt('no_answer', 1, rules, now)).toEqual({
      state: 'pending',
      nextAttemptAt: '2026-03-02T10:30:00.000Z',
    });
    expect(afterAttempt('busy', 1, rules, now).state).toBe('pending');
    expect(afterAttempt('no_answer', 2, rules, now)).toEqual({ state: 'done', nextAttemptAt: null });
    for (const final of ['answered', 'failed', 'cancelled'] as const) {
      expect(afterAttempt(final, 1, rules, now).state, final).toBe('done');
    }
  });
});
