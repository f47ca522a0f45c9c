import type { CallEvent } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import {
  type ActiveIntent,
  amendLate,
  awaitsIntent,
  closeInterrupted,
  dialIntentFor,
  type FoldContext,
  foldCallEvent,
  INTENT_GRACE_MS,
  isActive,
  operationIntent,
  outcomeOf,
  resumeInterrupted,
  type Track,
} from './call-rules.ts';
import type { CallAction, StoredCall } from './calls-store.ts';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

function ev(kind: CallEvent['kind'], s: number, extra: Partial<CallEvent> = {}): CallEvent {
  return { phoneId: 'p1', line: 1, kind, remoteName: '', remoteNumber: '030 1234567', at: iso(s), ...extra };
}

function intent(action: CallAction, username = 'ann', doneAtMs: number | null = null, at = T0): ActiveIntent {
  return { intent: { phoneId: 'p1', username, action, at: new Date(at) }, doneAtMs };
}

let ids = 0;
const ctx = (intents: ActiveIntent[] = []): FoldContext => ({
  newId: () => `c${++ids}`,
  defaultCountry: 'DE',
  intents,
});

/** Folds the events in order on one line; answers the calls that closed and the one still open. */
function run(events: CallEvent[], intents: ActiveIntent[] = []) {
  let open: Track | undefined;
  const closed: StoredCall[] = [];
  const used: ActiveIntent[] = [];
  for (const e of events) {
    const r = foldCallEvent(open, e, ctx(intents.filter((i) => !used.includes(i))));
    open = r.open;
    closed.push(...r.closed.map((t) => t.call));
    used.push(...r.used);
  }
  return { closed, open: open?.call, used };
}

describe('incoming calls', () => {
  it('ringing then idle without connecting is missed, ring counted to the end', () => {
    const { closed, open } = run([
      ev('ringing', 0, { remoteName: 'Ada', account: 1 }),
      ev('missed', 7, { endedIn: 'ringing' }),
    ]);
    expect(open).toBeUndefined();
    expect(closed).toEqual([
      expect.objectContaining({
        direction: 'incoming',
        outcome: 'missed',
        remoteNumber: '030 1234567',
        remoteE164: '+49301234567',
        remoteName: 'Ada',
        account: 1,
        startedAt: iso(0),
        answeredAt: null,
        endedAt: iso(7),
        ringSeconds: 7,
        talkSeconds: 0,
        endedBy: null,
        interrupted: false,
      }),
    ]);
  });

  it('answered with hold: ring until answered, talk excludes hold', () => {
    const { closed } = run([
      ev('ringing', 0),
      ev('answered', 4),
      ev('held', 10),
      ev('resumed', 25),
      ev('ended', 31, { endedIn: 'connected' }),
    ]);
    expect(closed[0]).toMatchObject({
      outcome: 'answered',
      answeredAt: iso(4),
      ringSeconds: 4,
      talkSeconds: 12,
      holdSeconds: 15,
      endedAt: iso(31),
    });
  });

  it('an open call keeps its seconds up to the last event, with lastSeenAt', () => {
    const { open } = run([ev('ringing', 0), ev('answered', 2), ev('held', 9)]);
    expect(open).toMatchObject({ outcome: null, endedAt: null, talkSeconds: 7, lastSeenAt: iso(9) });
  });

  it('rejected from LineDeck (rejectcall on the line, or on no line) while it rang', () => {
    for (const action of [
      { kind: 'operation', command: 'rejectcall', line: 1 },
      { kind: 'operation', command: 'rejectcall' },
    ] as CallAction[]) {
      const reject = intent(action, 'bob');
      const { closed, used } = run([ev('ringing', 0), ev('missed', 3)], [reject]);
      expect(closed[0]).toMatchObject({ outcome: 'rejected', endedBy: 'bob' });
      expect(used).toEqual([reject]);
    }
    // For another line it says nothing about this one.
    const other = intent({ kind: 'operation', command: 'rejectcall', line: 2 });
    expect(run([ev('ringing', 0), ev('missed', 3)], [other]).closed[0]?.outcome).toBe('missed');
  });

  it('answeredBy from acceptcall; endedBy from endcall', () => {
    const { closed } = run(
      [ev('ringing', 0), ev('answered', 2), ev('ended', 9)],
      [
        intent({ kind: 'operation', command: 'acceptcall' }, 'ann'),
        intent({ kind: 'operation', command: 'endcall', line: 1 }, 'bob'),
      ],
    );
    expect(closed[0]).toMatchObject({ outcome: 'answered', answeredBy: 'ann', endedBy: 'bob' });
  });

  it('an answered with no open call opens an incoming call (the ring fell between two polls)', () => {
    const { open } = run([ev('answered', 5)]);
    expect(open).toMatchObject({
      direction: 'incoming',
      startedAt: iso(5),
      answeredAt: iso(5),
      ringSeconds: 0,
    });
  });

  it('a missed nobody saw ring (push only) is still a missed call', () => {
    const { closed } = run([ev('missed', 5)]);
    expect(closed[0]).toMatchObject({ outcome: 'missed', startedAt: iso(5), endedAt: iso(5) });
  });

  it('a new ring on a line whose call is still open ends that call first', () => {
    const { closed, open } = run([ev('ringing', 0), ev('ringing', 5, { remoteNumber: '555' })]);
    expect(closed.map((c) => [c.remoteNumber, c.outcome])).toEqual([['030 1234567', 'missed']]);
    expect(open?.remoteNumber).toBe('555');
  });

  it('a number, name or contact that fills in later is kept', () => {
    const contact = { id: 'k1', name: 'Ada L', company: null };
    const { closed } = run([
      ev('ringing', 0, { remoteNumber: '', remoteName: '' }),
      ev('missed', 2, { remoteNumber: '+4930999', remoteName: 'Ada', contact }),
    ]);
    expect(closed[0]).toMatchObject({
      remoteNumber: '+4930999',
      remoteE164: '+4930999',
      remoteName: 'Ada',
      contact,
    });
  });
});

