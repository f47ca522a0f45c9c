/**
 * How line transitions become calls: pure functions over plain data (no clock, no I/O; times come from
 * the events and the caller's `nowMs`), so each rule is tested on its own. The recorder
 * (call-recorder.ts) keeps the open calls and the intents and calls these.
 */
import type { CallEvent, CallOutcome } from '@linedeck/contract';
import { type CountryCode, numberKeys, readNumber, sameNumber, toE164 } from '@linedeck/contract/numbers';
import type { CallIntent, FirstLine, StoredCall } from './calls-store.ts';

/** An intent still counts this long after the phone took the command (the next poll may be late). */
export const INTENT_GRACE_MS = 5000;
/** A command that never answers (it has timeouts, but still) stops counting after this. */
const INTENT_PENDING_MAX_MS = 60_000;

export type CallPhase = 'ringing' | 'outgoing' | 'talking' | 'held';

/** An open call with what its seconds are made of. */
export interface Track {
  call: StoredCall;
  phase: CallPhase;
  /** When the call entered its phase (ms since epoch). */
  phaseSinceMs: number;
  talkMs: number;
  holdMs: number;
}

/** An intent the routes announced: pending while `doneAtMs` is null. */
export interface ActiveIntent {
  intent: CallIntent;
  doneAtMs: number | null;
}

export interface FoldContext {
  /** The id a new call gets. */
  newId: () => string;
  defaultCountry: CountryCode | null;
  /** The intents of this event's phone that are still active (see `isActive`). */
  intents: readonly ActiveIntent[];
}

export interface FoldResult {
  /** The call on this line after the event (undefined: none is open now). */
  open: Track | undefined;
  /** Calls this event ended (the old one when a new call starts on a busy line, or the call itself). */
  closed: Track[];
  /** Intents this event used up: each stands for one action on one call. */
  used: ActiveIntent[];
}

const ms = (iso: string) => Date.parse(iso);

/** A number as phones and people write it (`030 123-45`, `tel:+49...`) read as the journal reads it. */
function plain(number: string): string {
  const read = readNumber(number);
  return read.ok ? read.number : number;
}
const keysOf = (number: string, country: CountryCode | null) => numberKeys(plain(number), country);
const e164Of = (number: string, country: CountryCode | null) => toE164(plain(number), country);
const seconds = (millis: number) => Math.max(0, Math.round(millis / 1000));

export function isActive(active: ActiveIntent, nowMs: number): boolean {
  if (active.doneAtMs === null) return nowMs - active.intent.at.getTime() < INTENT_PENDING_MAX_MS;
  return nowMs - active.doneAtMs <= INTENT_GRACE_MS;
}

/** An operation without a line is for the line the phone picks: any of its lines. */
export function onLine(intent: CallIntent, line: number): boolean {
  const { action } = intent;
  return action.kind === 'dial' || action.line === undefined || action.line === line;
}

function isOperation(intent: CallIntent, commands: readonly string[], line: number): boolean {
  return (
    intent.action.kind === 'operation' && commands.includes(intent.action.command) && onLine(intent, line)
  );
}

/** A dial intent for this number (compared as numbers: `030 123` and `+4930123` are one). */
export function dialIntentFor(
  intents: readonly ActiveIntent[],
  number: string,
  country: CountryCode | null,
): ActiveIntent | undefined {
  const keys = keysOf(number, country);
  return intents.find((a) => {
    const { action } = a.intent;
    // A line that shows no number yet (off hook, dialling) is the call being dialled.
    return action.kind === 'dial' && (number === '' || sameNumber(keysOf(action.number, country), keys));
  });
}

/** The first intent sending one of `commands` to this line. */
export function operationIntent(
  intents: readonly ActiveIntent[],
  commands: readonly string[],
  line: number,
): ActiveIntent | undefined {
  return intents.find((a) => isOperation(a.intent, commands, line));
}

function transferIntent(intents: readonly ActiveIntent[], line: number): ActiveIntent | undefined {
  return intents.find((a) => a.intent.action.kind === 'transfer' && onLine(a.intent, line));
}

