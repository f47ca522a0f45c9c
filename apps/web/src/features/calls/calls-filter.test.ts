import { describe, expect, it } from 'vitest';
import { apiFilter, callsPath, hasFilter, NO_FILTER, parseFilter } from './calls-filter.ts';

describe('the Calls page address', () => {
  it('round-trips the filters through the address', () => {
    const filter = {
      ...NO_FILTER,
      phoneId: 'p 1',
      direction: 'incoming' as const,
      outcome: 'missed' as const,
      fromDay: '2026-11-30',
      toDay: '2026-12-01',
      number: '030 1234567',
      q: 'Ada',
    };
    const path = callsPath(filter);
    expect(path.startsWith('/calls?')).toBe(true);
    expect(parseFilter(path.slice('/calls'.length))).toEqual(filter);
    expect(callsPath(NO_FILTER)).toBe('/calls');
  });

  it('leaves out what it cannot use rather than guess', () => {
    const filter = parseFilter('?direction=sideways&outcome=lost&from=2026-02-31&to=yesterday');
    expect(filter).toEqual(NO_FILTER);
    expect(hasFilter(filter)).toBe(false);
  });

  it('asks the API for whole local days: from the first midnight to the midnight after the last day', () => {
    const api = apiFilter({ ...NO_FILTER, fromDay: '2026-03-28', toDay: '2026-03-29', q: ' Ada ' });
    expect(api.from).toBe(new Date(2026, 2, 28).toISOString());
    expect(api.to).toBe(new Date(2026, 2, 30).toISOString());
    expect(api.q).toBe('Ada');
    expect(api.phoneId).toBeUndefined();
    expect(api.number).toBeUndefined();
  });
});
