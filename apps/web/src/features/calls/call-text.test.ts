import { describe, expect, it } from 'vitest';
import { callName, durationsText, outcomeText, relativeTime } from './call-text.ts';

describe('call text', () => {
  it('says how long a call rang, talked and was held', () => {
    expect(durationsText({ ringSeconds: 12, talkSeconds: 0, holdSeconds: 0, answeredAt: null })).toBe(
      'Rang 0:12',
    );
    expect(durationsText({ ringSeconds: 5, talkSeconds: 184, holdSeconds: 40, answeredAt: 'x' })).toBe(
      'Rang 0:05 · talked 3:04 · on hold 0:40',
    );
    // Answered at once (a push said so): no "Rang 0:00".
    expect(durationsText({ ringSeconds: 0, talkSeconds: 61, holdSeconds: 0, answeredAt: 'x' })).toBe(
      'Talked 1:01',
    );
  });

  it('names the outcome in words, a call in progress too', () => {
    expect(outcomeText({ outcome: 'no_answer' }).label).toBe('No answer');
    expect(outcomeText({ outcome: null }).label).toBe('In progress');
  });

  it("puts the contact's name before the phone's", () => {
    expect(callName({ contact: { id: 'c', name: 'Ada Lovelace', company: null }, remoteName: 'ADA' })).toBe(
      'Ada Lovelace',
    );
    expect(callName({ contact: null, remoteName: 'ADA' })).toBe('ADA');
  });

  it('tells how long ago', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(relativeTime('2026-12-01T11:59:30Z', now)).toBe('just now');
    expect(relativeTime('2026-12-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-12-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-11-30T12:00:00Z', now)).toBe('yesterday');
  });
});
