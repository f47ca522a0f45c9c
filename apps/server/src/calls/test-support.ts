/** Calls for the journal's tests: every field set, each call one second after the last unless told. */
import type { StoredCall } from './calls-store.ts';

let counter = 0;
/** A closed, answered incoming call on p1 from a Berlin number; `overrides` replace any field. */
export function storedCall(overrides: Partial<StoredCall> = {}): StoredCall {
  counter++;
  const startedAt = overrides.startedAt ?? new Date(Date.UTC(2025, 0, 1, 9, 0, counter)).toISOString();
  return {
    id: `call-${counter}`,
    phoneId: 'p1',
    line: 1,
    account: 1,
    direction: 'incoming',
    outcome: 'answered',
    remoteNumber: '0301234567',
    remoteE164: '+49301234567',
    remoteName: 'Anna Müller',
    contact: null,
    startedAt,
    answeredAt: null,
    endedAt: startedAt,
    ringSeconds: 3,
    talkSeconds: 40,
    holdSeconds: 0,
    transferTarget: null,
    dialledBy: null,
    answeredBy: null,
    endedBy: null,
    interrupted: false,
    turnedAway: null,
    lastSeenAt: startedAt,
    ...overrides,
  };
}
