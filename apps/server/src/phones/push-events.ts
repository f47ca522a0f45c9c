/**
 * Trusted Action URL pushes (a hit with the phone's hook token, from its address): what the request says,
 * read as leniently as phones send it (field notes, "Push, as phones really send it"), and how its call
 * events are reconciled with the poll's, so one ring is announced once whichever side sees it first.
 * Pure functions over plain data; the StateCache owns one ledger per phone and emits what they return.
 */
import type { CallEvent, LineView, PhoneState } from '@linedeck/contract';
import { IDLE_STATES, RINGING_STATES } from './state-mapping.ts';

/** The events a phone can push (simulator names and the P-value table of the field notes). */
export const PUSH_EVENT_NAMES = [
  'setup_completed',
  'registered',
  'unregistered',
  'offhook',
  'onhook',
  'incoming',
  'outgoing',
  'missed',
  'established',
  'terminated',
  'dnd_on',
  'dnd_off',
  'forward_on',
  'forward_off',
  'blind_transfer',
  'attended_transfer',
  'transfer',
  'hold',
  'unhold',
] as const;
export type PushEventName = (typeof PUSH_EVENT_NAMES)[number];

/** Config P-value of each event's Action URL, as admins may name the event after it. */
const P_VALUES: Partial<Record<PushEventName, string>> = {
  setup_completed: '8304',
  registered: '8305',
  unregistered: '8306',
  offhook: '8308',
  onhook: '8309',
  incoming: '8310',
  outgoing: '8311',
  missed: '8312',
  established: '8313',
  terminated: '8314',
  dnd_on: '8316',
  dnd_off: '8317',
  forward_on: '8318',
  forward_off: '8319',
  blind_transfer: '8320',
  attended_transfer: '8321',
  hold: '8324',
  unhold: '8325',
};

/** Spellings seen in vendor examples and admin setups, squeezed to letters and digits. */
const ALIASES: Record<string, PushEventName> = {
  incomingcall: 'incoming',
  outgoingcall: 'outgoing',
  missedcall: 'missed',
  setup: 'setup_completed',
  callforwardon: 'forward_on',
  callforwardoff: 'forward_off',
  fwdon: 'forward_on',
  fwdoff: 'forward_off',
};

const EVENT_BY_KEY = new Map<string, PushEventName>([
  ...PUSH_EVENT_NAMES.map((name) => [squeeze(name), name] as const),
  ...Object.entries(P_VALUES).flatMap(([name, p]) => [
    [`p${p}`, name as PushEventName] as const,
    [p, name as PushEventName] as const,
  ]),
  ...Object.entries(ALIASES),
]);

function squeeze(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `incoming`, `Incoming Call`, `P8310`, `8310`, `dnd-on`... → the event; unknown names → null. */
export function eventNameOf(raw: string): PushEventName | null {
  return raw.length > 40 ? null : (EVENT_BY_KEY.get(squeeze(raw)) ?? null);
}

/** The parts of `/hooks/action-url/<id>[/<token>[/vars...]][?vars]`, below the mount point. */
export interface HookTarget {
  phoneId: string;
  /** The raw token segment; null when the URL has none (an old URL: a wake-up only). */
  token: string | null;
  /** Variables from the query and from path segments (`/mac=...&remote=...`), decoded, first one wins. */
  vars: Map<string, string>;
  /** Words without `=` (`?incoming`, `/incoming`), for an event named that way. */
  words: string[];
}

/** `%XX` decoded where valid, the rest kept; `+` stays `+` (phones keep the `+` of a number raw). */
export function decodeLenient(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function readPairs(text: string, target: HookTarget): void {
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq === -1) {
      target.words.push(decodeLenient(pair));
      continue;
    }
    const key = decodeLenient(pair.slice(0, eq)).toLowerCase();
    if (!target.vars.has(key)) target.vars.set(key, decodeLenient(pair.slice(eq + 1)));
  }
}

/**
 * The hook URL as the phone sent it (after the hook front's re-encoding), below ACTION_URL_PATH: null
 * when it names no phone (no id, a bad escape in the id).
 */
