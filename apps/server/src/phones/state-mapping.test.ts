import { describe, expect, it } from 'vitest';
import {
  atPollTime,
  buildState,
  type CtiLine,
  deriveStatus,
  mapLine,
  mapLines,
  statusForError,
  visiblyDifferent,
} from './state-mapping.ts';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:01.000Z';

function line(n: number, state: CtiLine['state'], extra: Partial<CtiLine> = {}): CtiLine {
  return {
    line: n,
    state,
    account: 0,
    remoteName: '',
    remoteNumber: '',
    active: false,
    conference: false,
    ...extra,
  };
}

describe('mapLine', () => {
  it('maps a known state and starts its clock', () => {
    expect(mapLine(line(1, 'ringing', { remoteNumber: '100' }), undefined, T0)).toEqual({
      line: 1,
      state: 'ringing',
      known: true,
      remoteName: '',
      remoteNumber: '100',
      account: 0,
      active: false,
      conference: false,
      since: T0,
    });
  });

  it('shows an unknown state with its raw text and known:false', () => {
    const view = mapLine(line(2, 'unknown', { rawState: 'transferred' }), undefined, T0);
    expect(view.state).toBe('transferred');
    expect(view.known).toBe(false);
  });

  it('keeps `since` while the state stays, resets it on change', () => {
    const first = mapLine(line(1, 'connected'), undefined, T0);
    expect(mapLine(line(1, 'connected'), first, T1).since).toBe(T0);
    expect(mapLine(line(1, 'onhold'), first, T1).since).toBe(T1);
  });

  it('starts the clock again when another caller rings (or is called) between two reads, not when a number fills in', () => {
    const first = mapLine(line(1, 'ringing', { remoteNumber: '100' }), undefined, T0);
    expect(mapLine(line(1, 'ringing', { remoteNumber: '200' }), first, T1).since).toBe(T1);
    expect(mapLine(line(1, 'ringing', { remoteNumber: '100' }), first, T1).since).toBe(T0);
    const unnamed = mapLine(line(1, 'ringing'), undefined, T0);
    expect(mapLine(line(1, 'ringing', { remoteNumber: '100' }), unnamed, T1).since).toBe(T0);
    const calling = mapLine(line(1, 'calling', { remoteNumber: '300' }), undefined, T0);
    expect(mapLine(line(1, 'calling', { remoteNumber: '301' }), calling, T1).since).toBe(T1);
    // A connected call whose far end changes (a transfer went through) keeps its talk time.
    const talking = mapLine(line(1, 'connected', { remoteNumber: '400' }), undefined, T0);
    expect(mapLine(line(1, 'connected', { remoteNumber: '401' }), talking, T1).since).toBe(T0);
  });

  it('sorts lines and matches previous ones by number', () => {
    const prev = mapLines([line(1, 'idle'), line(2, 'connected')], [], T0);
    const next = mapLines([line(2, 'connected'), line(1, 'idle')], prev, T1);
    expect(next.map((l) => [l.line, l.since])).toEqual([
      [1, T0],
      [2, T0],
    ]);
  });

  it('gives back the previous lines themselves when nothing on them changed, new ones when anything did', () => {
    const prev = mapLines([line(1, 'idle'), line(2, 'connected', { remoteNumber: '201' })], [], T0);
    expect(mapLines([line(1, 'idle'), line(2, 'connected', { remoteNumber: '201' })], prev, T1)).toBe(prev);
    const caller = mapLines([line(1, 'idle'), line(2, 'connected', { remoteNumber: '202' })], prev, T1);
    expect(caller).not.toBe(prev);
    expect(caller[1]).toMatchObject({ remoteNumber: '202', since: T0 });
    const held = mapLines([line(1, 'idle'), line(2, 'onhold', { remoteNumber: '201' })], prev, T1);
    expect(held[1]).toMatchObject({ state: 'onhold', since: T1 });
    expect(mapLines([line(1, 'idle')], prev, T1)).toHaveLength(1);
    const unknown = mapLines([line(1, 'unknown', { rawState: 'parked' })], [], T0);
    expect(mapLines([line(1, 'unknown', { rawState: 'parked' })], unknown, T1)).toBe(unknown);
    expect(mapLines([line(1, 'unknown', { rawState: 'paging' })], unknown, T1)[0]?.state).toBe('paging');
  });
});

