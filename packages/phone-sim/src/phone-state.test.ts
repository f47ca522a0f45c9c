import { describe, expect, it } from 'vitest';
import type { Account, PhoneState, PhoneStep, StepContext } from './phone-state.ts';
import {
  createPhoneState,
  farEndAnswer,
  farEndHangup,
  incomingCall,
  makeCall,
  phoneOperation,
  phoneStatus,
  setRegistered,
} from './phone-state.ts';

const ACCOUNT: Account = { sipServer: 'pbx', sipId: '1001', name: 'Desk', registered: true };
let seq = 0;
const ctx = (now = 1000): StepContext => ({ now, callId: `c${++seq}` });

function fresh(lines = 3, accounts: Account[] = [ACCOUNT]): PhoneState {
  return createPhoneState(lines, accounts);
}

function ok(step: PhoneStep): PhoneState {
  expect(step.ok, step.reason).toBe(true);
  return step.state;
}

const states = (s: PhoneState) => s.lines.map((l) => l.state);
const kinds = (step: PhoneStep) => step.events.map((e) => e.kind);

describe('incoming calls', () => {
  it('ring the first idle line', () => {
    let s = ok(incomingCall(fresh(), { number: '2001', name: 'Ada' }, ctx()));
    s = ok(incomingCall(s, { number: '2002' }, ctx()));
    expect(states(s)).toEqual(['ringing', 'ringing', 'idle']);
    expect(s.lines[1]?.remoteNumber).toBe('2002');
  });

  it('are refused as busy (a missed call) under DND', () => {
    const step = incomingCall({ ...fresh(), dnd: true }, { number: '2001', name: 'Ada' }, ctx());
    expect(step.ok).toBe(false);
    expect(step.reason).toBe('dnd');
    expect(kinds(step)).toEqual(['missed']);
    expect(step.events[0]?.call?.remoteName).toBe('Ada');
    expect(states(step.state)).toEqual(['idle', 'idle', 'idle']);
  });

  it('are refused as busy when every line is in use', () => {
    let s = fresh(2);
    s = ok(incomingCall(s, { number: '1' }, ctx()));
    s = ok(incomingCall(s, { number: '2' }, ctx()));
    const step = incomingCall(s, { number: '3' }, ctx());
    expect(step).toMatchObject({ ok: false, reason: 'busy' });
    expect(kinds(step)).toEqual(['missed']);
  });

  it('are refused without a registered account', () => {
    const step = incomingCall(fresh(3, [{ ...ACCOUNT, registered: false }]), { number: '1' }, ctx());
    expect(step).toMatchObject({ ok: false, reason: 'unregistered', events: [] });
  });
});

describe('phone operations', () => {
  it('acceptcall answers the ringing line, rejectcall refuses it', () => {
    const ringing = ok(incomingCall(fresh(), { number: '2001' }, ctx()));
    expect(states(ok(phoneOperation(ringing, 'acceptcall', undefined, ctx())))).toEqual([
      'connected',
      'idle',
      'idle',
    ]);
    const rejected = phoneOperation(ringing, 'rejectcall', undefined, ctx());
    expect(states(ok(rejected))).toEqual(['idle', 'idle', 'idle']);
  });

  it('accepting a second call puts the first on hold and selects the new line', () => {
    let s = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    s = ok(phoneOperation(s, 'acceptcall', undefined, ctx()));
    s = ok(incomingCall(s, { number: '2' }, ctx()));
    const step = phoneOperation(s, 'acceptcall', undefined, ctx());
    expect(states(ok(step))).toEqual(['onhold', 'connected', 'idle']);
    expect(step.state.selected).toBe(2);
    expect(kinds(step)).toEqual(['hold', 'offhook', 'established']);
  });

  it('holdcall toggles, unhold resumes, endcall hangs up', () => {
    let s = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    s = ok(phoneOperation(s, 'acceptcall', undefined, ctx()));
    s = ok(phoneOperation(s, 'holdcall', undefined, ctx()));
    expect(s.lines[0]?.state).toBe('onhold');
    s = ok(phoneOperation(s, 'holdcall', undefined, ctx()));
    expect(s.lines[0]?.state).toBe('connected');
    expect(phoneOperation(s, 'unhold', undefined, ctx()).ok).toBe(false);
    s = ok(phoneOperation(s, 'holdcall', undefined, ctx()));
    s = ok(phoneOperation(s, 'unhold', undefined, ctx()));
    expect(s.lines[0]?.state).toBe('connected');
    s = ok(phoneOperation(s, 'endcall', undefined, ctx()));
    expect(states(s)).toEqual(['idle', 'idle', 'idle']);
  });

  it('cancel cancels ringing, dialing and calling but not an established call', () => {
    const ringing = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    expect(states(ok(phoneOperation(ringing, 'cancel', undefined, ctx())))[0]).toBe('idle');
    const calling = ok(makeCall(fresh(), '3501', undefined, ctx()));
    expect(states(ok(phoneOperation(calling, 'cancel', undefined, ctx())))[0]).toBe('idle');
    const connected = ok(farEndAnswer(calling, undefined, ctx()));
    expect(phoneOperation(connected, 'cancel', undefined, ctx())).toMatchObject({ ok: false });
  });

  it('arg aims at one line only', () => {
    let s = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    s = ok(incomingCall(s, { number: '2' }, ctx()));
    s = ok(phoneOperation(s, 'acceptcall', 2, ctx()));
    expect(states(s)).toEqual(['ringing', 'connected', 'idle']);
    expect(phoneOperation(s, 'endcall', 3, ctx())).toMatchObject({ ok: false });
    expect(phoneOperation(s, 'endcall', 9, ctx())).toMatchObject({ ok: false, reason: 'no such line' });
  });

  it('operations with nothing to act on are not accepted', () => {
    for (const cmd of ['endcall', 'holdcall', 'acceptcall', 'rejectcall', 'cancel', 'unhold'] as const) {
      expect(phoneOperation(fresh(), cmd, undefined, ctx()).ok, cmd).toBe(false);
    }
  });
});

