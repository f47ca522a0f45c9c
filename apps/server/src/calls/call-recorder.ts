/**
 * Turns the reconciled stream of CallEvents (polls and trusted pushes, phones/state-cache.ts) into the
 * call journal. `onCallEvent` runs inside the poll: it only folds the event into memory (call-rules.ts);
 * the store is written by `flush`, on a timer, one `save` for every call that changed, and a call's SSE
 * event is published only once that save resolved, so whoever hears of a call can read it.
 */
import { randomUUID } from 'node:crypto';
import type { Call, CallEvent } from '@linedeck/contract';
import type { CountryCode } from '@linedeck/contract/numbers';
import type { Logger } from '../logger.ts';
import {
  type ActiveIntent,
  amendLate,
  awaitsIntent,
  closeInterrupted,
  endCall,
  enterPhase,
  foldCallEvent,
  INTENT_GRACE_MS,
  isActive,
  resumeInterrupted,
  type Track,
} from './call-rules.ts';
import type { CallIntent, CallIntents, CallsStore, FirstLine, StoredCall } from './calls-store.ts';

/** An open call's lastSeenAt is written again this often (what a restart closes it at). */
export const OPEN_CALL_REFRESH_MS = 30_000;
const DEFAULT_FLUSH_MS = 250;
const MAX_RECENT_PER_PHONE = 8;
/** A call going on at a start is over within this; later events on its line are new calls. */
const RECOVERED_MARK_MS = 3_600_000;
/** The events a poll would have seen for a call found in progress on a line it read for the first time. */
const FOUND_AS: Partial<Record<string, CallEvent['kind'][]>> = {
  ringing: ['ringing'],
  outgoing: ['dialing'],
  talking: ['answered'],
  held: ['answered', 'held'],
};

/** How long a call the last run left open waits for its phone's first read before it is closed. */
const RECOVERY_WAIT_MS = 20_000;

export interface CallRecorderOptions {
  store: CallsStore;
  /** Announces a call (SSE); called after the call is in the store. */
  publish: (call: Call) => void;
  logger: Logger;
  defaultCountry?: CountryCode | undefined;
  now?: () => Date;
  flushMs?: number;
  /** When the phone was last read successfully: an open call is not "seen" past it (phone offline). */
  lastReadAt?: (phoneId: string) => string | null | undefined;
  /** How long open calls of the last run wait for their phone's first read (default 20 s). */
  recoveryWaitMs?: number;
}

interface Change {
  call: StoredCall;
  /** False for a refresh of lastSeenAt only: nothing a reader sees changed. */
  publish: boolean;
}

function toCall(stored: StoredCall): Call {
  const { lastSeenAt: _, ...call } = stored;
  return call;
}

export class CallRecorder implements CallIntents {
  /** Open calls by phone, then line. */
  private readonly open = new Map<string, Map<number, Track>>();
  /** Calls closed in the last few seconds, by phone: an intent that comes late may still amend them. */
  private readonly recent = new Map<string, StoredCall[]>();
  private readonly intents = new Map<string, ActiveIntent[]>();
  /** Lines whose call of the last run was closed without the phone's word: its end, seen later, is no new call. */
  private readonly recovered = new Map<string, { line: number; remoteNumber: string; atMs: number }[]>();
  /** Calls the last run left open, by phone, until the phone's first read says whether they go on. */
  private readonly awaiting = new Map<string, StoredCall[]>();
  private recoveryTimer: NodeJS.Timeout | undefined;
  private recovering = false;
  private readonly changes = new Map<string, Change>();
  private readonly country: CountryCode | null;
  private readonly now: () => Date;
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private lastRefreshMs = 0;

