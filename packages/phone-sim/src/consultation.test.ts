import { describe, expect, it } from 'vitest';
import { pressKey } from './keypad.ts';
import type { ConsultHangup, PhoneEventKind, PhoneState, StepContext } from './phone-state.ts';
import {
  createPhoneState,
  farEndAnswer,
  farEndHangup,
  incomingCall,
  makeCall,
  phoneOperation,
} from './phone-state.ts';

let seq = 0;
const ctx = (): StepContext => ({ now: 9000, callId: `c${++seq}` });
const account = [{ sipServer: 'pbx', sipId: '1001', name: 'Desk', registered: true }];

/** A consult-style phone with caller 2001 connected on line 1. */
function inCall(consultHangup: ConsultHangup = 'cancel'): PhoneState {
  const fresh = createPhoneState(4, account, { flowStyle: 'consult', consultHangup });
  const ringing = incomingCall(fresh, { number: '2001', name: 'Ada' }, ctx()).state;
  return phoneOperation(ringing, 'acceptcall', undefined, ctx()).state;
}

/** Presses keys; answers the state and every event kind they caused. */
function press(state: PhoneState, ...keys: string[]): { s: PhoneState; events: PhoneEventKind[] } {
  let s = state;
  const events: PhoneEventKind[] = [];
  for (const key of keys) {
    const step = pressKey(s, key, ctx());
    s = step.state;
    events.push(...step.events.map((e) => e.kind));
  }
  return { s, events };
}

const states = (s: PhoneState) => s.lines.map((l) => l.state);

