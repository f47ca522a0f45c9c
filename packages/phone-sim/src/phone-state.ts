/**
 * Phone-wide pure logic on top of the per-line machine: which line an incoming call rings, which line a
 * command aims at, the keypad (dial buffer, DTMF, transfer, conference, line keys, volume, toggles) and the
 * derived phone status. Every function returns a new state plus the events to announce; the phone
 * (phone.ts) stores the state and sends the Action URLs.
 */
import type { ForwardMode, PhoneOperation, PhoneStatusValue } from '../../cti/src/protocol.ts';
import { isValidPhoneNumber } from '../../cti/src/protocol.ts';
import { settleConsultation } from './consultation.ts';
import type { CallEventKind, CallInfo, Line, LineEvent, LineState } from './line-machine.ts';
import { idleLine, stepLine } from './line-machine.ts';

export interface Account {
  readonly sipServer: string;
  readonly sipId: string;
  readonly name: string;
  readonly registered: boolean;
}

export interface Transfer {
  readonly line: number;
  readonly target: string;
  readonly remoteNumber: string;
  readonly at: number;
  /** Consult-style firmware only: blind (handed over before the target answered) or attended. */
  readonly mode?: 'blind' | 'attended';
}

/**
 * How XFER and CONF behave, which is uncertain between firmware: `instant` (XFER, digits, SEND hands the
 * call over at once; CONF only marks the call for a conference) or `consult` (XFER or CONF holds the call
 * and opens a line for the target; XFER again transfers, CONF again joins: consultation.ts).
 */
export const FLOW_STYLES = ['instant', 'consult'] as const;
export type FlowStyle = (typeof FLOW_STYLES)[number];
/** Hanging up the consultation line: `cancel` (the held caller is back) or `transfer` (completes it). */
export const CONSULT_HANGUPS = ['cancel', 'transfer'] as const;
export type ConsultHangup = (typeof CONSULT_HANGUPS)[number];

export interface FlowBehaviour {
  readonly flowStyle: FlowStyle;
  readonly consultHangup: ConsultHangup;
}

export const DEFAULT_BEHAVIOUR: FlowBehaviour = { flowStyle: 'instant', consultHangup: 'cancel' };

/** A call held while the phone calls a transfer target or a party to add (consultation.ts). */
export interface Consultation {
  readonly kind: 'transfer' | 'conference';
  /** The held caller's line. */
  readonly held: number;
  /** The line opened for the target. */
  readonly line: number;
}

/** Call forward as the phone keeps it: the active condition and a target per condition. */
export interface ForwardState {
  readonly mode: ForwardMode;
  readonly always: string;
  readonly busy: string;
  readonly noanswer: string;
}

export const FORWARD_OFF: ForwardState = { mode: 'off', always: '', busy: '', noanswer: '' };

export interface PhoneState {
  readonly lines: readonly Line[];
  /** 1-based line the phone's screen shows; keys act on it. */
  readonly selected: number;
  readonly accounts: readonly Account[];
  readonly dnd: boolean;
  readonly forward: ForwardState;
  readonly locked: boolean;
  readonly muted: boolean;
  readonly speaker: boolean;
  readonly headset: boolean;
  /** 0..7, as the handset's volume bar. */
  readonly volume: number;
  readonly dialBuffer: string;
  /** XFER pressed on `line`; digits collect the target until SEND. */
  readonly xfer: { readonly line: number; readonly digits: string } | null;
  readonly transfers: readonly Transfer[];
  readonly conference: boolean;
  readonly behaviour: FlowBehaviour;
  readonly consult: Consultation | null;
}

export type PhoneEventKind =
  | CallEventKind
  | 'dnd_on'
  | 'dnd_off'
  | 'forward_on'
  | 'forward_off'
  | 'blind_transfer'
  | 'attended_transfer'
  | 'registered'
  | 'unregistered';

export interface PhoneEvent {
  readonly kind: PhoneEventKind;
  readonly call?: CallInfo;
  readonly duration: number;
  /** 0-based account for registration events. */
  readonly account?: number;
}

export interface PhoneStep {
  readonly state: PhoneState;
  readonly ok: boolean;
  /** 1-based line the step acted on. */
  readonly line?: number;
  readonly events: readonly PhoneEvent[];
  /** Why a step was refused, for the control API and tests. */
  readonly reason?: string;
}

/** Time and the id a new call would get; passed in to keep these functions pure. */
export interface StepContext {
  readonly now: number;
  readonly callId: string;
}

export const MAX_VOLUME = 7;
export const DEFAULT_VOLUME = 4;

