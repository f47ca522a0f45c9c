import { describe, expect, it } from 'vitest';
import { PhoneQueue, QueueClosedError } from './phone-queue.ts';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('PhoneQueue', () => {
  it('runs one task at a time', async () => {
    const q = new PhoneQueue();
    let running = 0;
    let max = 0;
    const task = async () => {
      running++;
      max = Math.max(max, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all([q.command(task), q.poll('a', task), q.command(task), q.poll('b', task)]);
    expect(max).toBe(1);
  });

  it('runs commands ahead of waiting polls', async () => {
    const q = new PhoneQueue();
    const order: string[] = [];
    const gate = deferred();
    const first = q.poll('lines', async () => {
      await gate.promise;
      order.push('poll-1');
    });
    const p2 = q.poll('phone', async () => order.push('poll-2'));
    const c1 = q.command(async () => order.push('cmd-1'));
    const c2 = q.command(async () => order.push('cmd-2'));
    gate.resolve();
    await Promise.all([first, p2, c1, c2]);
    expect(order).toEqual(['poll-1', 'cmd-1', 'cmd-2', 'poll-2']);
  });

  it('coalesces a waiting poll with the same key, never a running one', async () => {
    const q = new PhoneQueue();
    const gate = deferred();
    let runs = 0;
    const running = q.poll('lines', async () => {
      runs++;
      await gate.promise;
      return runs;
    });
    const a = q.poll('lines', async () => ++runs);
    const b = q.poll('lines', async () => ++runs);
    expect(a).toBe(b);
    gate.resolve();
    expect(await running).toBe(1);
    expect(await a).toBe(2);
    expect(runs).toBe(2);
  });

  it('never coalesces commands', async () => {
    const q = new PhoneQueue();
    let runs = 0;
    await Promise.all([q.command(async () => runs++), q.command(async () => runs++)]);
    expect(runs).toBe(2);
  });

  it('passes errors to the caller and keeps going', async () => {
    const q = new PhoneQueue();
    await expect(q.command(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      q.command(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await q.poll('x', async () => 7)).toBe(7);
  });

  it('close drops waiting polls, lets commands finish, then refuses work', async () => {
    const q = new PhoneQueue();
    const gate = deferred();
    const done: string[] = [];
    const running = q.poll('lines', async () => {
      await gate.promise;
      done.push('running');
    });
    const waitingPoll = q.poll('phone', async () => done.push('poll'));
    const waitingCmd = q.command(async () => done.push('cmd'));
    const closed = q.close();
    gate.resolve();
    await expect(waitingPoll).rejects.toBeInstanceOf(QueueClosedError);
    await running;
    await waitingCmd;
    await closed;
    expect(done).toEqual(['running', 'cmd']);
    await expect(q.command(async () => 1)).rejects.toBeInstanceOf(QueueClosedError);
    expect(q.stats()).toEqual({ inFlight: false, commands: 0, polls: 0 });
  });
});