export function parseHookTarget(url: string): HookTarget | null {
  const cut = url.indexOf('?');
  const path = cut === -1 ? url : url.slice(0, cut);
  const segments = path.replace(/^\//, '').split('/');
  let phoneId: string;
  try {
    phoneId = decodeURIComponent(segments[0] ?? '');
  } catch {
    return null;
  }
  if (!phoneId) return null;
  const target: HookTarget = { phoneId, token: segments[1] || null, vars: new Map(), words: [] };
  for (const segment of segments.slice(2)) readPairs(segment, target);
  if (cut !== -1) readPairs(url.slice(cut + 1), target);
  return target;
}

/** What a trusted push reports. Empty strings: not told (or an unfilled `$variable`). */
export interface TrustedPush {
  event: PushEventName | null;
  remoteNumber: string;
  remoteName: string;
}

/** Keys admins use for the caller's number and name in their templates. */
const NUMBER_KEYS = ['remote', 'number', 'remote_number', 'caller', 'from'];
const NAME_KEYS = ['display_remote', 'name', 'remote_name', 'display_name', 'caller_name'];
/** Longer values are dropped by some firmware anyway; a bounded value keeps the events small. */
const MAX_VALUE = 256;

/** A variable's value, or '' when missing, unfilled (`$remote`) or absurd. */
function variable(vars: Map<string, string>, keys: readonly string[], max: number): string {
  for (const key of keys) {
    const raw = vars.get(key);
    if (raw === undefined) continue;
    // Control characters never belong in a caller's name or number; they would only upset the UI.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them.
    const value = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    if (value.length > MAX_VALUE || /^\$[\w-]+$/.test(value)) return '';
    return value.slice(0, max);
  }
  return '';
}

export function pushOf(target: HookTarget): TrustedPush {
  const named = target.vars.get('event');
  const event = named !== undefined ? eventNameOf(named) : null;
  return {
    event: event ?? target.words.map(eventNameOf).find((e) => e !== null) ?? null,
    remoteNumber: variable(target.vars, NUMBER_KEYS, 64),
    remoteName: variable(target.vars, NAME_KEYS, 128),
  };
}

/**
 * DND and forward as a push tells them (the only source on passcode-only firmware). `forward_on` says
 * neither condition nor number: a forward already known in detail (config API) is kept as it is.
 */
export function flagsOfPush(
  event: PushEventName | null,
  forward: PhoneState['forward'],
): { dnd?: boolean; forward?: PhoneState['forward'] } | null {
  switch (event) {
    case 'dnd_on':
      return { dnd: true };
    case 'dnd_off':
      return { dnd: false };
    case 'forward_on':
      return { forward: forward && forward.mode !== 'off' ? forward : { mode: 'on', number: '' } };
    case 'forward_off':
      return { forward: { mode: 'off', number: '' } };
    default:
      return null;
  }
}

// ---------- reconciling push and poll ----------

/** Who called, for matching: `sip:+49 30 123@pbx` and `+4930123` are one caller; '' is unknown. */
export function callerKey(number: string): string {
  return number
    .replace(/^sips?:/i, '')
    .replace(/@.*$/, '')
    .replace(/[\s().-]/g, '');
}

/** An unknown caller on either side matches: the phone said nothing that tells them apart. */
function sameCaller(a: string, b: string): boolean {
  return a === '' || b === '' || a === b;
}

interface PushedRing {
  key: string;
  number: string;
  name: string;
  line: number;
  atMs: number;
  /** Polls still to come that may have read the lines before the push (already in flight then). */
  pollsToSkip: number;
}

interface Mark {
  key: string;
  line: number;
  atMs: number;
}

/**
 * What one side announced and the other must not announce again. Each mark is used up by the one
 * announcement it stands for, so a caller who calls again is announced again.
 */
export interface PushLedger {
  /** Rings announced by push that no poll has seen yet. */
  pushedRings: PushedRing[];
  /** Rings announced by a poll: a late `incoming` push for them says nothing new. */
  polledRings: Mark[];
  /** Misses announced by push for a ring the poll saw: the poll that sees the line idle stays quiet. */
  pushedMisses: Mark[];
  /** Misses announced by a poll: a late `missed` push says nothing new. */
  polledMisses: Mark[];
}

export function newLedger(): PushLedger {
  return { pushedRings: [], polledRings: [], pushedMisses: [], polledMisses: [] };
}

/** A late push about a poll's announcement arrives within a second or so; a minute is plenty. */
const MARK_MS = 60_000;
/** A pushed ring no poll ever resolves (the phone went offline) is forgotten after this. */
const PUSHED_RING_MS = 120_000;
const MAX_MARKS = 16;

function prune(ledger: PushLedger, nowMs: number): void {
  const keep = <T extends { atMs: number }>(list: T[], ms: number) =>
    list.filter((m) => nowMs - m.atMs < ms).slice(-MAX_MARKS);
  ledger.pushedRings = keep(ledger.pushedRings, PUSHED_RING_MS);
  ledger.polledRings = keep(ledger.polledRings, MARK_MS);
  ledger.pushedMisses = keep(ledger.pushedMisses, PUSHED_RING_MS);
  ledger.polledMisses = keep(ledger.polledMisses, MARK_MS);
}

/** Removes and returns the first entry matching `match`. */
function take<T>(list: T[], match: (item: T) => boolean): T | undefined {
  const i = list.findIndex(match);
  return i === -1 ? undefined : list.splice(i, 1)[0];
}

const isRinging = (l: LineView) => RINGING_STATES.has(l.state);
const isIdle = (l: LineView) => IDLE_STATES.has(l.state);

/**
 * A push does not say which line rings: the line the poll already shows this caller on, else the first
 * idle one (where the phone puts a new call).
 */
function guessLine(lines: readonly LineView[], key = ''): number {
  const known = key ? lines.find((l) => !isIdle(l) && callerKey(l.remoteNumber) === key) : undefined;
  return (known ?? lines.find(isIdle) ?? lines[0])?.line ?? 1;
}

export interface PushContext {
  phoneId: string;
  /** The lines as last polled. */
  lines: readonly LineView[];
  at: string;
  nowMs: number;
  /** A poll was running when the push arrived: its answer may predate the push. */
  pollInFlight: boolean;
  /** Do Not Disturb as last known: a miss nobody saw ring while it is on was turned away by it. */
  dnd?: boolean | null;
}

/** The call events a trusted push announces (none for a ring or miss already announced). */
export function callEventsOfPush(ledger: PushLedger, push: TrustedPush, ctx: PushContext): CallEvent[] {
  prune(ledger, ctx.nowMs);
  const key = callerKey(push.remoteNumber);
  const event = (kind: CallEvent['kind'], line: number, name: string, number: string): CallEvent => ({
    phoneId: ctx.phoneId,
    line,
    kind,
    remoteName: name,
    remoteNumber: number,
    at: ctx.at,
  });
  switch (push.event) {
    case 'incoming': {
      // Only an announcement counts, not a ringing line: a poll that finds a new caller ringing on a
      // line that already rang between two polls announces nothing.
      const seen =
        take(ledger.polledRings, (m) => sameCaller(m.key, key)) !== undefined ||
        ledger.pushedRings.some((r) => sameCaller(r.key, key));
      if (seen) return [];
      const line = guessLine(ctx.lines, key);
      ledger.pushedRings.push({
        key,
        number: push.remoteNumber,
        name: push.remoteName,
        line,
        atMs: ctx.nowMs,
        pollsToSkip: ctx.pollInFlight ? 1 : 0,
      });
      return [event('ringing', line, push.remoteName, push.remoteNumber)];
    }
    case 'missed': {
      if (take(ledger.polledMisses, (m) => sameCaller(m.key, key))) return [];
      const ring = take(ledger.pushedRings, (r) => sameCaller(r.key, key));
      if (ring)
        return [event('missed', ring.line, push.remoteName || ring.name, push.remoteNumber || ring.number)];
      const polled = ctx.lines.find((l) => isRinging(l) && sameCaller(callerKey(l.remoteNumber), key));
      if (polled) {
        // The poll saw it ringing: the poll that sees the line idle again must not say it a second time.
        ledger.pushedMisses.push({ key, line: polled.line, atMs: ctx.nowMs });
        return [
          event(
            'missed',
            polled.line,
            push.remoteName || polled.remoteName,
            push.remoteNumber || polled.remoteNumber,
          ),
        ];
      }
      // A call nobody saw ring (DND, every line busy, a lost `incoming` push): still a missed call.
      const unseen = event('missed', guessLine(ctx.lines, key), push.remoteName, push.remoteNumber);
      return [ctx.dnd === true ? { ...unseen, turnedAway: 'dnd' } : unseen];
    }
    case 'established':
      // Answered: the poll reports it; a pushed ring must not turn into a "missed" once the line is idle.
      take(ledger.pushedRings, (r) => sameCaller(r.key, key));
      return [];
    default:
      return [];
  }
}

/**
 * The poll's call events with those a push already announced taken out, plus a `missed` for a pushed
 * ring that a poll read after the push no longer finds (a ring shorter than the gap between two polls).
 */
export function reconcilePoll(
  ledger: PushLedger,
  calls: readonly CallEvent[],
  ctx: Omit<PushContext, 'pollInFlight'>,
): CallEvent[] {
  prune(ledger, ctx.nowMs);
  const out: CallEvent[] = [];
  for (const call of calls) {
    const key = callerKey(call.remoteNumber);
    if (call.kind === 'ringing') {
      if (take(ledger.pushedRings, (r) => sameCaller(r.key, key))) continue;
      ledger.polledRings.push({ key, line: call.line, atMs: ctx.nowMs });
    } else if (call.kind === 'missed') {
      if (take(ledger.pushedMisses, (m) => m.line === call.line && sameCaller(m.key, key))) continue;
      ledger.polledMisses.push({ key, line: call.line, atMs: ctx.nowMs });
    }
    out.push(call);
  }
  for (const ring of [...ledger.pushedRings]) {
    // On a line (still ringing, answered, held): the poll has the call and tells its story from here.
    const onLine = ctx.lines.some((l) => !isIdle(l) && sameCaller(callerKey(l.remoteNumber), ring.key));
    if (!onLine && ring.pollsToSkip > 0) {
      ring.pollsToSkip--;
      continue;
    }
    take(ledger.pushedRings, (r) => r === ring);
    if (onLine) continue;
    out.push({
      phoneId: ctx.phoneId,
      line: ring.line,
      kind: 'missed',
      remoteName: ring.name,
      remoteNumber: ring.number,
      at: ctx.at,
    });
  }
  return out;
}