describe('outgoing calls', () => {
  it('dialled from LineDeck (number compared as a number), then answered', () => {
    const { closed } = run(
      [ev('dialing', 0, { remoteNumber: '+49 30 1234567' }), ev('answered', 6), ev('ended', 20)],
      [intent({ kind: 'dial', number: '0301234567' }, 'carl')],
    );
    expect(closed[0]).toMatchObject({
      direction: 'outgoing',
      outcome: 'answered',
      dialledBy: 'carl',
      ringSeconds: 6,
      talkSeconds: 14,
    });
  });

  it('a dial intent for another number is not this call', () => {
    const { open } = run([ev('dialing', 0)], [intent({ kind: 'dial', number: '0309999' })]);
    expect(open?.dialledBy).toBeNull();
  });

  it('calling then idle is no_answer; cancelled when LineDeck ended or cancelled it', () => {
    expect(run([ev('dialing', 0), ev('ended', 9, { endedIn: 'calling' })]).closed[0]).toMatchObject({
      outcome: 'no_answer',
      ringSeconds: 9,
    });
    for (const command of ['endcall', 'cancel'] as const) {
      const { closed } = run(
        [ev('dialing', 0), ev('ended', 3)],
        [intent({ kind: 'operation', command }, 'dee')],
      );
      expect(closed[0]).toMatchObject({ outcome: 'cancelled', endedBy: 'dee' });
    }
  });

  it('a line that ended in failed is failed, in busy is busy, even when LineDeck hung up after', () => {
    expect(run([ev('dialing', 0), ev('ended', 2, { endedIn: 'failed' })]).closed[0]?.outcome).toBe('failed');
    const hungUp = [intent({ kind: 'operation', command: 'endcall' })];
    expect(run([ev('dialing', 0), ev('ended', 2, { endedIn: 'busy' })], hungUp).closed[0]?.outcome).toBe(
      'busy',
    );
  });

  it('an answered with no open call is outgoing when a dial for that number is pending', () => {
    const { open } = run([ev('answered', 1)], [intent({ kind: 'dial', number: '+49301234567' }, 'eve')]);
    expect(open).toMatchObject({ direction: 'outgoing', dialledBy: 'eve' });
  });

  it('transferTarget from a transfer intent on the line', () => {
    const { closed } = run(
      [ev('dialing', 0), ev('answered', 1), ev('ended', 5)],
      [intent({ kind: 'transfer', target: '2001', line: 1 })],
    );
    expect(closed[0]).toMatchObject({ outcome: 'answered', transferTarget: '2001' });
  });
});

