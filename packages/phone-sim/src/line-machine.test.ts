import { describe, expect, it } from 'vitest';
import type { Line, LineEvent, LineState } from './line-machine.ts';
import { idleLine, stepLine } from './line-machine.ts';

const NOW = 100_000;

function lineIn(state: LineState, extra: Partial<Line> = {}): Line {
  return {
    ...idleLine(2),
    state,
    account: state === 'idle' ? -1 : 0,
    remoteName: state === 'idle' ? '' : 'Ada',
    remoteNumber: state === 'idle' ? '' : '2001',
    direction: state === 'idle' ? '' : 'incoming',
    callId: state === 'idle' ? '' : 'c1',
    connectedAt: state === 'connected' || state === 'onhold' ? NOW - 42_000 : 0,
    ...extra,
  };
}

const incoming: LineEvent = { type: 'incoming', number: '2001', name: 'Ada', account: 1, callId: 'c9' };
const makeCall: LineEvent = { type: 'make-call', number: '3501', account: 0, callId: 'c8' };

/** [from, event, to, effects] for every transition the machine allows. */
const ALLOWED: [LineState, LineEvent, LineState, string[]][] = [
  ['idle', incoming, 'ringing', ['incoming']],
  ['idle', makeCall, 'calling', ['offhook', 'outgoing']],
  ['idle', { type: 'offhook', account: 0 }, 'dialing', ['offhook']],
  ['ringing', { type: 'accept' }, 'connected', ['offhook', 'established']],
  ['ringing', { type: 'reject' }, 'idle', ['terminated']],
  ['ringing', { type: 'cancel' }, 'idle', ['terminated']],
  ['ringing', { type: 'far-end-hangup' }, 'idle', ['missed']],
  ['ringing', { type: 'far-end-busy' }, 'idle', ['missed']],
  ['dialing', makeCall, 'calling', ['outgoing']],
  ['dialing', { type: 'digit', digit: '5' }, 'dialing', []],
  ['dialing', { type: 'cancel' }, 'idle', ['onhook']],
  ['dialing', { type: 'end' }, 'idle', ['onhook']],
  ['calling', { type: 'far-end-answer' }, 'connected', ['established']],
  ['calling', { type: 'far-end-busy' }, 'failed', ['terminated']],
  ['calling', { type: 'far-end-hangup' }, 'failed', ['terminated']],
  ['calling', { type: 'cancel' }, 'idle', ['terminated', 'onhook']],
  ['calling', { type: 'end' }, 'idle', ['terminated', 'onhook']],
  ['connected', { type: 'hold' }, 'onhold', ['hold']],
  ['connected', { type: 'hold-toggle' }, 'onhold', ['hold']],
  ['connected', { type: 'digit', digit: '#' }, 'connected', []],
  ['connected', { type: 'conference' }, 'connected', []],
  ['connected', { type: 'end' }, 'idle', ['terminated', 'onhook']],
  ['connected', { type: 'far-end-hangup' }, 'idle', ['terminated', 'onhook']],
  ['connected', { type: 'transfer' }, 'idle', ['terminated', 'onhook']],
  ['onhold', { type: 'unhold' }, 'connected', ['unhold']],
  ['onhold', { type: 'hold-toggle' }, 'connected', ['unhold']],
  ['onhold', { type: 'end' }, 'idle', ['terminated', 'onhook']],
  ['onhold', { type: 'far-end-hangup' }, 'idle', ['terminated', 'onhook']],
  ['onhold', { type: 'transfer' }, 'idle', ['terminated', 'onhook']],
  ['failed', { type: 'end' }, 'idle', ['onhook']],
  ['failed', { type: 'cancel' }, 'idle', ['onhook']],
];

const STATES: LineState[] = ['idle', 'ringing', 'dialing', 'calling', 'connected', 'onhold', 'failed'];
const EVENTS: LineEvent[] = [
  incoming,
  makeCall,
  { type: 'offhook', account: 0 },
  { type: 'accept' },
  { type: 'reject' },
  { type: 'cancel' },
  { type: 'end' },
  { type: 'hold' },
  { type: 'unhold' },
  { type: 'hold-toggle' },
  { type: 'far-end-answer' },
  { type: 'far-end-hangup' },
  { type: 'far-end-busy' },
  { type: 'digit', digit: '1' },
  { type: 'conference' },
  { type: 'transfer' },
];

describe('line machine', () => {
  it.each(ALLOWED)('%s + %o -> %s', (from, event, to, effects) => {
    const step = stepLine(lineIn(from), event, NOW);
    expect(step.ok).toBe(true);
    expect(step.line.state).toBe(to);
    expect(step.effects.map((e) => e.kind)).toEqual(effects);
  });

  it('refuses every other state/event pair and leaves the line untouched', () => {
    const allowed = new Set(ALLOWED.map(([s, e]) => `${s}:${e.type}`));
    let refusals = 0;
    for (const state of STATES) {
      for (const event of EVENTS) {
        if (allowed.has(`${state}:${event.type}`)) continue;
        const line = lineIn(state);
        const step = stepLine(line, event, NOW);
        expect(step, `${state} + ${event.type}`).toEqual({ ok: false, line, effects: [] });
        refusals++;
      }
    }
    expect(refusals).toBe(STATES.length * EVENTS.length - ALLOWED.length);
  });

  it('fills the caller on incoming and the number on make-call', () => {
    const ringing = stepLine(idleLine(3), incoming, NOW).line;
    expect(ringing).toMatchObject({
      index: 3,
      remoteName: 'Ada',
      remoteNumber: '2001',
      account: 1,
      direction: 'incoming',
      callId: 'c9',
    });
    const calling = stepLine(idleLine(1), makeCall, NOW).line;
    expect(calling).toMatchObject({ remoteNumber: '3501', direction: 'outgoing', callId: 'c8', account: 0 });
  });

  it('stamps the connection time and reports the duration on terminated', () => {
    const connected = stepLine(lineIn('ringing'), { type: 'accept' }, NOW).line;
    expect(connected.connectedAt).toBe(NOW);
    const ended = stepLine(connected, { type: 'end' }, NOW + 61_400);
    expect(ended.effects[0]).toMatchObject({ kind: 'terminated', duration: 61 });
    expect(ended.effects[0]?.call.remoteNumber).toBe('2001');
    expect(ended.line).toEqual({ ...idleLine(2), dtmf: '' });
  });

  it('records DTMF during a call and keeps it after the call ends', () => {
    let line = lineIn('connected');
    for (const digit of ['1', '2', '#']) line = stepLine(line, { type: 'digit', digit }, NOW).line;
    expect(line.dtmf).toBe('12#');
    const idle = stepLine(line, { type: 'end' }, NOW).line;
    expect(idle.state).toBe('idle');
    expect(idle.dtmf).toBe('12#');
    expect(stepLine(idle, incoming, NOW).line.dtmf).toBe('');
  });

  it('marks a conference', () => {
    expect(stepLine(lineIn('connected'), { type: 'conference' }, NOW).line.conf).toBe(true);
  });

  it('keeps the call on the failed line until hung up', () => {
    const failed = stepLine(lineIn('calling'), { type: 'far-end-busy' }, NOW).line;
    expect(failed).toMatchObject({ state: 'failed', remoteNumber: '2001' });
  });

  it('reports duration 0 for calls never established', () => {
    const step = stepLine(lineIn('ringing'), { type: 'far-end-hangup' }, NOW);
    expect(step.effects[0]?.duration).toBe(0);
  });
});