describe('make call', () => {
  it('starts calling on the first idle line with the first registered account', () => {
    const s = fresh(3, [
      { ...ACCOUNT, registered: false },
      { ...ACCOUNT, sipId: '1002' },
    ]);
    const step = makeCall(s, '+4930123', undefined, ctx());
    expect(states(ok(step))).toEqual(['calling', 'idle', 'idle']);
    expect(step.state.lines[0]).toMatchObject({
      account: 1,
      remoteNumber: '+4930123',
      direction: 'outgoing',
    });
    expect(kinds(step)).toEqual(['offhook', 'outgoing']);
  });

  it('refuses a locked keypad, a bad number, an unusable account and a full phone', () => {
    expect(makeCall({ ...fresh(), locked: true }, '1', undefined, ctx()).reason).toBe('locked');
    expect(makeCall(fresh(), '', undefined, ctx()).reason).toBe('invalid number');
    expect(makeCall(fresh(), '12 34', undefined, ctx()).reason).toBe('invalid number');
    expect(makeCall(fresh(), '1', 3, ctx()).reason).toBe('no account');
    const unregistered = fresh(3, [{ ...ACCOUNT, registered: false }]);
    expect(makeCall(unregistered, '1', undefined, ctx()).reason).toBe('no account');
    let full = fresh(1);
    full = ok(makeCall(full, '1', undefined, ctx()));
    expect(makeCall(full, '2', undefined, ctx()).reason).toBe('no idle line');
  });

  it('the far end answers, or is busy and the line fails until hung up', () => {
    const calling = ok(makeCall(fresh(), '3501', undefined, ctx()));
    expect(states(ok(farEndAnswer(calling, undefined, ctx())))[0]).toBe('connected');
    const failed = ok(farEndHangup(calling, undefined, ctx(), true));
    expect(failed.lines[0]?.state).toBe('failed');
    expect(states(ok(phoneOperation(failed, 'endcall', undefined, ctx())))[0]).toBe('idle');
    expect(farEndAnswer(fresh(), undefined, ctx())).toMatchObject({ ok: false });
  });
});

describe('far end hangup', () => {
  it('a ringing caller giving up is a missed call; an established call terminates', () => {
    const ringing = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    expect(kinds(farEndHangup(ringing, undefined, ctx()))).toEqual(['missed']);
    const connected = ok(phoneOperation(ringing, 'acceptcall', undefined, ctx()));
    expect(kinds(farEndHangup(connected, 1, ctx()))).toEqual(['terminated', 'onhook']);
    expect(farEndHangup(fresh(), undefined, ctx())).toMatchObject({ ok: false, reason: 'no call' });
  });
});

describe('phone status', () => {
  it('is derived: ringing, busy, unavailable, available', () => {
    expect(phoneStatus(fresh())).toBe('available');
    expect(phoneStatus(fresh(2, [{ ...ACCOUNT, registered: false }]))).toBe('unavailable');
    const ringing = ok(incomingCall(fresh(), { number: '1' }, ctx()));
    expect(phoneStatus(ringing)).toBe('ringing');
    expect(phoneStatus(ok(phoneOperation(ringing, 'acceptcall', undefined, ctx())))).toBe('busy');
    expect(phoneStatus(ok(makeCall(fresh(), '1', undefined, ctx())))).toBe('busy');
  });
});

describe('registration', () => {
  it('announces changes only', () => {
    const step = setRegistered(fresh(), 0, false);
    expect(kinds(step)).toEqual(['unregistered']);
    expect(phoneStatus(step.state)).toBe('unavailable');
    expect(kinds(setRegistered(step.state, 0, true))).toEqual(['registered']);
    expect(setRegistered(fresh(), 0, true).events).toEqual([]);
    expect(setRegistered(fresh(), 5, true).ok).toBe(false);
  });
});
