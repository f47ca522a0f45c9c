import { describe, expect, it } from 'vitest';
import { callDurationMs, elapsedMs, formatAge, formatDuration } from './time.ts';

describe('time formatting', () => {
  it('formats durations as a phone does', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7_900)).toBe('0:07');
    expect(formatDuration(754_000)).toBe('12:34');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('says how old data is', () => {
    expect(formatAge(undefined)).toBe('never updated');
    expect(formatAge(1_200)).toBe('updated 1 s ago');
    expect(formatAge(240_000)).toBe('updated 4 min ago');
    expect(formatAge(7_200_000)).toBe('updated 2 h ago');
  });

  it('never gives a negative age when the server clock is ahead', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(elapsedMs('2026-01-01T00:00:02Z', now)).toBe(0);
    expect(elapsedMs('2025-12-31T23:59:55Z', now)).toBe(5000);
    expect(elapsedMs(null, now)).toBeUndefined();
    expect(elapsedMs('garbage', now)).toBeUndefined();
  });
});

describe('callDurationMs', () => {
  const since = '2026-01-01T10:00:00Z';
  const lastRead = '2026-01-01T10:00:16Z';
  const later = Date.parse('2026-01-01T10:05:00Z');

  it('runs while the phone is current', () => {
    expect(callDurationMs(since, lastRead, later, true)).toBe(300_000);
  });

  it('stands still at the last read when it is not: the same however late it is asked', () => {
    expect(callDurationMs(since, lastRead, later, false)).toBe(16_000);
    expect(callDurationMs(since, lastRead, later + 3_600_000, false)).toBe(16_000);
  });

  it('shows nothing without a start, or without a read to freeze at', () => {
    expect(callDurationMs(null, lastRead, later, false)).toBeUndefined();
    expect(callDurationMs(since, null, later, false)).toBeUndefined();
    expect(callDurationMs(since, 'garbage', later, false)).toBeUndefined();
  });
});