describe('consult-style transfer', () => {
  it('XFER holds the call and opens a line for the target; digits and SEND dial it', () => {
    const xfer = press(inCall(), 'XFER');
    expect(states(xfer.s)).toEqual(['onhold', 'dialing', 'idle', 'idle']);
    expect(xfer.events).toEqual(['hold', 'offhook']);
    expect(xfer.s.consult).toEqual({ kind: 'transfer', held: 1, line: 2 });
    const dialed = press(xfer.s, '2', '0', '0', 'SEND');
    expect(dialed.s.lines[1]).toMatchObject({ state: 'calling', remoteNumber: '200' });
    expect(dialed.events).toEqual(['outgoing']);
  });

  it('XFER again while the target rings is a blind transfer: both lines free, blind_transfer pushed', () => {
    const ringing = press(inCall(), 'XFER', '2', '0', '0', 'SEND').s;
    const done = press(ringing, 'XFER');
    expect(states(done.s)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(done.events[0]).toBe('blind_transfer');
    expect(done.s.transfers).toEqual([
      { line: 1, target: '200', remoteNumber: '2001', at: 9000, mode: 'blind' },
    ]);
    expect(done.s.consult).toBeNull();
  });

  it('XFER again after the target answered is an attended transfer', () => {
    const ringing = press(inCall(), 'XFER', '2', '0', '0', 'SEND').s;
    const talking = farEndAnswer(ringing, 2, ctx()).state;
    const done = press(talking, 'XFER');
    expect(states(done.s)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(done.events[0]).toBe('attended_transfer');
    expect(done.s.transfers[0]).toMatchObject({ target: '200', remoteNumber: '2001', mode: 'attended' });
  });

  it('XFER, digits, XFER hands the call over before any call to the target (blind)', () => {
    const done = press(inCall(), 'XFER', '3', '0', 'XFER');
    expect(states(done.s)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(done.s.transfers[0]).toMatchObject({ target: '30', mode: 'blind' });
  });

  it('ending the consultation line brings the held caller back (cancel), with unhold pushed', () => {
    const talking = farEndAnswer(press(inCall(), 'XFER', '2', '0', '0', 'SEND').s, 2, ctx()).state;
    const end = phoneOperation(talking, 'endcall', 2, ctx());
    expect(states(end.state)).toEqual(['connected', 'idle', 'idle', 'idle']);
    expect(end.events.map((e) => e.kind)).toEqual(['terminated', 'onhook', 'unhold']);
    expect(end.state.consult).toBeNull();
    expect(end.state.transfers).toEqual([]);
  });

  it('a busy target fails the line; hanging it up brings the caller back', () => {
    const ringing = press(inCall(), 'XFER', '2', '0', '0', 'SEND').s;
    const busy = farEndHangup(ringing, 2, ctx(), true).state;
    expect(states(busy)).toEqual(['onhold', 'failed', 'idle', 'idle']);
    expect(press(busy, 'XFER').s).toEqual(busy);
    expect(states(phoneOperation(busy, 'endcall', 2, ctx()).state)).toEqual([
      'connected',
      'idle',
      'idle',
      'idle',
    ]);
  });

  it('with consultHangup "transfer", hanging up the answered target line completes an attended transfer', () => {
    const ringing = press(inCall('transfer'), 'XFER', '2', '0', '0', 'SEND').s;
    const talking = farEndAnswer(ringing, 2, ctx()).state;
    const end = phoneOperation(talking, 'endcall', 2, ctx());
    expect(states(end.state)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(end.events.map((e) => e.kind)).toContain('attended_transfer');
    expect(end.state.transfers[0]).toMatchObject({ target: '200', mode: 'attended' });
  });

  it('the held caller hanging up ends the consultation; the target call goes on', () => {
    const talking = farEndAnswer(press(inCall(), 'XFER', '2', '0', '0', 'SEND').s, 2, ctx()).state;
    const left = farEndHangup(talking, 1, ctx()).state;
    expect(states(left)).toEqual(['idle', 'connected', 'idle', 'idle']);
    expect(left.consult).toBeNull();
    expect(press(left, 'XFER').s.consult).toMatchObject({ kind: 'transfer', held: 2 });
  });
});

describe('consult-style conference', () => {
  function added(): PhoneState {
    const ringing = press(inCall(), 'CONF', '3', '0', '0', 'SEND').s;
    return farEndAnswer(ringing, 2, ctx()).state;
  }

  it('CONF holds the call (marked conf) and opens a line; CONF again joins once the party answered', () => {
    const opened = press(inCall(), 'CONF');
    expect(states(opened.s)).toEqual(['onhold', 'dialing', 'idle', 'idle']);
    expect(opened.s.lines[0]?.conf).toBe(true);
    const ringing = press(opened.s, '3', '0', '0', 'SEND').s;
    expect(press(ringing, 'CONF').s).toEqual(ringing);
    const joined = press(farEndAnswer(ringing, 2, ctx()).state, 'CONF');
    expect(states(joined.s)).toEqual(['connected', 'connected', 'idle', 'idle']);
    expect(joined.s.lines.map((l) => l.conf)).toEqual([true, true, false, false]);
    expect(joined.events).toEqual(['unhold']);
    expect(joined.s.consult).toBeNull();
  });

  it('a party leaving leaves a plain call; ONHOOK in a conference ends every party', () => {
    const joined = press(added(), 'CONF').s;
    const dropped = phoneOperation(joined, 'endcall', 2, ctx()).state;
    expect(states(dropped)).toEqual(['connected', 'idle', 'idle', 'idle']);
    expect(dropped.lines[0]?.conf).toBe(false);
    expect(dropped.conference).toBe(false);
    const ended = press(joined, 'ONHOOK').s;
    expect(states(ended)).toEqual(['idle', 'idle', 'idle', 'idle']);
  });

  it('ending the added line before joining brings the caller back unmarked', () => {
    const back = phoneOperation(added(), 'endcall', 2, ctx()).state;
    expect(states(back)).toEqual(['connected', 'idle', 'idle', 'idle']);
    expect(back.lines[0]?.conf).toBe(false);
  });
});

describe('instant-style firmware', () => {
  const inInstantCall = (): PhoneState => {
    const ringing = incomingCall(createPhoneState(4, account), { number: '2001' }, ctx()).state;
    return phoneOperation(ringing, 'acceptcall', undefined, ctx()).state;
  };

  it('XFER pressed twice leaves transfer mode; CONF pressed twice takes the mark off', () => {
    const xfer = press(inInstantCall(), 'XFER', 'XFER').s;
    expect(xfer.xfer).toBeNull();
    expect(states(xfer)).toEqual(['connected', 'idle', 'idle', 'idle']);
    const conf = press(inInstantCall(), 'CONF', 'CONF').s;
    expect(conf.lines[0]?.conf).toBe(false);
  });

  it('a plain outgoing call is untouched by the consult machinery', () => {
    const s = makeCall(createPhoneState(2, account), '100', undefined, ctx()).state;
    expect(s.consult).toBeNull();
  });
});
