/**
 * The call state machine of one line key, as pure functions: a line and an event in, the new line and the
 * call events it caused out. No clocks, no I/O: the caller passes `now`, which keeps every transition
 * testable and lets the phone turn effects into Action URL requests at its edge.
 * States are the ones GRP26xx firmware reports (shared/docs/cti-field-notes.md, "Line state values seen").
 */
import type { KnownLineState } from '../../cti/src/protocol.ts';

export type LineState = KnownLineState;
export type CallDirection = 'incoming' | 'outgoing' | '';

/** What a call event needs to describe the call; a Line is one, a refused call builds one by hand. */
export interface CallInfo {
  readonly index: number;
  readonly account: number;
  readonly remoteName: string;
  readonly remoteNumber: string;
  readonly direction: CallDirection;
  readonly callId: string;
}

/** One line key and the call on it. Immutable: every transition returns a new object. */
export interface Line extends CallInfo {
  readonly state: LineState;
  /** When the current call was established (ms), 0 before; gives `$duration`. */
  readonly connectedAt: number;
  /** In a conference started with CONF. */
  readonly conf: boolean;
  /** DTMF digits sent during the current (or last) call on this line. */
  readonly dtmf: string;
}

export type LineEvent =
  | { type: 'incoming'; number: string; name: string; account: number; callId: string }
  | { type: 'make-call'; number: string; account: number; callId: string }
  | { type: 'offhook'; account: number }
  | { type: 'accept' }
  | { type: 'reject' }
  | { type: 'cancel' }
  | { type: 'end' }
  | { type: 'hold' }
  | { type: 'unhold' }
  | { type: 'hold-toggle' }
  | { type: 'far-end-answer' }
  | { type: 'far-end-hangup' }
  | { type: 'far-end-busy' }
  | { type: 'digit'; digit: string }
  | { type: 'conference' }
  | { type: 'transfer' };

/** Call events, named as the Action URL events they trigger (field notes, "Push: Action URL"). */
export type CallEventKind =
  | 'incoming'
  | 'outgoing'
  | 'established'
  | 'terminated'
  | 'missed'
  | 'offhook'
  | 'onhook'
  | 'hold'
  | 'unhold';

export interface LineEffect {
  readonly kind: CallEventKind;
  readonly call: CallInfo;
  /** Seconds the call was established, for `$duration`; 0 when it never was. */
  readonly duration: number;
}

/** `ok: false` means the event does not apply in this state: the phone answers "not accepted". */
export interface LineStep {
  readonly ok: boolean;
  readonly line: Line;
  readonly effects: readonly LineEffect[];
}

export function idleLine(index: number, dtmf = ''): Line {
  return {
    index,
    state: 'idle',
    account: -1,
    remoteName: '',
    remoteNumber: '',
    direction: '',
    callId: '',
    connectedAt: 0,
    conf: false,
    dtmf,
  };
}

function durationOf(line: Line, now: number): number {
  return line.connectedAt > 0 ? Math.max(0, Math.round((now - line.connectedAt) / 1000)) : 0;
}

function effect(kind: CallEventKind, call: Line, now: number): LineEffect {
  return { kind, call, duration: durationOf(call, now) };
}

function refused(line: Line): LineStep {
  return { ok: false, line, effects: [] };
}

/** Back to idle, keeping the DTMF log of the call that just ended for inspection. */
function toIdle(line: Line, now: number, ...kinds: CallEventKind[]): LineStep {
  return { ok: true, line: idleLine(line.index, line.dtmf), effects: kinds.map((k) => effect(k, line, now)) };
}

function newCall(line: Line, state: LineState, fields: Partial<Line>): Line {
  return { ...idleLine(line.index), state, ...fields };
}