/** A new call from its first event. */
function startCall(
  event: CallEvent,
  options: {
    id: string;
    direction: StoredCall['direction'];
    phase: CallPhase;
    defaultCountry: CountryCode | null;
  },
): Track {
  const { at } = event;
  const talking = options.phase === 'talking';
  return {
    call: {
      id: options.id,
      phoneId: event.phoneId,
      line: event.line,
      account: event.account ?? null,
      direction: options.direction,
      outcome: null,
      remoteNumber: event.remoteNumber,
      remoteE164: e164Of(event.remoteNumber, options.defaultCountry),
      remoteName: event.remoteName,
      contact: event.contact ?? null,
      startedAt: at,
      answeredAt: talking ? at : null,
      endedAt: null,
      ringSeconds: 0,
      talkSeconds: 0,
      holdSeconds: 0,
      transferTarget: null,
      dialledBy: null,
      answeredBy: null,
      endedBy: null,
      interrupted: false,
      turnedAway: null,
      lastSeenAt: at,
    },
    phase: options.phase,
    phaseSinceMs: ms(at),
    talkMs: 0,
    holdMs: 0,
  };
}

/** The time spent in the current phase added up to `atMs`, the phase then `phase` from `atMs`. */
export function enterPhase(track: Track, phase: CallPhase, atMs: number): Track {
  const spent = Math.max(0, atMs - track.phaseSinceMs);
  const talkMs = track.talkMs + (track.phase === 'talking' ? spent : 0);
  const holdMs = track.holdMs + (track.phase === 'held' ? spent : 0);
  return {
    ...track,
    phase,
    phaseSinceMs: atMs,
    talkMs,
    holdMs,
    call: withSeconds(track.call, talkMs, holdMs, atMs),
  };
}

function withSeconds(call: StoredCall, talkMs: number, holdMs: number, atMs: number): StoredCall {
  // Ring time: until answered, or until now for a call that was never answered.
  const ringEnd = call.answeredAt ? ms(call.answeredAt) : atMs;
  return {
    ...call,
    ringSeconds: seconds(ringEnd - ms(call.startedAt)),
    talkSeconds: seconds(talkMs),
    holdSeconds: seconds(holdMs),
    lastSeenAt: new Date(Math.max(atMs, ms(call.lastSeenAt))).toISOString(),
  };
}

/** What the event adds to what the call knew: a number that filled in, a name, the contact, the account. */
export function withCaller(call: StoredCall, event: CallEvent, country: CountryCode | null): StoredCall {
  const remoteNumber = call.remoteNumber || event.remoteNumber;
  return {
    ...call,
    remoteNumber,
    remoteE164: remoteNumber === call.remoteNumber ? call.remoteE164 : e164Of(remoteNumber, country),
    remoteName: call.remoteName || event.remoteName,
    contact: call.contact ?? event.contact ?? null,
    account: call.account ?? event.account ?? null,
  };
}

/** The call answered at `atIso` (ring time ends there). */
export function answer(track: Track, atIso: string): Track {
  const answered = track.call.answeredAt ? track : { ...track, call: { ...track.call, answeredAt: atIso } };
  return enterPhase(answered, 'talking', ms(atIso));
}

/**
 * How a call ended. Answered is answered, whatever came after. An incoming call that only rang is missed,
 * or rejected when LineDeck rejected it. An outgoing one is busy or failed when the line said so, else
 * cancelled when LineDeck ended it, else no answer.
 */
export function outcomeOf(
  call: Pick<StoredCall, 'direction' | 'answeredAt'>,
  ended: { endedIn?: string | undefined; rejected?: boolean; cancelled?: boolean },
): CallOutcome {
  if (call.answeredAt) return 'answered';
  if (call.direction === 'incoming') return ended.rejected ? 'rejected' : 'missed';
  if (ended.endedIn === 'busy') return 'busy';
  if (ended.endedIn === 'failed') return 'failed';
  return ended.cancelled ? 'cancelled' : 'no_answer';
}

/** Ends the call at `atIso` with what the intents say LineDeck did to it. */
export function endCall(
  track: Track,
  atIso: string,
  endedIn: string | undefined,
  intents: readonly ActiveIntent[],
): { track: Track; used: ActiveIntent[] } {
  const { line, direction, answeredAt } = track.call;
  const used: ActiveIntent[] = [];
  const use = (a: ActiveIntent | undefined) => {
    if (a) used.push(a);
    return a;
  };
  const ringingIn = direction === 'incoming' && !answeredAt;
  // A ringing call is ended from LineDeck only by rejecting it; endcall and cancel are for calls going on.
  const ender = ringingIn
    ? use(operationIntent(intents, ['rejectcall'], line))
    : use(operationIntent(intents, ['endcall', 'cancel'], line));
  const transfer = answeredAt ? use(transferIntent(intents, line)) : undefined;
  const stopped = enterPhase(track, track.phase, ms(atIso));
  const call: StoredCall = {
    ...stopped.call,
    outcome: outcomeOf(track.call, {
      endedIn,
      rejected: ringingIn && ender !== undefined,
      cancelled: direction === 'outgoing' && ender !== undefined,
    }),
    endedAt: atIso,
    endedBy: track.call.endedBy ?? ender?.intent.username ?? null,
    transferTarget:
      track.call.transferTarget ??
      (transfer?.intent.action.kind === 'transfer' ? transfer.intent.action.target : null),
  };
  return { track: { ...stopped, call }, used };
}

