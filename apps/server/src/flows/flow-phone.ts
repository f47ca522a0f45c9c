/**
 * What a flow does to one phone: keys and operations through the phone's queue (commands, never retried),
 * and line reads that land in the state cache, so each step is checked against what the phone shows.
 * A refusal becomes a FlowFailure with a reason a person understands; a phone that stops answering
 * stays the API error it is (unreachable, timeout, auth).
 */
import type { FlowFailureReason, LineView, OperationBody } from '@linedeck/contract';
import { AppError, fromCtiError, isCtiError } from '../errors.ts';
import { QueueClosedError } from '../phones/phone-queue.ts';
import type { PhoneEntry } from '../phones/registry.ts';
import type { StateCache } from '../phones/state-cache.ts';

/** A flow step that did not work out; `message` is for the person who started it. */
export class FlowFailure extends Error {
  override name = 'FlowFailure';
  constructor(
    readonly reason: FlowFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface FlowTiming {
  /** Pause between line reads while waiting for the phone. */
  pollMs: number;
  /** How long a key's effect may take to show in line status. */
  settleMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FlowPhone {
  constructor(
    private readonly entry: PhoneEntry,
    private readonly cache: StateCache,
    readonly timing: FlowTiming,
  ) {}

  get id(): string {
    return this.entry.id;
  }

  async keys(keys: readonly string[]): Promise<void> {
    await this.command(() => this.entry.client.sendKeys(keys));
  }

  async operate(cmd: OperationBody['command'], line: number): Promise<void> {
    await this.command(() => this.entry.client.phoneOperation(cmd, { line }));
  }

  /** A fresh read of the lines (shared with a poll already waiting in the queue), into the cache. */
  async lines(): Promise<readonly LineView[]> {
    try {
      const lines = await this.entry.queue.poll('lines', () => this.entry.client.getLineStatus());
      this.cache.applyPoll(this.entry.id, { lines });
      return this.cache.lines(this.entry.id);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /**
   * Reads the lines until `check` answers something, `stop` says to stop, or `ms` pass; answers the
   * check's value, or undefined with the last lines read.
   */
  async until<T>(
    check: (lines: readonly LineView[]) => T | undefined,
    ms: number,
    stop: () => boolean = () => false,
  ): Promise<{ value: T | undefined; lines: readonly LineView[] }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const lines = await this.lines();
      const value = check(lines);
      if (value !== undefined || stop() || Date.now() >= deadline) return { value, lines };
      await sleep(Math.min(this.timing.pollMs, Math.max(0, deadline - Date.now())));
    }
  }

  private async command(task: () => Promise<unknown>): Promise<void> {
    const stopped = this.entry.client.stoppedError();
    if (stopped) throw stopped;
    try {
      await this.entry.queue.command(task);
      this.entry.poller.kick();
    } catch (err) {
      throw this.translate(err);
    }
  }

  private translate(err: unknown): Error {
    if (err instanceof QueueClosedError) {
      return new AppError('unreachable', 'The server is shutting down.', { phoneId: this.entry.id });
    }
    if (!isCtiError(err)) return err instanceof Error ? err : new Error(String(err));
    // With the pop-up confirmation on, an unconfirmed command answers `failed` (a refused key: `unknown`).
    if (err.code === 'rejected' && err.body === 'failed') {
      return new FlowFailure(
        'not_confirmed',
        'The phone asks for a confirmation on its screen and nobody confirmed: confirm at the phone, or switch off its remote control pop-up.',
      );
    }
    if (err.code === 'rejected') return new FlowFailure('refused', 'The phone refused the step.');
    return fromCtiError(err, this.entry.id);
  }
}

export function lineOf(lines: readonly LineView[], line: number): LineView | undefined {
  return lines.find((l) => l.line === line);
}

export function stateOf(lines: readonly LineView[], line: number | null): string {
  return line === null ? 'idle' : (lineOf(lines, line)?.state ?? 'idle');
}
