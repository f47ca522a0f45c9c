import { describe, expect, it } from 'vitest';
import { middleEllipsis } from './wall-names.ts';

describe('middleEllipsis', () => {
  const room301 = 'Conference Room Bergmannstraße 3rd floor 301';
  const room302 = 'Conference Room Bergmannstraße 3rd floor 302';

  it('leaves a name that fits as it is', () => {
    expect(middleEllipsis('Reception', 20)).toBe('Reception');
    expect(middleEllipsis(room301, room301.length)).toBe(room301);
  });

  it('keeps the end that tells similar names apart, within the limit', () => {
    for (const max of [12, 20, 27, 40]) {
      const a = middleEllipsis(room301, max);
      const b = middleEllipsis(room302, max);
      expect([...a].length, a).toBeLessThanOrEqual(max);
      expect(a).toContain('…');
      expect(a.endsWith('301')).toBe(true);
      expect(a).not.toBe(b);
    }
    expect(middleEllipsis(room301, 27)).toBe('Conference Ro…3rd floor 301');
  });

  it('starts the end at a word when one starts close by', () => {
    expect(middleEllipsis('Accounts receivable north wing desk 7', 20)).toBe('Accounts…wing desk 7');
  });

  it('counts characters, not UTF-16 units, and copes with tiny limits', () => {
    expect([...middleEllipsis('Büro 😀😀😀😀😀😀 Nord 12', 10)].length).toBeLessThanOrEqual(10);
    expect(middleEllipsis('Reception', 1)).toBe('…');
    expect(middleEllipsis('Reception', 2)).toBe('R…');
  });
});