/** A missed call nobody saw ring, refused by the phone itself: the journal says why (DND). */
function turnedAway(track: Track, reason: CallEvent['turnedAway']): Track {
  return reason ? { ...track, call: { ...track.call, turnedAway: reason } } : track;
}

const PHASE_OF_START: Partial<Record<CallEvent['kind'], CallPhase>> = {
  ringing: 'ringing',
  dialing: 'outgoing',
};

/**
 * One CallEvent folded into the open call of its phone and line (`open`, undefined when none).
 * `ringing`/`dialing` start a call (ending one still open there); `answered`, `held`, `resumed` move it
 * on (an `answered` with no open call opens one: the ring fell between two polls); `ended`/`missed`
 * close it (a `missed` nobody saw ring is recorded as a missed call that never rang).
 */
export function foldCallEvent(open: Track | undefined, event: CallEvent, ctx: FoldContext): FoldResult {
  const country = ctx.defaultCountry;
  const closed: Track[] = [];
  const used: ActiveIntent[] = [];
  const close = (track: Track, endedIn: string | undefined) => {
    const ended = endCall(track, event.at, endedIn, ctx.intents);
    closed.push(ended.track);
    used.push(...ended.used);
  };
  const start = (direction: StoredCall['direction'], phase: CallPhase) => {
    let track = startCall(event, { id: ctx.newId(), direction, phase, defaultCountry: country });
    const dial =
      direction === 'outgoing' ? dialIntentFor(ctx.intents, event.remoteNumber, country) : undefined;
    if (dial) {
      used.push(dial);
      track = { ...track, call: { ...track.call, dialledBy: dial.intent.username } };
    }
    return track;
  };
  const answeredBy = (track: Track): Track => {
    if (track.call.direction !== 'incoming' || track.call.answeredBy) return track;
    const accept = operationIntent(ctx.intents, ['acceptcall'], event.line);
    if (!accept) return track;
    used.push(accept);
    return { ...track, call: { ...track.call, answeredBy: accept.intent.username } };
  };
  const current = open ? { ...open, call: withCaller(open.call, event, country) } : undefined;

  const startPhase = PHASE_OF_START[event.kind];
  if (startPhase) {
    if (current) close(current, undefined);
    return { open: start(startPhase === 'ringing' ? 'incoming' : 'outgoing', startPhase), closed, used };
  }
  switch (event.kind) {
    case 'answered': {
      if (!current) {
        const dialled = dialIntentFor(ctx.intents, event.remoteNumber, country) !== undefined;
        const track = start(dialled ? 'outgoing' : 'incoming', 'talking');
        return { open: answeredBy(track), closed, used };
      }
      return { open: answeredBy(answer(current, event.at)), closed, used };
    }
    case 'held':
    case 'resumed': {
      if (!current) return { open: undefined, closed, used };
      // A call first seen on hold (the answer fell between polls) was answered by then.
      const answered = current.call.answeredAt ? current : answer(current, event.at);
      const phase = event.kind === 'held' ? 'held' : 'talking';
      return { open: enterPhase(answered, phase, ms(event.at)), closed, used };
    }
    case 'ended':
    case 'missed': {
      const track =
        current ??
        (event.kind === 'missed' ? turnedAway(start('incoming', 'ringing'), event.turnedAway) : undefined);
      if (track) close(track, event.endedIn);
      return { open: undefined, closed, used };
    }
    default:
      return { open: current, closed, used };
  }
}

/**
 * The open call on the intent's line is still in a state the command acts on (a ringing call for accept
 * or reject, a call going on for end or cancel): the intent waits for its effect instead of amending a
 * call that is already over.
 */
export function awaitsIntent(track: Track, intent: CallIntent): boolean {
  const { action } = intent;
  if (
    action.kind !== 'operation' ||
    track.call.phoneId !== intent.phoneId ||
    !onLine(intent, track.call.line)
  ) {
    return false;
  }
  switch (action.command) {
    case 'acceptcall':
    case 'rejectcall':
      return track.phase === 'ringing';
    case 'endcall':
    case 'cancel':
      return true;
    default:
      return false;
  }
}

