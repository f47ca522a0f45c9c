import { describe, expect, it } from 'vitest';
import { pressKey } from './keypad.ts';
import type { PhoneState, StepContext } from './phone-state.ts';
import { createPhoneState, farEndAnswer, incomingCall, MAX_VOLUME, makeCall } from './phone-state.ts';

let seq = 0;
const ctx = (): StepContext => ({ now: 5000, callId: `k${++seq}` });
const fresh = (): PhoneState =>
  createPhoneState(4, [{ sipServer: 'pbx', sipId: '1001', name: 'Desk', registered: true }]);

function press(state: PhoneState, ...keys: string[]): PhoneState {
  let s = state;
  for (const key of keys) {
    const step = pressKey(s, key, ctx());
    expect(step.ok).toBe(true);
    s = step.state;
  }
  return s;
}

function connected(): PhoneState {
  const calling = makeCall(fresh(), '3501', undefined, ctx()).state;
  return farEndAnswer(calling, undefined, ctx()).state;
}

describe('keypad', () => {
  it('digits while idle open dialing and fill the dial buffer; SEND dials it', () => {
    let s = press(fresh(), '1', '0', 'STAR', '#');
    expect(s.lines[0]?.state).toBe('dialing');
    expect(s.dialBuffer).toBe('10*#');
    s = press(s, 'SEND');
    expect(s.lines[0]).toMatchObject({ state: 'calling', remoteNumber: '10*#' });
    expect(s.dialBuffer).toBe('');
  });

  it('SEND with nothing dialed does nothing', () => {
    expect(press(fresh(), 'SEND')).toEqual(fresh());
  });

  it('digits during a call are DTMF, recorded on the line', () => {
    const s = press(connected(), '4', '2', '#');
    expect(s.lines[0]?.dtmf).toBe('42#');
    expect(s.dialBuffer).toBe('');
  });

  it('XFER + digits + SEND transfers the call: line idle, transfer recorded', () => {
    let s = press(connected(), 'XFER', '2', '0', '0');
    expect(s.xfer).toEqual({ line: 1, digits: '200' });
    s = press(s, 'SEND');
    expect(s.lines[0]?.state).toBe('idle');
    expect(s.xfer).toBeNull();
    expect(s.transfers).toEqual([{ line: 1, target: '200', remoteNumber: '3501', at: 5000 }]);
  });

  it('XFER needs a call', () => {
    expect(press(fresh(), 'XFER').xfer).toBeNull();
  });

  it('CONF marks the conference', () => {
    const s = press(connected(), 'CONF');
    expect(s.conference).toBe(true);
    expect(s.lines[0]?.conf).toBe(true);
    expect(press(fresh(), 'CONF').conference).toBe(false);
  });

  it('HOLD toggles hold on the call', () => {
    const held = press(connected(), 'HOLD');
    expect(held.lines[0]?.state).toBe('onhold');
    expect(press(held, 'HOLD').lines[0]?.state).toBe('connected');
  });

  it('OFFHOOK answers a ringing call, ONHOOK ends it', () => {
    const ringing = incomingCall(fresh(), { number: '2001' }, ctx()).state;
    const answered = press(ringing, 'OFFHOOK');
    expect(answered.lines[0]?.state).toBe('connected');
    expect(press(answered, 'ONHOOK').lines[0]?.state).toBe('idle');
  });

  it('ONHOOK rejects a ringing call; OFFHOOK while idle opens dialing', () => {
    const ringing = incomingCall(fresh(), { number: '2001' }, ctx()).state;
    expect(press(ringing, 'ONHOOK').lines[0]?.state).toBe('idle');
    expect(press(fresh(), 'OFFHOOK').lines[0]?.state).toBe('dialing');
  });

  it('LINEn selects a line, answers it when ringing, resumes it when held', () => {
    expect(press(fresh(), 'LINE3').selected).toBe(3);
    expect(press(fresh(), 'LINE9').selected).toBe(1);
    let s = incomingCall(connected(), { number: '2001' }, ctx()).state;
    s = press(s, 'LINE2');
    expect(s.lines.map((l) => l.state)).toEqual(['onhold', 'connected', 'idle', 'idle']);
    s = press(s, 'LINE1');
    expect(s.lines.map((l) => l.state)).toEqual(['connected', 'onhold', 'idle', 'idle']);
    expect(s.selected).toBe(1);
  });

  it('VUP/VDOWN move the volume within 0..7', () => {
    let s = fresh();
    for (let i = 0; i < 10; i++) s = press(s, 'VUP');
    expect(s.volume).toBe(MAX_VOLUME);
    for (let i = 0; i < 10; i++) s = press(s, 'VDOWN');
    expect(s.volume).toBe(0);
  });

  it('MUTE, SPEAKER, HEADSET toggle', () => {
    const on = press(fresh(), 'MUTE', 'SPEAKER', 'HEADSET');
    expect([on.muted, on.speaker, on.headset]).toEqual([true, true, true]);
    const off = press(on, 'MUTE', 'SPEAKER', 'HEADSET');
    expect([off.muted, off.speaker, off.headset]).toEqual([false, false, false]);
  });

  it('DND toggles and announces dnd_on/dnd_off', () => {
    const on = pressKey(fresh(), 'DND', ctx());
    expect(on.state.dnd).toBe(true);
    expect(on.events.map((e) => e.kind)).toEqual(['dnd_on']);
    expect(pressKey(on.state, 'DND', ctx()).events.map((e) => e.kind)).toEqual(['dnd_off']);
  });

  it('LOCK ignores keys except UNLOCK and hook keys', () => {
    let s = press(fresh(), 'LOCK', '1', 'VUP', 'DND');
    expect(s).toMatchObject({ locked: true, dialBuffer: '', volume: 4, dnd: false });
    expect(s.lines[0]?.state).toBe('idle');
    s = incomingCall(s, { number: '2001' }, ctx()).state;
    expect(press(s, 'OFFHOOK').lines[0]?.state).toBe('connected');
    s = press(s, 'UNLOCK', 'VUP');
    expect(s).toMatchObject({ locked: false, volume: 5 });
  });

  it('menu keys are taken without effect', () => {
    for (const key of ['VM', 'SOFT1', 'MPK3', 'OK', 'UP', 'DOWN', 'LEFT', 'RIGHT']) {
      expect(pressKey(fresh(), key, ctx())).toMatchObject({ ok: true, state: fresh(), events: [] });
    }
  });
});
