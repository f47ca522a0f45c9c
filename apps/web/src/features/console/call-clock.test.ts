import type { LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { type CallClock, callTimes, nextClock } from './call-clock.ts';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
const ms = (s: number) => Date.parse(at(s));
const line = (state: string, sinceS: number | null, number = '5551234'): LineView => ({
  line: 1,
  state,
  known: true,
  remoteName: '',
  remoteNumber: number,
  account: 0,
  active: true,
  conference: false,
  since: sinceS === null ? null : at(sinceS),
});

function run(steps: LineView[]): CallClock | undefined {
  let clock: CallClock | undefined;
  for (const step of steps) clock = nextClock(clock, step, ms(1000));
  return clock;
}

describe('the call clock', () => {
  it('counts the whole call through hold and resume, with the hold time apart', () => {
    const clock = run([line('connected', 0), line('onhold', 30), line('connected', 72)]);
    expect(clock).toBeDefined();
    if (!clock) return;
    const times = callTimes(clock, ms(100));
    expect(times.callMs).toBe(100_000);
    expect(times.heldMs).toBe(42_000);
    expect(times.holdingMs).toBeUndefined();
  });

  it('on hold: the hold under way, and what was held before', () => {
    const clock = run([line('connected', 0), line('onhold', 10), line('connected', 20), line('onhold', 50)]);
    if (!clock) throw new Error('no clock');
    const times = callTimes(clock, ms(92));
    expect(times.holdingMs).toBe(42_000);
    expect(times.heldMs).toBe(52_000);
    expect(times.callMs).toBe(92_000);
  });

  it('another caller on the line, or the same state entered anew, is another call', () => {
    const other = run([line('connected', 0), line('onhold', 10), line('connected', 20, '999')]);
    expect(other && callTimes(other, ms(30))).toMatchObject({ callMs: 10_000, heldMs: 0 });
    const unseenEnd = run([line('connected', 0), line('connected', 40)]);
    expect(unseenEnd && callTimes(unseenEnd, ms(50)).callMs).toBe(10_000);
  });

  it('stops with the call; ringing is not part of it', () => {
    expect(run([line('connected', 0), line('idle', 5)])).toBeUndefined();
    expect(run([line('ringing', 0)])).toBeUndefined();
  });

  it('a line without `since` keeps the time it was first seen in its state', () => {
    let clock = nextClock(undefined, line('connected', null), 1000);
    clock = nextClock(clock, line('connected', null), 5000);
    expect(clock?.upSince).toBe(1000);
  });
});
