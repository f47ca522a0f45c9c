import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles from the poll interval up to the cap', () => {
    const opts = { baseMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 50, 5000].map((n) => backoffDelay(n, opts))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });
  it('never goes below the interval', () => {
    expect(backoffDelay(-1, { baseMs: 50, maxMs: 400 })).toBe(50);
  });
});
