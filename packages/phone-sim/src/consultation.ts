/**
 * Transfer and conference with a consultation call, as GRP26xx firmware does them (pure, like
 * phone-state.ts): XFER or CONF during a call holds it and opens a line for the target; digits and SEND
 * dial it. XFER again hands the held caller over (blind while the target still rings, attended once it
 * answered); CONF again joins the held and the new call into a conference (both lines `conf`). Ending the
 * consultation line brings the held caller back, or with `consultHangup: 'transfer'` completes the
 * transfer. Firmware whose XFER transfers at once (`flowStyle: 'instant'`) is keypad.ts's path.
 */
import { isValidPhoneNumber } from '../../cti/src/protocol.ts';
import type { Line, LineEvent } from './line-machine.ts';
import type { Consultation, PhoneEvent, PhoneState, PhoneStep, StepContext } from './phone-state.ts';
import { activate, applyLine, firstRegistered, lineAt } from './phone-state.ts';

function ignored(state: PhoneState, reason: string): PhoneStep {
  return { state, ok: true, events: [], reason };
}

function withLine(state: PhoneState, index: number, patch: Partial<Line>): PhoneState {
  const lines = state.lines.map((l) => (l.index === index ? { ...l, ...patch } : l));
  return { ...state, lines, conference: lines.some((l) => l.conf) };
}

function merge(first: PhoneStep, next: PhoneStep): PhoneStep {
  return { ...next, ok: true, line: first.line ?? next.line, events: [...first.events, ...next.events] };
}

/** XFER or CONF on the call `held`: hold it, mark it for a conference, open a dialing line for the target. */
export function openConsultation(
  state: PhoneState,
  held: number,
  kind: Consultation['kind'],
  ctx: StepContext,
): PhoneStep {
  const call = lineAt(state, held);
  const free = state.lines.find((l) => l.state === 'idle' && l.index !== held);
  if (!call || !free) return ignored(state, 'no free line');
  const account = call.account >= 0 ? call.account : firstRegistered(state);
  let step: PhoneStep = {
    state: { ...state, consult: { kind, held, line: free.index } },
    ok: true,
    line: held,
    events: [],
  };
  if (call.state === 'connected') step = merge(step, applyLine(step.state, held, { type: 'hold' }, ctx.now));
  if (kind === 'conference') step = { ...step, state: withLine(step.state, held, { conf: true }) };
  const selected = { ...step.state, selected: free.index };
  return merge(step, applyLine(selected, free.index, { type: 'offhook', account }, ctx.now));
}

/** XFER during a transfer consultation: the held caller goes to the target. */
export function completeTransfer(state: PhoneState, ctx: StepContext): PhoneStep {
  const consult = state.consult;
  const target = consult ? lineAt(state, consult.line) : undefined;
  if (consult?.kind !== 'transfer' || !target) return ignored(state, 'no transfer under way');
  switch (target.state) {
    case 'connected':
      return handOver(state, consult, 'attended', target.remoteNumber, ctx.now);
    case 'calling':
      return handOver(state, consult, 'blind', target.remoteNumber, ctx.now);
    case 'dialing':
      // XFER again before SEND: the digits typed so far are the target, handed over without a call.
      return isValidPhoneNumber(state.dialBuffer)
        ? handOver(state, consult, 'blind', state.dialBuffer, ctx.now)
        : ignored(state, 'no transfer target');
    default:
      return ignored(state, 'target not reached');
  }
}

function handOver(
  state: PhoneState,
  consult: Consultation,
  mode: 'blind' | 'attended',
  target: string,
  now: number,
): PhoneStep {
  const call = lineAt(state, consult.held);
  if (!call) return ignored(state, 'no call');
  // Cleared first: the lines ending below must not count as a cancelled consultation.
  const free: PhoneState = { ...state, consult: null };
  const held = applyLine(free, consult.held, { type: 'transfer' }, now);
  if (!held.ok) return { ...held, ok: true };
  const duration = held.events[0]?.duration ?? 0;
  const announce: PhoneEvent = {
    kind: mode === 'blind' ? 'blind_transfer' : 'attended_transfer',
    call,
    duration,
  };
  const transfer = { line: consult.held, target, remoteNumber: call.remoteNumber, at: now, mode };
  let step: PhoneStep = {
    ...held,
    state: { ...held.state, transfers: [...held.state.transfers, transfer] },
    events: [announce, ...held.events],
  };
  if (lineAt(step.state, consult.line)?.state !== 'idle') {
    step = merge(step, applyLine(step.state, consult.line, { type: 'end' }, now));
  }
  return step;
}