describe('deriveStatus', () => {
  const idle = mapLines([line(1, 'idle'), line(2, 'idle')], [], T0);
  it('ringing wins', () => {
    expect(deriveStatus(mapLines([line(1, 'connected'), line(2, 'ringing')], [], T0), 'busy')).toBe(
      'ringing',
    );
  });
  it('any call is busy', () => {
    expect(deriveStatus(mapLines([line(1, 'onhold')], [], T0), 'available')).toBe('busy');
    expect(deriveStatus(mapLines([line(1, 'dialing')], [], T0), 'available')).toBe('busy');
  });
  it('an unknown non-idle state counts as busy', () => {
    expect(deriveStatus(mapLines([line(1, 'unknown', { rawState: 'paging' })], [], T0), 'available')).toBe(
      'busy',
    );
  });
  it('failed lines are idle', () => {
    expect(deriveStatus(mapLines([line(1, 'failed')], [], T0), 'available')).toBe('available');
  });
  it("idle lines follow the phone's word", () => {
    expect(deriveStatus(idle, 'unavailable')).toBe('unavailable');
    expect(deriveStatus(idle, 'available')).toBe('available');
    expect(deriveStatus(idle, 'busy')).toBe('busy');
    expect(deriveStatus(idle, 'something-new')).toBe('available');
    // A ring shows on its line: "ringing" with every line idle is a ring that began between the reads.
    expect(deriveStatus(idle, 'ringing')).toBe('available');
    expect(deriveStatus([], 'ringing')).toBe('ringing');
    expect(deriveStatus([], null)).toBe('unknown');
  });
});

describe('statusForError and buildState', () => {
  it('maps error codes', () => {
    expect(statusForError('unreachable')).toBe('offline');
    expect(statusForError('timeout')).toBe('offline');
    expect(statusForError('phone_auth_failed')).toBe('unauthorized');
    expect(statusForError('auth_failed')).toBe('unauthorized');
    expect(statusForError('malformed')).toBe('unknown');
  });

  it('keeps the last lines with an error and an offline status', () => {
    const lines = mapLines([line(1, 'connected')], [], T0);
    const state = buildState({
      phoneId: 'p',
      lines,
      accounts: [],
      phoneStatus: 'busy',
      updatedAt: T0,
      error: { code: 'unreachable', message: 'x' },
    });
    expect(state.status).toBe('offline');
    expect(state.lines).toHaveLength(1);
    expect(state.error?.code).toBe('unreachable');
  });

  it('is unknown before the first read', () => {
    expect(
      buildState({ phoneId: 'p', lines: [], accounts: [], phoneStatus: null, updatedAt: null }).status,
    ).toBe('unknown');
  });

  it('ignores updatedAt when comparing', () => {
    const a = buildState({ phoneId: 'p', lines: [], accounts: [], phoneStatus: 'available', updatedAt: T0 });
    const b = { ...a, updatedAt: T1 };
    expect(visiblyDifferent(a, b)).toBe(false);
    expect(visiblyDifferent(a, { ...b, status: 'busy' })).toBe(true);
    expect(visiblyDifferent(undefined, b)).toBe(true);
  });
});

describe('atPollTime', () => {
  it('is the state with the new poll time and nothing else changed, key for key, whatever buildState sets', () => {
    const lines = mapLines([line(1, 'connected', { remoteNumber: '100' })], [], T0);
    const states = [
      buildState({ phoneId: 'p', lines, accounts: [], phoneStatus: 'busy', updatedAt: T0 }),
      buildState({ phoneId: 'p', lines, accounts: [], phoneStatus: null, updatedAt: T0, dnd: true }),
      buildState({
        phoneId: 'p',
        lines,
        accounts: [],
        phoneStatus: null,
        updatedAt: T0,
        error: { code: 'timeout', message: 'late' },
      }),
    ];
    for (const state of states) {
      const again = atPollTime(state, T1);
      expect(Object.keys(again)).toEqual(Object.keys({ ...state, updatedAt: T1 }));
      expect(again).toEqual({ ...state, updatedAt: T1 });
      expect(again.lines).toBe(state.lines);
    }
  });
});
