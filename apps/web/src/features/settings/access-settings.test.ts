import { describe, expect, it } from 'vitest';
import { endOfDay } from './access-settings.tsx';

describe('endOfDay', () => {
  it('is the last millisecond of the chosen local day, and nothing for anything else', () => {
    const iso = endOfDay('2031-05-06') as string;
    const end = new Date(iso);
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes()]).toEqual([
      2031, 4, 6, 23, 59,
    ]);
    expect(new Date(end.getTime() + 1).getDate()).toBe(7);
    for (const bad of ['', '2031-5-6', 'tomorrow', '2031-13-40']) expect(endOfDay(bad)).toBeUndefined();
  });
});