describe('outcomeOf', () => {
  it('answered wins; incoming missed or rejected; outgoing busy, failed, cancelled, no_answer', () => {
    expect(outcomeOf({ direction: 'incoming', answeredAt: iso(1) }, { rejected: true })).toBe('answered');
    expect(outcomeOf({ direction: 'incoming', answeredAt: null }, {})).toBe('missed');
    expect(outcomeOf({ direction: 'incoming', answeredAt: null }, { rejected: true })).toBe('rejected');
    expect(outcomeOf({ direction: 'outgoing', answeredAt: null }, { endedIn: 'busy', cancelled: true })).toBe(
      'busy',
    );
    expect(outcomeOf({ direction: 'outgoing', answeredAt: null }, { endedIn: 'failed' })).toBe('failed');
    expect(outcomeOf({ direction: 'outgoing', answeredAt: null }, { cancelled: true })).toBe('cancelled');
    expect(outcomeOf({ direction: 'outgoing', answeredAt: null }, { endedIn: 'calling' })).toBe('no_answer');
  });
});

describe('intents', () => {
  it('count while pending and for 5 s after the phone took them', () => {
    expect(isActive(intent({ kind: 'dial', number: '1' }), T0 + 30_000)).toBe(true);
    expect(isActive(intent({ kind: 'dial', number: '1' }), T0 + 120_000)).toBe(false);
    const done = intent({ kind: 'dial', number: '1' }, 'ann', T0);
    expect(isActive(done, T0 + INTENT_GRACE_MS)).toBe(true);
    expect(isActive(done, T0 + INTENT_GRACE_MS + 1)).toBe(false);
  });

  it('are found by number and by line', () => {
    const dial = intent({ kind: 'dial', number: '030 1234567' });
    expect(dialIntentFor([dial], '+49301234567', 'DE')).toBe(dial);
    expect(dialIntentFor([dial], '+49301234568', 'DE')).toBeUndefined();
    const onTwo = intent({ kind: 'operation', command: 'acceptcall', line: 2 });
    expect(operationIntent([onTwo], ['acceptcall'], 1)).toBeUndefined();
    expect(operationIntent([onTwo], ['acceptcall'], 2)).toBe(onTwo);
  });
});

describe('amendLate: an intent that arrives just after its transition', () => {
  const missed = run([ev('ringing', 0), ev('missed', 3)]).closed[0] as StoredCall;
  const reject = intent({ kind: 'operation', command: 'rejectcall' }, 'bob').intent;

  it('turns a call just closed as missed into rejected', () => {
    expect(amendLate(missed, reject, T0 + 4000, 'DE')).toMatchObject({ outcome: 'rejected', endedBy: 'bob' });
  });

  it('not after 5 s, not for another phone or line, not twice', () => {
    expect(amendLate(missed, reject, T0 + 3000 + INTENT_GRACE_MS + 1, 'DE')).toBeNull();
    expect(amendLate(missed, { ...reject, phoneId: 'p2' }, T0 + 4000, 'DE')).toBeNull();
    const onTwo = { ...reject, action: { kind: 'operation', command: 'rejectcall', line: 2 } as CallAction };
    expect(amendLate(missed, onTwo, T0 + 4000, 'DE')).toBeNull();
    const rejected = amendLate(missed, reject, T0 + 4000, 'DE') as StoredCall;
    expect(amendLate(rejected, reject, T0 + 4000, 'DE')).toBeNull();
  });

  it('names who dialled, answered, cancelled and where it was transferred', () => {
    const dialled = run([ev('dialing', 0), ev('ended', 2)]).closed[0] as StoredCall;
    const dial = intent({ kind: 'dial', number: '+49301234567' }, 'carl').intent;
    expect(amendLate(dialled, dial, T0 + 1000, 'DE')).toMatchObject({ dialledBy: 'carl' });
    const cancel = intent({ kind: 'operation', command: 'cancel' }, 'dee').intent;
    expect(amendLate(dialled, cancel, T0 + 2500, 'DE')).toMatchObject({
      outcome: 'cancelled',
      endedBy: 'dee',
    });
    const answered = run([ev('ringing', 0), ev('answered', 1)]).open as StoredCall;
    const accept = intent({ kind: 'operation', command: 'acceptcall' }, 'ann').intent;
    expect(amendLate(answered, accept, T0 + 1500, 'DE')).toMatchObject({ answeredBy: 'ann' });
    const transfer = intent({ kind: 'transfer', target: '2001' }).intent;
    expect(amendLate(answered, transfer, T0 + 1500, 'DE')).toMatchObject({ transferTarget: '2001' });
    expect(amendLate(missed, transfer, T0 + 3500, 'DE')).toBeNull();
  });
});

