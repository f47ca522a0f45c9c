/**
 * The latest state of every phone, in memory. Every read of the API is served
 * from here, so the number of browsers never changes the traffic to a phone.
 * It keeps the last good lines and accounts through errors (the dashboard
 * shows old data with its age rather than nothing), and notifies listeners
 * synchronously, and only when something visible changed.
 */
import type {
  AccountView,
  CallEvent,
  CallerContact,
  CallFlow,
  LineView,
  PhoneState,
} from '@linedeck/contract';
import type { FirstLine } from '../calls/calls-store.ts';
import { diffCalls, phaseOf } from './call-events.ts';
import {
  callEventsOfPush,
  flagsOfPush,
  newLedger,
  type PushLedger,
  reconcilePoll,
  type TrustedPush,
} from './push-events.ts';
import {
  atPollTime,
  buildState,
  type CtiAccount,
  type CtiLine,
  mapAccounts,
  mapLines,
  sameJson,
  sameLines,
  visiblyDifferent,
} from './state-mapping.ts';

interface Entry {
  /** Whether lines were read since the start: the first read of them has nothing to compare with. */
  linesRead: boolean;
  dnd: boolean | null;
  forward: PhoneState['forward'];
  lines: LineView[];
  accounts: AccountView[];
  phoneStatus: string | null;
  updatedAt: string | null;
  error: PhoneState['error'];
  state: PhoneState;
  /** What trusted pushes and polls announced, so neither announces a ring the other did. */
  ledger: PushLedger;
  /** The transfer or conference the server runs on this phone (flows/), kept through polls. */
  flow?: CallFlow | null;
  /** What `state` was last built from; a commit that finds the same builds nothing. */
  built?: BuiltFrom;
}

/**
 * The parts a state is built from, by identity: lines and accounts are kept as the same arrays while
 * unchanged (mapLines, mapAccounts), so a quiet poll finds every part as it was. `polled` because a
 * phone never read shows `unknown`; `callers` because a contact change names callers anew.
 */
interface BuiltFrom {
  lines: LineView[];
  accounts: AccountView[];
  phoneStatus: string | null;
  polled: boolean;
  dnd: boolean | null;
  forward: PhoneState['forward'];
  error: PhoneState['error'];
  flow: CallFlow | null | undefined;
  callers: number;
}

export interface PollResult {
  lines?: readonly CtiLine[];
  /** The `body` word of api-get_phone_status (available, busy...). */
  phoneStatus?: string | null;
  accounts?: readonly CtiAccount[];
}

/** Names a caller from their number (contacts/caller-index.ts): must be cheap, it runs on every poll. */
export type CallerLookup = (remoteNumber: string) => CallerContact | null;
type StateListener = (state: PhoneState) => void;
type CallListener = (event: CallEvent) => void;

type FirstLinesListener = (phoneId: string, lines: readonly FirstLine[], at: string) => void;