/** CONF during a conference consultation: once the new party answered, both calls become one. */
export function joinConference(state: PhoneState, ctx: StepContext): PhoneStep {
  const consult = state.consult;
  const added = consult ? lineAt(state, consult.line) : undefined;
  if (consult?.kind !== 'conference' || !added) return ignored(state, 'no conference under way');
  if (added.state !== 'connected') return ignored(state, 'the new party has not answered');
  const marked = withLine({ ...state, consult: null }, added.index, { conf: true });
  const held = lineAt(marked, consult.held);
  // Resumed without `activate`: that would put the party just added on hold.
  const resumed =
    held?.state === 'onhold' ? applyLine(marked, consult.held, { type: 'unhold' }, ctx.now) : undefined;
  const joined = resumed?.ok ? resumed.state : marked;
  return {
    state: { ...joined, selected: consult.held },
    ok: true,
    line: consult.held,
    events: resumed?.events ?? [],
  };
}

/** Lines that form a conference now: two or more `conf` lines in a call, none being set up. */
export function conferenceLines(state: PhoneState): number[] {
  if (state.consult?.kind === 'conference') return [];
  const lines = state.lines.filter((l) => l.conf && l.state !== 'idle').map((l) => l.index);
  return lines.length >= 2 ? lines : [];
}

/** ONHOOK in a conference ends it: every party. */
export function endConference(state: PhoneState, ctx: StepContext): PhoneStep | undefined {
  const lines = conferenceLines(state);
  if (lines.length === 0) return undefined;
  let step: PhoneStep = { state, ok: true, line: lines[0], events: [] };
  for (const index of lines) step = merge(step, applyLine(step.state, index, { type: 'end' }, ctx.now));
  return step;
}

const NOTHING = { events: [] as PhoneEvent[] };

/**
 * Runs after every line change (phone-state.ts applyLine): a consultation line that ended brings the held
 * caller back (or completes the transfer, per `consultHangup`); a held caller who left ends the
 * consultation; a conference with one party left is a plain call again.
 */
export function settleConsultation(
  state: PhoneState,
  index: number,
  before: Line,
  after: Line,
  event: LineEvent,
  now: number,
): { state: PhoneState; events: readonly PhoneEvent[] } {
  const consult = state.consult;
  if (!consult || after.state !== 'idle') return { state: loneConference(state), ...NOTHING };
  if (index === consult.held) return { state: loneConference({ ...state, consult: null }), ...NOTHING };
  if (index !== consult.line) return { state, ...NOTHING };
  const localHangup = event.type === 'end' || event.type === 'cancel';
  const reached = before.state === 'connected' || before.state === 'calling';
  if (consult.kind === 'transfer' && state.behaviour.consultHangup === 'transfer' && localHangup && reached) {
    // The consultation line already ended: hand over what is left, the held caller.
    const mode = before.state === 'connected' ? 'attended' : 'blind';
    const step = handOver(state, consult, mode, before.remoteNumber, now);
    return { state: step.state, events: step.events };
  }
  return resumeHeld({ ...state, consult: null }, consult, now);
}

/** Cancelled: the held caller is back on the line (and no longer marked for a conference). */
function resumeHeld(
  state: PhoneState,
  consult: Consultation,
  now: number,
): { state: PhoneState; events: readonly PhoneEvent[] } {
  const base = consult.kind === 'conference' ? withLine(state, consult.held, { conf: false }) : state;
  if (lineAt(base, consult.held)?.state !== 'onhold') return { state: base, ...NOTHING };
  const active = activate(base, consult.held, now);
  const resumed = applyLine(active.state, consult.held, { type: 'unhold' }, now);
  if (!resumed.ok) return { state: base, ...NOTHING };
  return { state: resumed.state, events: [...active.events, ...resumed.events] };
}

/** Consult style only: on `instant` firmware a lone mark is all CONF ever makes. */
function loneConference(state: PhoneState): PhoneState {
  if (state.behaviour.flowStyle !== 'consult' || state.consult?.kind === 'conference') return state;
  const marked = state.lines.filter((l) => l.conf);
  if (marked.length !== 1 || !marked[0]) return state;
  return withLine(state, marked[0].index, { conf: false });
}
