/**
 * api-send_key, one key at a time, as pure functions over PhoneState. A key the phone takes always
 * "succeeds" (the guide answers `complete`), even when it has nothing to act on, as a key press on the
 * handset would; `reason` says why nothing happened. Keys are checked against the protocol list before.
 */
import { isValidPhoneNumber } from '../../cti/src/protocol.ts';
import { completeTransfer, endConference, joinConference, openConsultation } from './consultation.ts';
import { setDnd } from './desk-settings.ts';
import type { PhoneState, PhoneStep, StepContext } from './phone-state.ts';
import {
  activate,
  applyFirst,
  applyLine,
  firstIdle,
  firstRegistered,
  lineAt,
  MAX_VOLUME,
} from './phone-state.ts';

const DIGITS = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']);

/** With the keypad locked only these keys work: unlocking, and taking or ending calls. */
const LOCK_FREE = new Set(['LOCK', 'UNLOCK', 'OFFHOOK', 'ONHOOK']);

function ignored(state: PhoneState, reason: string): PhoneStep {
  return { state, ok: true, events: [], reason };
}

function set(state: PhoneState, patch: Partial<PhoneState>): PhoneStep {
  return { state: { ...state, ...patch }, ok: true, events: [] };
}

/** Keeps a refused line step a successful key press. */
function pressed(step: PhoneStep): PhoneStep {
  return step.ok ? step : { ...step, ok: true };
}

export function pressKey(state: PhoneState, key: string, ctx: StepContext): PhoneStep {
  if (state.locked && !LOCK_FREE.has(key)) return ignored(state, 'keypad locked');
  if (key === 'STAR') return pressDigit(state, '*', ctx);
  if (DIGITS.has(key)) return pressDigit(state, key, ctx);
  const lineKey = /^LINE(\d+)$/.exec(key);
  if (lineKey) return pressLine(state, Number(lineKey[1]), ctx);
  switch (key) {
    case 'SEND':
      return pressSend(state, ctx);
    case 'XFER':
      return pressXfer(state, ctx);
    case 'CONF':
      return pressConf(state, ctx);
    case 'HOLD':
      return pressed(applyFirst(state, { type: 'hold-toggle' }, ctx));
    case 'OFFHOOK':
      return pressOffhook(state, ctx);
    case 'ONHOOK': {
      const conference = endConference(state, ctx);
      if (conference) return conference;
      const end = applyFirst(state, { type: 'end' }, ctx);
      return end.ok ? end : pressed(applyFirst(state, { type: 'reject' }, ctx));
    }
    case 'VUP':
      return set(state, { volume: Math.min(MAX_VOLUME, state.volume + 1) });
    case 'VDOWN':
      return set(state, { volume: Math.max(0, state.volume - 1) });
    case 'MUTE':
      return set(state, { muted: !state.muted });
    case 'SPEAKER':
      return set(state, { speaker: !state.speaker });
    case 'HEADSET':
      return set(state, { headset: !state.headset });
    case 'DND':
      return setDnd(state, !state.dnd);
    case 'LOCK':
      return set(state, { locked: true });
    case 'UNLOCK':
      return set(state, { locked: false });
    default:
      // VM, SOFTn, MPKn, OK and the arrows move through menus the simulator does not draw.
      return ignored(state, 'no effect in the simulator');
  }
}

/** The selected line if it holds an established call, else the first connected line. */
function activeCall(state: PhoneState): number | undefined {
  const selected = lineAt(state, state.selected);
  if (selected?.state === 'connected' || selected?.state === 'onhold') return selected.index;
  return state.lines.find((l) => l.state === 'connected')?.index;
}

/** During XFER digits collect the target; in a call they are DTMF; otherwise they dial. */
function pressDigit(state: PhoneState, digit: string, ctx: StepContext): PhoneStep {
  if (state.xfer) return set(state, { xfer: { ...state.xfer, digits: state.xfer.digits + digit } });
  const selected = lineAt(state, state.selected);
  if (selected?.state === 'connected') {
    return applyLine(state, selected.index, { type: 'digit', digit }, ctx.now);
  }
  if (state.lines.some((l) => l.state === 'dialing'))
    return set(state, { dialBuffer: state.dialBuffer + digit });
  const index = firstIdle(state);
  const account = firstRegistered(state);
  if (index === undefined || account < 0) return ignored(state, 'cannot dial');
  const step = activate(state, index, ctx.now);
  const offhook = applyLine(step.state, index, { type: 'offhook', account }, ctx.now);
  return {
    state: { ...offhook.state, dialBuffer: digit },
    ok: true,
    line: index,
    events: [...step.events, ...offhook.events],
  };
}