export class StateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly callListeners = new Set<CallListener>();
  private readonly firstLinesListeners = new Set<FirstLinesListener>();
  private readonly removeListeners = new Set<(phoneId: string) => void>();
  private callerLookup: CallerLookup | undefined;
  /** Counts setCallerLookup calls: the same lookup set again means its contacts changed. */
  private callerGeneration = 0;

  /**
   * Contacts name the callers in every state and call event built from here (one source of truth for
   * the REST reads and SSE). Setting it again (contacts changed) re-derives every phone's state.
   */
  setCallerLookup(lookup: CallerLookup | undefined): void {
    this.callerLookup = lookup;
    this.callerGeneration++;
    for (const [phoneId, entry] of this.entries) this.commit(phoneId, entry);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onCall(listener: CallListener): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /**
   * A phone's first read of its lines since the start, which makes no call events: the call journal
   * learns from it which calls the last run left open are still going.
   */
  onFirstLines(listener: FirstLinesListener): () => void {
    this.firstLinesListeners.add(listener);
    return () => this.firstLinesListeners.delete(listener);
  }

  /** A phone removed from the registry (the call journal ends its open calls). */
  onRemove(listener: (phoneId: string) => void): () => void {
    this.removeListeners.add(listener);
    return () => this.removeListeners.delete(listener);
  }

  get(phoneId: string): PhoneState | undefined {
    return this.entries.get(phoneId)?.state;
  }

  all(): PhoneState[] {
    return [...this.entries.values()].map((e) => e.state);
  }

  /** The mapped lines as last seen (for a command watching its own effect). */
  lines(phoneId: string): readonly LineView[] {
    return this.entries.get(phoneId)?.lines ?? [];
  }

  /** A phone the cache has not read yet: status `unknown`, no lines. */
  add(phoneId: string): PhoneState {
    const existing = this.entries.get(phoneId);
    if (existing) return existing.state;
    const entry: Entry = {
      linesRead: false,
      dnd: null,
      forward: null,
      lines: [],
      accounts: [],
      phoneStatus: null,
      updatedAt: null,
      error: undefined,
      ledger: newLedger(),
      state: buildState({ phoneId, lines: [], accounts: [], phoneStatus: null, updatedAt: null }),
    };
    this.entries.set(phoneId, entry);
    this.emitState(entry.state);
    return entry.state;
  }

  remove(phoneId: string): void {
    this.entries.delete(phoneId);
    for (const l of this.removeListeners) l(phoneId);
  }

  /** A successful read (possibly partial: lines only, accounts only). Clears the error. */
  applyPoll(phoneId: string, result: PollResult, now: Date = new Date()): PhoneState | undefined {
    const entry = this.entries.get(phoneId);
    if (!entry) return undefined;
    const at = now.toISOString();
    let calls: CallEvent[] = [];
    const firstLines = result.lines !== undefined && !entry.linesRead;
    if (result.lines) {
      const mapped = mapLines(result.lines, entry.lines, at);
      // Most polls see the lines unchanged: keep the old ones (and skip the diff, which finds nothing).
      const unchanged = !firstLines && sameLines(entry.lines, mapped);
      const lines = unchanged ? entry.lines : mapped;
      // The first read after boot has nothing to compare with: no events from it.
      const seen = !firstLines && !unchanged ? diffCalls(entry.lines, lines, { phoneId, at }) : [];
      calls = reconcilePoll(entry.ledger, seen, { phoneId, lines, at, nowMs: now.getTime() });
      entry.lines = lines;
      entry.linesRead = true;
    }
    if (result.accounts) entry.accounts = mapAccounts(result.accounts, entry.accounts);
    if (result.phoneStatus !== undefined) entry.phoneStatus = result.phoneStatus;
    entry.updatedAt = at;
    entry.error = undefined;
    this.commit(phoneId, entry);
    if (firstLines) this.emitFirstLines(phoneId, entry.lines, at);
    this.emitCalls(calls);
    return entry.state;
  }

  /**
   * A trusted Action URL push (phones/push-events.ts): its ringing or missed call at once, unless a poll
   * already announced it; DND and forward as it reports them. `pollInFlight`: a poll was running when
   * the push arrived, so its answer may predate the push and must not be read as "the ring is over".
   */
  applyPush(
    phoneId: string,
    push: TrustedPush,
    options: { pollInFlight?: boolean; now?: Date } = {},
  ): PhoneState | undefined {
    const entry = this.entries.get(phoneId);
    if (!entry) return undefined;
    const now = options.now ?? new Date();
    const flags = flagsOfPush(push.event, entry.forward);
    if (flags) this.applyFlags(phoneId, flags);
    this.emitCalls(
      callEventsOfPush(entry.ledger, push, {
        phoneId,
        lines: entry.lines,
        at: now.toISOString(),
        nowMs: now.getTime(),
        pollInFlight: options.pollInFlight ?? false,
        dnd: entry.dnd,
      }),
    );
    return entry.state;
  }

  /**
   * DND and forward as the config API read them or a trusted push reported them; `undefined` leaves a
   * flag as it was, `null` makes it unknown again. Does not touch the poll time or the error.
   */
  applyFlags(
    phoneId: string,
    flags: { dnd?: boolean | null; forward?: PhoneState['forward'] },
  ): PhoneState | undefined {
    const entry = this.entries.get(phoneId);
    if (!entry) return undefined;
    if (flags.dnd !== undefined) entry.dnd = flags.dnd;
    if (flags.forward !== undefined) entry.forward = flags.forward;
    this.commit(phoneId, entry);
    return entry.state;
  }

  /**
   * The visible progress of a transfer or conference (flows/): every page sees it by SSE; null when none.
   * Does not touch the poll time, the lines or the error.
   */
  applyFlow(phoneId: string, flow: CallFlow | null): PhoneState | undefined {
    const entry = this.entries.get(phoneId);
    if (!entry) return undefined;
    entry.flow = flow;
    this.commit(phoneId, entry);
    return entry.state;
  }

  /** A failed read: keeps the last good lines and accounts, shows the error and its status. */
  applyError(phoneId: string, error: NonNullable<PhoneState['error']>): PhoneState | undefined {
    const entry = this.entries.get(phoneId);
    if (!entry) return undefined;
    const next = {
      code: error.code,
      message: error.message,
      ...(error.auth ? { auth: error.auth } : {}),
    };
    // The same failure poll after poll (a phone off the network) keeps its object: nothing to rebuild.
    if (!sameJson(entry.error, next)) entry.error = next;
    this.commit(phoneId, entry);
    return entry.state;
  }

  private commit(phoneId: string, entry: Entry): void {
    if (this.builtFromSame(entry)) {
      // A quiet poll: only the poll time moved. No lines array, caller lookups or state to build and
      // compare, only the state's poll time.
      if (entry.state.updatedAt !== entry.updatedAt) entry.state = atPollTime(entry.state, entry.updatedAt);
      return;
    }
    entry.built = {
      lines: entry.lines,
      accounts: entry.accounts,
      phoneStatus: entry.phoneStatus,
      polled: entry.updatedAt !== null,
      dnd: entry.dnd,
      forward: entry.forward,
      error: entry.error,
      flow: entry.flow,
      callers: this.callerGeneration,
    };
    const built = buildState({
      phoneId,
      lines: entry.lines.map((l) => this.withCaller(l)),
      accounts: entry.accounts,
      phoneStatus: entry.phoneStatus,
      updatedAt: entry.updatedAt,
      dnd: entry.dnd,
      forward: entry.forward,
      error: entry.error,
    });
    const next = entry.flow ? { ...built, flow: entry.flow } : built;
    const changed = visiblyDifferent(entry.state, next);
    // Unchanged but for the poll time: the old state's lines and accounts (equal) carry over, so a poll
    // of a quiet phone leaves one small object behind, not a second copy of everything it shows.
    entry.state = changed ? next : atPollTime(entry.state, next.updatedAt);
    if (changed) this.emitState(next);
  }

  private builtFromSame(entry: Entry): boolean {
    const b = entry.built;
    return (
      b !== undefined &&
      b.lines === entry.lines &&
      b.accounts === entry.accounts &&
      b.phoneStatus === entry.phoneStatus &&
      b.polled === (entry.updatedAt !== null) &&
      b.dnd === entry.dnd &&
      b.forward === entry.forward &&
      b.error === entry.error &&
      b.flow === entry.flow &&
      b.callers === this.callerGeneration
    );
  }

  /** The line or event with `contact` when its number is a contact's; unchanged otherwise. */
  private withCaller<T extends { remoteNumber: string }>(item: T): T {
    if (!this.callerLookup || item.remoteNumber === '') return item;
    const contact = this.callerLookup(item.remoteNumber);
    return contact ? { ...item, contact } : item;
  }

  private emitFirstLines(phoneId: string, lines: readonly LineView[], at: string): void {
    if (this.firstLinesListeners.size === 0) return;
    const shown = lines.map((l) =>
      this.withCaller({
        line: l.line,
        phase: phaseOf(l),
        remoteNumber: l.remoteNumber,
        remoteName: l.remoteName,
        account: l.account,
      }),
    );
    for (const l of this.firstLinesListeners) l(phoneId, shown, at);
  }

  private emitCalls(calls: readonly CallEvent[]): void {
    for (const event of calls) {
      const named = this.withCaller(event);
      for (const l of this.callListeners) l(named);
    }
  }

  private emitState(state: PhoneState): void {
    for (const l of this.stateListeners) l(state);
  }
}
