/**
 * One queue per phone: at most one CTI request in flight (phones are small
 * embedded devices, field notes "Enabling and access"), commands ahead of
 * polls, and identical polls coalesced: a read already waiting in the queue
 * is shared, never sent twice. A read that is already running is NOT shared:
 * its answer may predate a command queued after it started.
 */

export class QueueClosedError extends Error {
  override name = 'QueueClosedError';
  constructor() {
    super('The phone queue is closed');
  }
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  key?: string;
  promise?: Promise<unknown>;
}

export interface QueueStats {
  inFlight: boolean;
  commands: number;
  polls: number;
}

export class PhoneQueue {
  private readonly commands: Job[] = [];
  private readonly polls: Job[] = [];
  private busy = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  /** A command: never coalesced, always ahead of waiting polls, FIFO among commands. */
  command<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    return new Promise<T>((resolve, reject) => {
      this.commands.push({ run: task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** A read: shares the promise of a waiting read with the same key. */
  poll<T>(key: string, task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    for (const waiting of this.polls) if (waiting.key === key) return waiting.promise as Promise<T>;
    let resolve!: Job['resolve'];
    let reject!: Job['reject'];
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = { run: task, resolve, reject, key, promise };
    this.polls.push(job);
    this.pump();
    return job.promise as Promise<T>;
  }

  stats(): QueueStats {
    return { inFlight: this.busy, commands: this.commands.length, polls: this.polls.length };
  }

  /**
   * Stops taking work. Waiting reads are dropped (their promises reject with
   * QueueClosedError); waiting and running commands finish, because a command
   * the user saw accepted must not vanish at shutdown. Resolves when idle.
   */
  close(): Promise<void> {
    this.closed = true;
    for (const job of this.polls.splice(0)) job.reject(new QueueClosedError());
    return this.idle();
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (!this.busy && this.commands.length === 0 && this.polls.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.busy) return;
    const job = this.commands.shift() ?? this.polls.shift();
    if (!job) {
      // Every poll ends here: no new array unless someone waits.
      if (this.idleWaiters.length === 0) return;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
      return;
    }
    this.busy = true;
    let result: Promise<unknown>;
    try {
      result = job.run();
    } catch (err) {
      result = Promise.reject(err);
    }
    // `then(next, next)` rather than `finally`: the same moment, without finally's promise and closures.
    result.then(job.resolve, job.reject).then(this.next, this.next);
  }

  private readonly next = (): void => {
    this.busy = false;
    this.pump();
  };
}