/**
 * An intent that arrived after the poll had already seen its effect (the line changed before the
 * command's answer): the call it was meant for, amended; null when it is not for this call. `nowMs` is
 * when the intent came; the call must have changed within INTENT_GRACE_MS before.
 */
export function amendLate(
  call: StoredCall,
  intent: CallIntent,
  nowMs: number,
  country: CountryCode | null,
): StoredCall | null {
  if (call.phoneId !== intent.phoneId || !onLine(intent, call.line)) return null;
  const recent = (iso: string | null) => iso !== null && Math.abs(nowMs - ms(iso)) <= INTENT_GRACE_MS;
  const { action } = intent;
  const who = intent.username;
  if (action.kind === 'dial') {
    const same = sameNumber(keysOf(action.number, country), keysOf(call.remoteNumber, country));
    const numberFits = call.remoteNumber === '' || same;
    return call.direction === 'outgoing' && !call.dialledBy && numberFits && recent(call.startedAt)
      ? { ...call, dialledBy: who }
      : null;
  }
  if (action.kind === 'transfer') {
    return call.answeredAt && !call.transferTarget && (call.endedAt === null || recent(call.endedAt))
      ? { ...call, transferTarget: action.target }
      : null;
  }
  switch (action.command) {
    case 'acceptcall':
      return call.direction === 'incoming' && !call.answeredBy && recent(call.answeredAt)
        ? { ...call, answeredBy: who }
        : null;
    case 'rejectcall':
      return call.outcome === 'missed' && !call.endedBy && recent(call.endedAt)
        ? { ...call, outcome: 'rejected', endedBy: who }
        : null;
    case 'endcall':
    case 'cancel': {
      if (call.endedBy || !recent(call.endedAt)) return null;
      return {
        ...call,
        endedBy: who,
        ...(call.outcome === 'no_answer' ? { outcome: 'cancelled' as const } : {}),
      };
    }
    default:
      return null;
  }
}

/**
 * A call still open when LineDeck stopped, closed with what was known when it was last seen: its seconds
 * are stored as of `lastSeenAt` (every save brings them up to then).
 */
export function closeInterrupted(call: StoredCall): StoredCall {
  return { ...call, outcome: outcomeOf(call, {}), endedAt: call.lastSeenAt, interrupted: true };
}

const CALL_PHASES: ReadonlySet<string> = new Set<CallPhase>(['ringing', 'outgoing', 'talking', 'held']);

/**
 * A call the last run left open, against its line in the first read after the start: when the line still
 * shows it (a call in progress, the same caller as numbers go or a blank number, the same direction, and
 * not ringing again once answered), the call goes on as a Track, its time while LineDeck was stopped
 * counted in the phase seen now. A ringing call seen answered was answered while LineDeck was stopped: at
 * the latest now, which is what `answeredAt` says. Null: the call ended meanwhile (closeInterrupted).
 */
export function resumeInterrupted(
  call: StoredCall,
  shown: Pick<FirstLine, 'phase' | 'remoteNumber'>,
  atIso: string,
  country: CountryCode | null,
): Track | null {
  if (!CALL_PHASES.has(shown.phase)) return null;
  const phase = shown.phase as CallPhase;
  const caller =
    call.remoteNumber === '' ||
    shown.remoteNumber === '' ||
    sameNumber(keysOf(call.remoteNumber, country), keysOf(shown.remoteNumber, country));
  const wrongWay = call.direction === 'incoming' ? phase === 'outgoing' : phase === 'ringing';
  const answered = call.answeredAt !== null;
  if (!caller || wrongWay || (answered && (phase === 'ringing' || phase === 'outgoing'))) return null;
  const remoteNumber = call.remoteNumber || shown.remoteNumber;
  const track: Track = {
    call: {
      ...call,
      remoteNumber,
      remoteE164: remoteNumber === call.remoteNumber ? call.remoteE164 : e164Of(remoteNumber, country),
    },
    // Answered: whether it was on hold when last seen is not stored; the gap counts as what is seen now.
    phase: answered ? phase : call.direction === 'incoming' ? 'ringing' : 'outgoing',
    phaseSinceMs: ms(call.lastSeenAt),
    talkMs: call.talkSeconds * 1000,
    holdMs: call.holdSeconds * 1000,
  };
  if (answered || phase === 'ringing' || phase === 'outgoing') return enterPhase(track, phase, ms(atIso));
  const talking = answer(track, atIso);
  return phase === 'held' ? enterPhase(talking, 'held', ms(atIso)) : talking;
}