  constructor(private readonly options: CallRecorderOptions) {
    this.country = options.defaultCountry ?? null;
    this.now = options.now ?? (() => new Date());
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? DEFAULT_FLUSH_MS);
    this.timer.unref();
  }

  /** One event of the poll or a push: folded in memory, written at the next flush. Never awaits. */
  onCallEvent(event: CallEvent): void {
    const { phoneId, line } = event;
    // An event (a push) before the phone's first read: what the last run left open there is over.
    this.closeAwaiting(phoneId, (c) => c.line === line);
    if (this.swallowRecovered(event)) return;
    let lines = this.open.get(phoneId);
    if (!lines) {
      lines = new Map();
      this.open.set(phoneId, lines);
    }
    const nowMs = this.now().getTime();
    const result = foldCallEvent(lines.get(line) ?? this.movedRing(lines, event), event, {
      newId: randomUUID,
      defaultCountry: this.country,
      intents: this.activeIntents(phoneId, nowMs),
    });
    if (result.open) {
      lines.set(line, result.open);
      this.changed(result.open.call);
    } else lines.delete(line);
    for (const closed of result.closed) {
      this.changed(closed.call);
      this.rememberClosed(closed.call, nowMs);
    }
    if (result.used.length > 0) this.dropIntents(phoneId, result.used);
  }

  intend(intent: CallIntent): { done(ok: boolean): void } {
    const active: ActiveIntent = { intent, doneAtMs: null };
    const list = this.intents.get(intent.phoneId) ?? [];
    list.push(active);
    this.intents.set(intent.phoneId, list);
    return {
      done: (ok) => {
        if (!ok) {
          this.dropIntents(intent.phoneId, [active]);
          return;
        }
        active.doneAtMs = this.now().getTime();
        // Still unused: the poll may have seen the change before the command was answered.
        if (this.intents.get(intent.phoneId)?.includes(active)) this.applyLate(active);
      },
    };
  }

  /**
   * At start, before any poll: the calls the previous run left open wait for their phone's first read
   * (`onFirstLines`), which resumes those still on their line and closes the others as interrupted, at
   * when they were last seen. A phone not read within `recoveryWaitMs` has its calls closed so. Answers
   * how many calls were left open; a second call answers 0.
   */
  async recoverInterrupted(): Promise<number> {
    if (this.recovering) return 0;
    this.recovering = true;
    const open = await this.options.store.openCalls();
    if (open.length === 0) return 0;
    for (const call of open) {
      const list = this.awaiting.get(call.phoneId) ?? [];
      list.push(call);
      this.awaiting.set(call.phoneId, list);
    }
    this.recoveryTimer = setTimeout(() => {
      for (const phoneId of [...this.awaiting.keys()]) this.closeAwaiting(phoneId);
    }, this.options.recoveryWaitMs ?? RECOVERY_WAIT_MS);
    this.recoveryTimer.unref();
    this.options.logger.info(
      { calls: open.length },
      'calls open when LineDeck stopped: each goes on if its phone still shows it, else closes as interrupted',
    );
    return open.length;
  }

  /**
   * The phone's first read since the start (or since it was added): its calls the last run left open go
   * on where the line still shows them, the others close as interrupted; a call in progress the journal
   * does not know (it began while LineDeck was stopped) is recorded from now, as a poll would have seen it
   * begin: its start is not known, so it is when LineDeck first saw it.
   */
  onFirstLines(phoneId: string, lines: readonly FirstLine[], at: string): void {
    const waiting = this.awaiting.get(phoneId) ?? [];
    this.awaiting.delete(phoneId);
    let resumed = 0;
    for (const call of waiting) {
      const shown = lines.find((l) => l.line === call.line);
      const track = shown && resumeInterrupted(call, shown, at, this.country);
      const lineTaken = this.open.get(phoneId)?.has(call.line) ?? false;
      if (!track || lineTaken) {
        this.closeInterruptedCall(call, false);
        continue;
      }
      const open = this.open.get(phoneId) ?? new Map<number, Track>();
      open.set(call.line, track);
      this.open.set(phoneId, open);
      this.changed(track.call);
      resumed++;
    }
    if (resumed > 0)
      this.options.logger.info(
        { phoneId, calls: resumed },
        'calls going on since before the start followed again',
      );
    for (const shown of lines) {
      const kinds = FOUND_AS[shown.phase];
      if (!kinds || this.open.get(phoneId)?.has(shown.line)) continue;
      const { line, remoteName, remoteNumber, account, contact } = shown;
      const found = { phoneId, line, remoteName, remoteNumber, at, account, contact: contact ?? null };
      for (const kind of kinds) this.onCallEvent({ ...found, kind });
    }
  }

  /** A removed phone: its open calls end now, with what is known. */
  forgetPhone(phoneId: string): void {
    this.closeAwaiting(phoneId);
    const at = this.now().toISOString();
    for (const track of this.open.get(phoneId)?.values() ?? []) {
      this.changed(endCall(track, at, undefined, []).track.call);
    }
    this.open.delete(phoneId);
    this.recent.delete(phoneId);
    this.intents.delete(phoneId);
    this.recovered.delete(phoneId);
  }

  /** Writes every changed call in one save, then announces them. A failed save is retried next time. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops the timer and writes what is left. Open calls stay open: the next start recovers them. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    // Calls still waiting for their phone stay open in the store: the next start waits for them again.
    clearTimeout(this.recoveryTimer);
    // Open calls were seen going until now: a next start that finds them ended closes them there.
    this.writing = this.writing.then(() => this.write(true));
    await this.writing;
  }

  private async write(everyOpenCall = false): Promise<void> {
    this.refreshOpenCalls(everyOpenCall);
    if (this.changes.size === 0) return;
    const batch = [...this.changes.values()];
    this.changes.clear();
    try {
      await this.options.store.save(batch.map((c) => c.call));
    } catch (err) {
      this.options.logger.error(
        { err: (err as Error).message, calls: batch.length },
        'call journal: saving calls failed; retried at the next flush',
      );
      // A newer version changed since is the one to write; an announcement still owed stays owed.
      for (const c of batch) {
        const newer = this.changes.get(c.call.id);
        this.changes.set(c.call.id, newer ? { ...newer, publish: newer.publish || c.publish } : c);
      }
      return;
    }
    for (const c of batch) if (c.publish) this.options.publish(toCall(c.call));
  }

  /** Open calls re-saved with their seconds and lastSeenAt brought up to now, every 30 s (or all now). */
  private refreshOpenCalls(everyOpenCall: boolean): void {
    const nowMs = this.now().getTime();
    if (!everyOpenCall && nowMs - this.lastRefreshMs < OPEN_CALL_REFRESH_MS) return;
    this.lastRefreshMs = nowMs;
    for (const [phoneId, lines] of this.open) {
      const readAt = this.options.lastReadAt?.(phoneId);
      const seenMs = readAt ? Math.min(nowMs, Date.parse(readAt)) : nowMs;
      for (const [line, track] of lines) {
        const age = seenMs - Date.parse(track.call.lastSeenAt);
        if (age <= 0 || (!everyOpenCall && age < OPEN_CALL_REFRESH_MS)) continue;
        const refreshed = enterPhase(track, track.phase, seenMs);
        lines.set(line, refreshed);
        const owed = this.changes.get(refreshed.call.id)?.publish ?? false;
        this.changes.set(refreshed.call.id, { call: refreshed.call, publish: owed });
      }
    }
  }

  /**
   * Closes the calls of the last run still waiting on this phone (those `which` picks) as interrupted.
   * Closed without the phone's word (`onCallEvent`, the wait over, a removed phone), the line is marked
   * so that its end, when the phone shows it, is not taken for a new call.
   */
  private closeAwaiting(phoneId: string, which: (call: StoredCall) => boolean = () => true): void {
    const waiting = this.awaiting.get(phoneId);
    if (!waiting) return;
    const left = waiting.filter((c) => !which(c));
    for (const call of waiting) if (which(call)) this.closeInterruptedCall(call, true);
    if (left.length === 0) this.awaiting.delete(phoneId);
    else this.awaiting.set(phoneId, left);
  }

  private closeInterruptedCall(call: StoredCall, markLine: boolean): void {
    this.changed(closeInterrupted(call));
    if (!markLine) return;
    const lines = this.recovered.get(call.phoneId) ?? [];
    lines.push({ line: call.line, remoteNumber: call.remoteNumber, atMs: this.now().getTime() });
    this.recovered.set(call.phoneId, lines);
  }

  private changed(call: StoredCall): void {
    this.changes.set(call.id, { call, publish: true });
  }

  private activeIntents(phoneId: string, nowMs: number): ActiveIntent[] {
    const list = this.intents.get(phoneId);
    if (!list) return [];
    const active = list.filter((a) => isActive(a, nowMs));
    if (active.length === 0) this.intents.delete(phoneId);
    else if (active.length !== list.length) this.intents.set(phoneId, active);
    return active;
  }

  private dropIntents(phoneId: string, used: readonly ActiveIntent[]): void {
    const left = (this.intents.get(phoneId) ?? []).filter((a) => !used.includes(a));
    if (left.length === 0) this.intents.delete(phoneId);
    else this.intents.set(phoneId, left);
  }

  private rememberClosed(call: StoredCall, nowMs: number): void {
    const kept = (this.recent.get(call.phoneId) ?? []).filter(
      (c) => nowMs - Date.parse(c.endedAt ?? c.startedAt) <= INTENT_GRACE_MS,
    );
    kept.push(call);
    // A phone has a few lines: more calls closing within seconds than that are not worth keeping.
    this.recent.set(call.phoneId, kept.slice(-MAX_RECENT_PER_PHONE));
  }

  /** The open or just closed call a late intent was meant for, amended (the newest first). */
  private applyLate(active: ActiveIntent): void {
    const { intent } = active;
    const nowMs = this.now().getTime();
    const lines = this.open.get(intent.phoneId);
    for (const track of lines?.values() ?? []) if (awaitsIntent(track, intent)) return;
    for (const [line, track] of lines ?? []) {
      const amended = amendLate(track.call, intent, nowMs, this.country);
      if (!amended) continue;
      lines?.set(line, { ...track, call: amended });
      this.changed(amended);
      this.dropIntents(intent.phoneId, [active]);
      return;
    }
    const recent = this.recent.get(intent.phoneId) ?? [];
    for (let i = recent.length - 1; i >= 0; i--) {
      const amended = amendLate(recent[i] as StoredCall, intent, nowMs, this.country);
      if (!amended) continue;
      recent[i] = amended;
      this.changed(amended);
      this.dropIntents(intent.phoneId, [active]);
      return;
    }
  }

  /**
   * A push does not say which line rings, so a pushed ring may sit on another line than the one the poll
   * then sees answered: that ring (same caller, still ringing) moves to this line rather than stay open.
   */
  private movedRing(lines: Map<number, Track>, event: CallEvent): Track | undefined {
    if (event.kind !== 'answered') return undefined;
    for (const [line, track] of lines) {
      if (track.phase !== 'ringing' || track.call.remoteNumber !== event.remoteNumber) continue;
      lines.delete(line);
      return { ...track, call: { ...track.call, line: event.line } };
    }
    return undefined;
  }

  /**
   * After a start, the first poll read the lines without events: a call going on then was closed as
   * interrupted, and its end (or answer) seen now is not a new call.
   */
  private swallowRecovered(event: CallEvent): boolean {
    const list = this.recovered.get(event.phoneId);
    if (!list || this.open.get(event.phoneId)?.has(event.line)) return false;
    const nowMs = this.now().getTime();
    const i = list.findIndex((r) => r.line === event.line && nowMs - r.atMs < RECOVERED_MARK_MS);
    if (i === -1) return false;
    const [mark] = list.splice(i, 1);
    if (list.length === 0) this.recovered.delete(event.phoneId);
    const starts = event.kind === 'ringing' || event.kind === 'dialing';
    const sameCall = !event.remoteNumber || !mark?.remoteNumber || event.remoteNumber === mark.remoteNumber;
    return !starts && sameCall;
  }
}
