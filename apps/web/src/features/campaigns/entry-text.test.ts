import { describe, expect, it } from 'vitest';
import { readEntries } from './entry-text.ts';

describe('readEntries', () => {
  it('reads numbers, names before and notes after them, and refuses the rest with the reason', () => {
    const { entries, refused } = readEntries(
      '+49 30 1234567\n\nAda Lovelace, 030-123, wants the brochure\nBob;12a\n1+2',
    );
    expect(entries).toEqual([
      { line: 1, number: '+49301234567' },
      { line: 3, number: '030123', name: 'Ada Lovelace', note: 'wants the brochure' },
    ]);
    expect(refused.map((r) => r.line)).toEqual([4, 5]);
    expect(refused[0]).toMatchObject({ text: 'Bob;12a', reason: expect.stringMatching(/cannot be dialled/) });
    expect(refused[1]?.reason).toMatch(/\+ can only come first/);
  });

  it('refuses a number a second time, naming the line that has it', () => {
    const { entries, refused } = readEntries('2001\nAda, 2001\n2002');
    expect(entries.map((e) => e.number)).toEqual(['2001', '2002']);
    expect(refused).toEqual([{ line: 2, text: '2001', reason: 'the same number as line 1' }]);
  });

  it('reads a CSV with a header row by its column names, rows counted with the header as 1', () => {
    const { entries, refused } = readEntries('Name;Phone;Notes\nAda;+49 30 1234567;VIP\nBob;;\nCy;2003;');
    expect(entries).toEqual([
      { line: 2, number: '+49301234567', name: 'Ada', note: 'VIP' },
      { line: 4, number: '2003', name: 'Cy' },
    ]);
    expect(refused).toEqual([{ line: 3, text: 'Bob, , ', reason: 'no number in this row' }]);
  });
});

describe('withDoNotCall', () => {
  it('moves entries on the do-not-call list, in any written form, to the refused', async () => {
    const { withDoNotCall } = await import('./entries-preview.tsx');
    const blocked = [
      {
        id: 'd1',
        number: '+49 30 1234567',
        e164: '+49301234567',
        digits: '49301234567',
        note: null,
        createdBy: 'admin',
        createdAt: '2026-12-01T10:00:00.000Z',
      },
    ];
    const read = withDoNotCall(readEntries('030 1234567\n2001'), blocked, 'DE');
    expect(read.entries.map((e) => e.number)).toEqual(['2001']);
    expect(read.refused).toEqual([{ line: 1, text: '0301234567', reason: 'on the do-not-call list' }]);
  });
});
