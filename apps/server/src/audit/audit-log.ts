/**
 * The audit log: one row per command and per change. Implements the `Audit` seam of ./audit-seam.ts over
 * the audit repository, writing behind the answer:
 *
 * - `record` takes the row (its time, who, what) at once and queues it; the queue is written in one
 *   multi-row insert on the next turn of the event loop, so a command's answer does not wait for the
 *   database (on Postgres a network round trip). The command has reached the phone by then: writing the
 *   row after the answer loses nothing the row proves.
 * - every read (`page`) first waits for the rows queued before it, so whoever reads after a command's
 *   answer sees its row;
 * - a refused write is logged and retried with the same rows, in their order, after `retryMs` (doubling up
 *   to a minute); only past `maxPending` rows (a database down for long) are the oldest dropped, logged;
 * - `close()` (shutdown) writes what is queued.
 */
import { actorId } from '../access/permissions.ts';
import type { Logger } from '../logger.ts';
import type { AuditPage, AuditQuery, AuditRepository, AuditRow } from './audit-repository.ts';
import type { Audit, AuditRecord } from './audit-seam.ts';
import { sanitizeParams } from './sanitize.ts';

export type { AuditPage, AuditQuery } from './audit-repository.ts';

export interface AuditLogOptions {
  logger: Logger;
  /** Milliseconds since the epoch; tests move time forward. */
  now?: (() => number) | undefined;
  /** First wait before a refused write is tried again. */
  retryMs?: number;
  /** Rows kept while the database refuses them; past this the oldest go (logged). */
  maxPending?: number;
}

/** Rows per statement: 9 parameters a row stays under every driver's parameter limit. */
const BATCH_ROWS = 100;
const MAX_RETRY_MS = 60_000;
/** Tries of `close()` before it gives up on a database that keeps refusing. */
const CLOSE_TRIES = 3;

export class AuditLog implements Audit {
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly retryMs: number;
  private readonly maxPending: number;
  private pending: AuditRow[] = [];
  /**
   * Recorded but not yet made rows: a row (its sanitised params, its ISO time) is built at the write,
   * off the command's path to its answer; `at` is the moment of `record`.
   */
  private recorded: { entry: AuditRecord; at: number }[] = [];
  /** The write under way (or the last one), chained so batches land in order. */
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly repository: AuditRepository,
    options: AuditLogOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.retryMs = options.retryMs ?? 1000;
    this.maxPending = options.maxPending ?? 100_000;
  }

  /** The `Audit` seam: queues the row (written within a tick, see above); never throws. */
  record(entry: AuditRecord): void {
    this.recorded.push({ entry, at: this.now() });
    if (this.pending.length + this.recorded.length > this.maxPending) {
      this.makeRows();
      const dropped = this.pending.splice(0, this.pending.length - this.maxPending);
      this.logger.error(
        { dropped: dropped.length, since: dropped[0]?.at },
        'audit rows dropped: the database refused them for too long',
      );
    }
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Waits until every row recorded before this call was written (or its write failed: then it is retried). */
  async settled(): Promise<void> {
    if (this.pending.length + this.recorded.length > 0) await this.flush();
    else await this.writing;
  }

  /** Newest first, including every row recorded before the call; `nextCursor` is null on the last page. */
  async page(query: AuditQuery): Promise<AuditPage> {
    await this.settled();
    return this.repository.page(query);
  }

  /** Shutdown: writes what is queued (a few tries), before the database closes. */
  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (let i = 0; i < CLOSE_TRIES && this.pending.length + this.recorded.length > 0; i++)
      await this.flush();
    await this.writing;
    if (this.pending.length > 0) {
      this.logger.error(
        { lost: this.pending.length },
        'audit rows not written at shutdown: the database refused them',
      );
    }
  }

  /** Writes every queued row, after the write under way; a refusal puts the rows back in front. */
  private flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      this.makeRows();
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, BATCH_ROWS);
        try {
          await this.repository.insertMany(batch);
          this.failures = 0;
        } catch (err) {
          this.pending.unshift(...batch);
          this.failures++;
          this.logger.error(
            { err, pending: this.pending.length, failures: this.failures },
            'audit rows not written: trying again',
          );
          this.retryLater();
          return;
        }
      }
    });
    return this.writing;
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    const wait = Math.min(MAX_RETRY_MS, this.retryMs * 2 ** (this.failures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, wait);
    this.retryTimer.unref();
  }

  /** The recorded entries, as rows at the end of the queue. */
  private makeRows(): void {
    for (const { entry, at } of this.recorded) this.pending.push(this.rowOf(entry, at));
    this.recorded = [];
  }

  private rowOf(entry: AuditRecord, at: number): AuditRow {
    const principal = entry.principal;
    return {
      at: new Date(at).toISOString(),
      userId: principal ? actorId(principal) : null,
      username: principal?.username ?? null,
      role: principal?.role ?? null,
      address: entry.address ?? null,
      phoneId: entry.phoneId,
      action: entry.action,
      params: sanitizeParams(entry.params),
      result: entry.result,
    };
  }
}