describe('awaitsIntent', () => {
  it('a ringing call waits for accept or reject, a call going on for end; nothing waits for a dial', () => {
    const ringing = run([ev('ringing', 0)]).open as StoredCall;
    const talking = run([ev('ringing', 0), ev('answered', 1)]);
    const track = (call: StoredCall, phase: Track['phase']): Track => ({
      call,
      phase,
      phaseSinceMs: T0,
      talkMs: 0,
      holdMs: 0,
    });
    const op = (command: 'acceptcall' | 'rejectcall' | 'endcall', line?: number) =>
      intent({ kind: 'operation', command, ...(line ? { line } : {}) }).intent;
    expect(awaitsIntent(track(ringing, 'ringing'), op('rejectcall'))).toBe(true);
    expect(awaitsIntent(track(ringing, 'ringing'), op('acceptcall', 2))).toBe(false);
    expect(awaitsIntent(track(talking.open as StoredCall, 'talking'), op('rejectcall'))).toBe(false);
    expect(awaitsIntent(track(talking.open as StoredCall, 'talking'), op('endcall'))).toBe(true);
    expect(awaitsIntent(track(ringing, 'ringing'), intent({ kind: 'dial', number: '1' }).intent)).toBe(false);
  });
});

describe('closeInterrupted', () => {
  it('closes at lastSeenAt with the outcome from what happened, marked interrupted', () => {
    const talking = run([ev('ringing', 0), ev('answered', 2), ev('held', 8)]).open as StoredCall;
    expect(closeInterrupted(talking)).toMatchObject({
      outcome: 'answered',
      endedAt: iso(8),
      talkSeconds: 6,
      interrupted: true,
    });
    expect(closeInterrupted(run([ev('ringing', 0)]).open as StoredCall).outcome).toBe('missed');
    expect(closeInterrupted(run([ev('dialing', 0)]).open as StoredCall).outcome).toBe('no_answer');
  });
});

describe('resumeInterrupted', () => {
  const at = iso(30);
  const ringing = run([ev('ringing', 0)]).open as StoredCall;
  const talking = run([ev('ringing', 0), ev('answered', 2), ev('held', 8)]).open as StoredCall;
  const dialled = run([ev('dialing', 0)]).open as StoredCall;
  const shown = (phase: string, remoteNumber = '+49 30 1234567') => ({ phase, remoteNumber });

  it('a line that no longer shows the call: it ended while LineDeck was stopped', () => {
    expect(resumeInterrupted(ringing, shown('idle', ''), at, 'DE')).toBeNull();
    expect(resumeInterrupted(ringing, shown('other'), at, 'DE')).toBeNull();
    expect(resumeInterrupted(ringing, shown('ringing', '030 9999'), at, 'DE')).toBeNull();
    // Answered, then ringing again with the same number: a second call, not this one.
    expect(resumeInterrupted(talking, shown('ringing'), at, 'DE')).toBeNull();
    expect(resumeInterrupted(dialled, shown('ringing'), at, 'DE')).toBeNull();
    expect(resumeInterrupted(ringing, shown('outgoing'), at, 'DE')).toBeNull();
  });

  it('the same call (its number written another way, or blank) goes on from where it was', () => {
    const still = resumeInterrupted(ringing, shown('ringing'), at, 'DE');
    expect(still).toMatchObject({ phase: 'ringing', call: { ringSeconds: 30, answeredAt: null } });
    expect(resumeInterrupted(dialled, shown('outgoing', ''), at, 'DE')?.phase).toBe('outgoing');
    // Held when last seen at 8 s, talking at the start: the 22 s between count as what is seen now.
    expect(resumeInterrupted(talking, shown('talking'), at, 'DE')).toMatchObject({
      phase: 'talking',
      call: { talkSeconds: 28, holdSeconds: 0, answeredAt: iso(2), outcome: null },
    });
  });

  it('a ringing call seen answered was answered while LineDeck was stopped: at the latest now', () => {
    expect(resumeInterrupted(ringing, shown('talking'), at, 'DE')).toMatchObject({
      phase: 'talking',
      call: { answeredAt: at, ringSeconds: 30, talkSeconds: 0 },
    });
    expect(resumeInterrupted(ringing, shown('held'), at, 'DE')?.phase).toBe('held');
  });
});