export function stepLine(line: Line, event: LineEvent, now: number): LineStep {
  switch (line.state) {
    case 'idle':
      return fromIdle(line, event, now);
    case 'ringing':
      return fromRinging(line, event, now);
    case 'dialing':
      return fromDialing(line, event, now);
    case 'calling':
      return fromCalling(line, event, now);
    case 'connected':
      return fromConnected(line, event, now);
    case 'onhold':
      return fromOnhold(line, event, now);
    case 'failed':
      return event.type === 'end' || event.type === 'cancel' ? toIdle(line, now, 'onhook') : refused(line);
  }
}

function fromIdle(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'incoming': {
      const next = newCall(line, 'ringing', {
        account: event.account,
        remoteName: event.name,
        remoteNumber: event.number,
        direction: 'incoming',
        callId: event.callId,
      });
      return { ok: true, line: next, effects: [effect('incoming', next, now)] };
    }
    case 'make-call': {
      const next = newCall(line, 'calling', {
        account: event.account,
        remoteNumber: event.number,
        direction: 'outgoing',
        callId: event.callId,
      });
      return { ok: true, line: next, effects: [effect('offhook', next, now), effect('outgoing', next, now)] };
    }
    case 'offhook': {
      const next = newCall(line, 'dialing', { account: event.account, direction: 'outgoing' });
      return { ok: true, line: next, effects: [effect('offhook', next, now)] };
    }
    default:
      return refused(line);
  }
}

function fromRinging(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'accept': {
      const next: Line = { ...line, state: 'connected', connectedAt: now };
      return {
        ok: true,
        line: next,
        effects: [effect('offhook', next, now), effect('established', next, now)],
      };
    }
    case 'reject':
    case 'cancel':
      return toIdle(line, now, 'terminated');
    // The caller gave up before anyone answered.
    case 'far-end-hangup':
    case 'far-end-busy':
      return toIdle(line, now, 'missed');
    default:
      return refused(line);
  }
}

function fromDialing(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'make-call': {
      const next: Line = { ...line, state: 'calling', remoteNumber: event.number, callId: event.callId };
      return { ok: true, line: next, effects: [effect('outgoing', next, now)] };
    }
    // Digits while dialing go to the phone's dial buffer, not to the line.
    case 'digit':
      return { ok: true, line, effects: [] };
    case 'cancel':
    case 'end':
      return toIdle(line, now, 'onhook');
    default:
      return refused(line);
  }
}

function fromCalling(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'far-end-answer': {
      const next: Line = { ...line, state: 'connected', connectedAt: now };
      return { ok: true, line: next, effects: [effect('established', next, now)] };
    }
    // Busy or declined: the phone shows the failure until the user hangs up.
    case 'far-end-busy':
    case 'far-end-hangup':
      return { ok: true, line: { ...line, state: 'failed' }, effects: [effect('terminated', line, now)] };
    case 'cancel':
    case 'end':
      return toIdle(line, now, 'terminated', 'onhook');
    default:
      return refused(line);
  }
}

function fromConnected(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'hold':
    case 'hold-toggle': {
      const next: Line = { ...line, state: 'onhold' };
      return { ok: true, line: next, effects: [effect('hold', next, now)] };
    }
    case 'digit':
      return { ok: true, line: { ...line, dtmf: line.dtmf + event.digit }, effects: [] };
    case 'conference':
      return { ok: true, line: { ...line, conf: true }, effects: [] };
    case 'end':
    case 'far-end-hangup':
    case 'transfer':
      return toIdle(line, now, 'terminated', 'onhook');
    default:
      return refused(line);
  }
}

function fromOnhold(line: Line, event: LineEvent, now: number): LineStep {
  switch (event.type) {
    case 'unhold':
    case 'hold-toggle': {
      const next: Line = { ...line, state: 'connected' };
      return { ok: true, line: next, effects: [effect('unhold', next, now)] };
    }
    case 'end':
    case 'far-end-hangup':
    case 'transfer':
      return toIdle(line, now, 'terminated', 'onhook');
    default:
      return refused(line);
  }
}