export function createPhoneState(
  lineCount: number,
  accounts: readonly Account[],
  behaviour: FlowBehaviour = DEFAULT_BEHAVIOUR,
): PhoneState {
  return {
    lines: Array.from({ length: lineCount }, (_, i) => idleLine(i + 1)),
    selected: 1,
    accounts,
    dnd: false,
    forward: FORWARD_OFF,
    locked: false,
    muted: false,
    speaker: false,
    headset: false,
    volume: DEFAULT_VOLUME,
    dialBuffer: '',
    xfer: null,
    transfers: [],
    conference: false,
    behaviour,
    consult: null,
  };
}

/** Derived as the phone does: a ringing line wins, then any call, then registration. */
export function phoneStatus(state: PhoneState): PhoneStatusValue {
  if (state.lines.some((l) => l.state === 'ringing')) return 'ringing';
  if (state.lines.some((l) => l.state !== 'idle')) return 'busy';
  if (!state.accounts.some((a) => a.registered)) return 'unavailable';
  return 'available';
}

function same(state: PhoneState, reason: string): PhoneStep {
  return { state, ok: false, events: [], reason };
}

function lineAt(state: PhoneState, index: number): Line | undefined {
  return state.lines[index - 1];
}

function firstRegistered(state: PhoneState): number {
  return state.accounts.findIndex((a) => a.registered);
}

function firstIdle(state: PhoneState): number | undefined {
  const selected = lineAt(state, state.selected);
  if (selected?.state === 'idle') return selected.index;
  return state.lines.find((l) => l.state === 'idle')?.index;
}

/** Runs one line event and keeps the phone-wide fields consistent with the new line. */
function applyLine(state: PhoneState, index: number, event: LineEvent, now: number): PhoneStep {
  const line = lineAt(state, index);
  if (!line) return same(state, 'no such line');
  const step = stepLine(line, event, now);
  if (!step.ok) return same(state, `not applicable while ${line.state}`);
  const lines = state.lines.map((l) => (l.index === index ? step.line : l));
  let next: PhoneState = { ...state, lines, conference: lines.some((l) => l.conf) };
  if (step.line.state !== 'dialing' && line.state === 'dialing') next = { ...next, dialBuffer: '' };
  if (step.line.state === 'idle' && next.xfer?.line === index) next = { ...next, xfer: null };
  if (step.line.state === 'idle' && next.selected === index) {
    const busy = lines.find((l) => l.state === 'connected') ?? lines.find((l) => l.state !== 'idle');
    if (busy) next = { ...next, selected: busy.index };
  }
  const settled = settleConsultation(next, index, line, step.line, event, now);
  return { state: settled.state, ok: true, line: index, events: [...step.effects, ...settled.events] };
}

/** Chains steps; stops at the first refusal of a required step. */
function chain(first: PhoneStep, ...rest: ((s: PhoneState) => PhoneStep)[]): PhoneStep {
  let acc = first;
  for (const f of rest) {
    if (!acc.ok) return acc;
    const next = f(acc.state);
    acc = { ...next, line: acc.line ?? next.line, events: [...acc.events, ...next.events] };
  }
  return acc;
}

/** Makes `index` the line in use: other connected calls go on hold, as on the handset. */
function activate(state: PhoneState, index: number, now: number): PhoneStep {
  let step: PhoneStep = { state: { ...state, selected: index }, ok: true, events: [] };
  for (const l of state.lines) {
    if (l.index !== index && l.state === 'connected') {
      const held = applyLine(step.state, l.index, { type: 'hold' }, now);
      step = { state: held.state, ok: true, events: [...step.events, ...held.events] };
    }
  }
  return step;
}

export interface IncomingCall {
  readonly number: string;
  readonly name?: string;
  /** 0-based account called; defaults to the first registered one. */
  readonly account?: number;
}

/**
 * Rings the first idle line. DND or no free line refuses the call as busy: the caller sees busy, the phone
 * a missed call. Forward "always" (or "busy" with no free line) sends the call on: nothing rings, nothing
 * is missed.
 */
export function incomingCall(state: PhoneState, call: IncomingCall, ctx: StepContext): PhoneStep {
  const account = call.account ?? firstRegistered(state);
  if (!state.accounts[account]?.registered) return same(state, 'unregistered');
  const missed: PhoneEvent = {
    kind: 'missed',
    duration: 0,
    call: {
      index: 0,
      account,
      remoteName: call.name ?? '',
      remoteNumber: call.number,
      direction: 'incoming',
      callId: ctx.callId,
    },
  };
  const index = state.lines.find((l) => l.state === 'idle')?.index;
  const { mode } = state.forward;
  if (mode === 'always' || (mode === 'busy' && index === undefined))
    return { state, ok: false, events: [], reason: 'forwarded' };
  if (state.dnd) return { state, ok: false, events: [missed], reason: 'dnd' };
  if (index === undefined) return { state, ok: false, events: [missed], reason: 'busy' };
  const event: LineEvent = {
    type: 'incoming',
    number: call.number,
    name: call.name ?? '',
    account,
    callId: ctx.callId,
  };
  return applyLine(state, index, event, ctx.now);
}

