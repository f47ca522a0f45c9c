import { describe, expect, it } from 'vitest';
import { appended, dialled, EMPTY_LIST, entryStatus, parseCallList, skipped } from './call-list.ts';

describe('parseCallList', () => {
  it('reads numbers, labelled numbers, and refuses the rest with the reason', () => {
    const { entries, refused } = parseCallList('+49 30 1234567\n\nAda, 030-123\nBob;12a\n1+2');
    expect(entries).toEqual([
      { label: '+49301234567', number: '+49301234567' },
      { label: 'Ada', number: '030123' },
    ]);
    expect(refused.map((r) => r.line)).toEqual([4, 5]);
    expect(refused[0]?.reason).toMatch(/cannot be dialled/);
    expect(refused[1]?.reason).toMatch(/\+ can only come first/);
  });
});

describe('call list progress', () => {
  it('dials in order, keeps the last one current while the phone is busy, and skips', () => {
    let list = appended(EMPTY_LIST, parseCallList('1\n2\n3').entries);
    expect([0, 1, 2].map((i) => entryStatus(list, i, false))).toEqual(['next', 'waiting', 'waiting']);
    list = dialled(list);
    expect([0, 1, 2].map((i) => entryStatus(list, i, true))).toEqual(['current', 'next', 'waiting']);
    expect(entryStatus(list, 0, false)).toBe('done');
    list = skipped(list);
    expect([0, 1, 2].map((i) => entryStatus(list, i, false))).toEqual(['done', 'skipped', 'next']);
    list = skipped(skipped(list));
    expect(list.next).toBe(3);
  });
});