function pressSend(state: PhoneState, ctx: StepContext): PhoneStep {
  if (state.xfer) {
    const { line, digits } = state.xfer;
    if (!isValidPhoneNumber(digits)) return ignored(state, 'no transfer target');
    const call = lineAt(state, line);
    const step = applyLine(state, line, { type: 'transfer' }, ctx.now);
    if (!step.ok || !call) return pressed(step);
    const transfer = { line, target: digits, remoteNumber: call.remoteNumber, at: ctx.now };
    // XFER, digits, SEND hands the call over without consulting the target: a blind transfer.
    const duration = step.events[0]?.duration ?? 0;
    return {
      ...step,
      state: { ...step.state, xfer: null, transfers: [...step.state.transfers, transfer] },
      events: [{ kind: 'blind_transfer', call, duration }, ...step.events],
    };
  }
  const dialing = state.lines.find((l) => l.state === 'dialing');
  if (!dialing || !isValidPhoneNumber(state.dialBuffer)) return ignored(state, 'nothing to send');
  const event = {
    type: 'make-call',
    number: state.dialBuffer,
    account: dialing.account,
    callId: ctx.callId,
  } as const;
  return applyLine(state, dialing.index, event, ctx.now);
}

function pressXfer(state: PhoneState, ctx: StepContext): PhoneStep {
  if (state.behaviour.flowStyle === 'consult') {
    if (state.consult?.kind === 'transfer') return completeTransfer(state, ctx);
    if (state.consult) return ignored(state, 'a conference is being set up');
    const line = activeCall(state);
    return line ? openConsultation(state, line, 'transfer', ctx) : ignored(state, 'transfer needs a call');
  }
  // XFER again while typing the target leaves transfer mode, as the handset's Cancel soft key does.
  if (state.xfer) return set(state, { xfer: null });
  const line = activeCall(state);
  return line ? set(state, { xfer: { line, digits: '' } }) : ignored(state, 'transfer needs a call');
}

function unmarked(state: PhoneState, index: number): Partial<PhoneState> {
  const lines = state.lines.map((l) => (l.index === index ? { ...l, conf: false } : l));
  return { lines, conference: lines.some((l) => l.conf) };
}

/** CONF: a first press calls a party to add (the call waits on hold), a second joins them. */
function pressConf(state: PhoneState, ctx: StepContext): PhoneStep {
  if (state.behaviour.flowStyle === 'instant') {
    const line = activeCall(state);
    const call = line === undefined ? undefined : lineAt(state, line);
    if (!call) return ignored(state, 'no call');
    // Pressed again it takes the mark off: the only way back on firmware whose CONF does nothing else.
    if (call.conf) return set(state, unmarked(state, call.index));
    return pressed(applyLine(state, call.index, { type: 'conference' }, ctx.now));
  }
  if (state.consult?.kind === 'conference') return joinConference(state, ctx);
  if (state.consult) return ignored(state, 'a transfer is under way');
  const line = activeCall(state);
  return line ? openConsultation(state, line, 'conference', ctx) : ignored(state, 'no call');
}

/** A ringing line key answers, a held one resumes, an idle one is selected. */
function pressLine(state: PhoneState, index: number, ctx: StepContext): PhoneStep {
  const line = lineAt(state, index);
  if (!line) return ignored(state, 'no such line');
  if (line.state === 'ringing') return pressed(applyFirst(state, { type: 'accept' }, ctx, index));
  if (line.state === 'onhold') return pressed(applyFirst(state, { type: 'unhold' }, ctx, index));
  return set(state, { selected: index });
}

function pressOffhook(state: PhoneState, ctx: StepContext): PhoneStep {
  if (state.lines.some((l) => l.state === 'ringing'))
    return pressed(applyFirst(state, { type: 'accept' }, ctx));
  const selected = lineAt(state, state.selected);
  const account = firstRegistered(state);
  if (selected?.state !== 'idle' || account < 0) return ignored(state, 'already off hook');
  return pressed(applyLine(state, selected.index, { type: 'offhook', account }, ctx.now));
}