export type MakeCallRefusal = 'locked' | 'invalid number' | 'no account' | 'no idle line';

/** Starts `calling` on the first idle line. Click-to-dial is a setting, checked by the CTI handler. */
export function makeCall(
  state: PhoneState,
  number: string,
  account: number | undefined,
  ctx: StepContext,
): PhoneStep {
  if (state.locked) return same(state, 'locked');
  if (!isValidPhoneNumber(number)) return same(state, 'invalid number');
  const acct = account ?? firstRegistered(state);
  if (!state.accounts[acct]?.registered) return same(state, 'no account');
  const index = firstIdle(state);
  if (index === undefined) return same(state, 'no idle line');
  const event: LineEvent = { type: 'make-call', number, account: acct, callId: ctx.callId };
  return chain(activate(state, index, ctx.now), (s) => applyLine(s, index, event, ctx.now));
}

const OPERATION_EVENTS: Record<PhoneOperation, LineEvent> = {
  endcall: { type: 'end' },
  holdcall: { type: 'hold-toggle' },
  acceptcall: { type: 'accept' },
  rejectcall: { type: 'reject' },
  cancel: { type: 'cancel' },
  unhold: { type: 'unhold' },
};

/** Without a line argument a command aims at the selected line if it applies there, else by this order. */
const PRIORITY: readonly LineState[] = ['ringing', 'connected', 'calling', 'dialing', 'onhold', 'failed'];

function candidates(state: PhoneState): number[] {
  const order = [...state.lines]
    .filter((l) => l.state !== 'idle')
    .sort((a, b) => PRIORITY.indexOf(a.state) - PRIORITY.indexOf(b.state))
    .map((l) => l.index);
  return [state.selected, ...order.filter((i) => i !== state.selected)];
}

function applyFirst(state: PhoneState, event: LineEvent, ctx: StepContext, line?: number): PhoneStep {
  const targets = line === undefined ? candidates(state) : [line];
  for (const index of targets) {
    const step = applyLine(state, index, event, ctx.now);
    if (!step.ok && line !== undefined) return step;
    if (!step.ok) continue;
    // Taking or resuming a call makes it the one in use.
    if (
      event.type === 'accept' ||
      event.type === 'unhold' ||
      (event.type === 'hold-toggle' && isResume(state, index))
    ) {
      return chain(activate(state, index, ctx.now), (s) => applyLine(s, index, event, ctx.now));
    }
    return step;
  }
  return same(state, 'no line in a state where this applies');
}

function isResume(state: PhoneState, index: number): boolean {
  return lineAt(state, index)?.state === 'onhold';
}

/** api-phone_operation: `arg` aims at a line, else the selected or first line where the command applies. */
export function phoneOperation(
  state: PhoneState,
  cmd: PhoneOperation,
  line: number | undefined,
  ctx: StepContext,
): PhoneStep {
  return applyFirst(state, OPERATION_EVENTS[cmd], ctx, line);
}

/** The far end answers an outgoing call (`line`, else the first calling line). */
export function farEndAnswer(state: PhoneState, line: number | undefined, ctx: StepContext): PhoneStep {
  const index = line ?? state.lines.find((l) => l.state === 'calling')?.index;
  if (index === undefined) return same(state, 'no calling line');
  return applyLine(state, index, { type: 'far-end-answer' }, ctx.now);
}

const HANGUP_ORDER: readonly LineState[] = ['ringing', 'calling', 'connected', 'onhold'];

/** The far end hangs up: a ringing caller gives up (missed), a called party is busy (failed), a call ends. */
export function farEndHangup(
  state: PhoneState,
  line: number | undefined,
  ctx: StepContext,
  busy = false,
): PhoneStep {
  const index =
    line ??
    HANGUP_ORDER.map((s) => state.lines.find((l) => l.state === s)).find((l) => l !== undefined)?.index;
  if (index === undefined) return same(state, 'no call');
  return applyLine(state, index, { type: busy ? 'far-end-busy' : 'far-end-hangup' }, ctx.now);
}

/** Registration changes announce registered/unregistered, as the phone's Action URL does. */
export function setRegistered(state: PhoneState, account: number, registered: boolean): PhoneStep {
  const current = state.accounts[account];
  if (!current) return same(state, 'no such account');
  if (current.registered === registered) return { state, ok: true, events: [] };
  const accounts = state.accounts.map((a, i) => (i === account ? { ...a, registered } : a));
  const kind = registered ? 'registered' : 'unregistered';
  return { state: { ...state, accounts }, ok: true, events: [{ kind, duration: 0, account }] };
}

export { activate, applyFirst, applyLine, firstIdle, firstRegistered, lineAt, same };
