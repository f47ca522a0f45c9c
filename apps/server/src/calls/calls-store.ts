/**
 * The seam between the call recorder (call-recorder.ts, which turns line transitions into calls) and
 * the journal's storage (calls-repository.ts, SQL only). The recorder writes; the routes read.
 */
import type {
  Call,
  CallerContact,
  CallPage,
  CallsQuery,
  CallsToday,
  OperationBody,
} from '@linedeck/contract';

/** A call as stored: the contract's Call and when LineDeck last saw it going (for closing it after a restart). */
export interface StoredCall extends Call {
  lastSeenAt: string;
}

/** What a reader may see: null means every phone; a list limits the query to those phones. */
export type PhoneScope = readonly string[] | null;

export interface CallsStore {
  /**
   * Inserts each call, or replaces the stored one with the same id; all in one transaction, with the rows
   * written alongside (the webhooks' deliveries of the calls' milestones): all stored, or none.
   */
  save(calls: readonly StoredCall[]): Promise<void>;
  /** Calls still open (`endedAt` null): the ones LineDeck was following when it stopped. */
  openCalls(): Promise<StoredCall[]>;
  /** One page, newest first (`startedAt`, then `id`), with the filters of the query already parsed. */
  page(query: CallsQuery, scope: PhoneScope): Promise<CallPage>;
  /** Missed incoming calls started after `seenBefore` (every one when null), within the scope. */
  missedCount(seenBefore: string | null, scope: PhoneScope): Promise<number>;
  /** The user's "seen up to" mark, null when they never marked any. */
  seenBefore(userId: string): Promise<string | null>;
  /** Moves the user's mark forward (never back: an older `before` changes nothing). */
  markSeen(userId: string, before: string): Promise<void>;
  /** Incoming missed and answered counts of calls started at or after `since`, per phone and in all. */
  today(since: string, scope: PhoneScope): Promise<CallsToday>;
  /** Deletes calls that ended before `before`; answers how many. */
  prune(before: string): Promise<number>;
}

/** What LineDeck itself did to a call: who dialled, answered, rejected, ended, cancelled or transferred it. */
export type CallAction =
  | { kind: 'dial'; number: string }
  /** A phone operation; `line` undefined: the phone chose the line (the ringing one, the active one). */
  | { kind: 'operation'; command: OperationBody['command']; line?: number }
  | { kind: 'transfer'; target: string; line?: number };

export interface CallIntent {
  phoneId: string;
  /** The LineDeck user (or token, display key) that sent it. */
  username: string;
  action: CallAction;
  at: Date;
}

/**
 * The routes tell the recorder what they are about to send, before they send it: the line can change
 * before the phone's answer arrives. `done(true)` when the phone took it, `done(false)` when it did not
 * (then the intent is forgotten).
 */
export interface CallIntents {
  intend(intent: CallIntent): { done(ok: boolean): void };
}

/**
 * A line as a phone's first read since the start (or since it was added) shows it, told by the state
 * cache (phones/state-cache.ts `onFirstLines`): the recorder learns from it which calls go on.
 */
export interface FirstLine {
  line: number;
  /** phones/call-events.ts `LinePhase`: idle, ringing, outgoing, talking, held or other. */
  phase: string;
  remoteNumber: string;
  remoteName: string;
  account: number | null;
  /** The contact the number matches, absent when none. */
  contact?: CallerContact | null;
}
