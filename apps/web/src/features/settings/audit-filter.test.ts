import { describe, expect, it } from 'vitest';
import { auditSearch } from '../../lib/queries.ts';
import { AUDIT_PAGE_SIZE, auditFilter, localToIso, paramsText } from './audit-filter.ts';

describe('auditFilter', () => {
  it('leaves empty filters out of the query string', () => {
    const filter = auditFilter({ phoneId: '', userId: '', from: '', to: '' }, undefined);
    expect(auditSearch(filter)).toBe(`?limit=${AUDIT_PAGE_SIZE}`);
  });
  it('passes phone, user, times and cursor', () => {
    const filter = auditFilter({ phoneId: 'p 1', userId: 'u1', from: '2026-01-01T10:00', to: '' }, 42);
    const search = new URLSearchParams(auditSearch(filter));
    expect(search.get('phoneId')).toBe('p 1');
    expect(search.get('userId')).toBe('u1');
    expect(search.get('from')).toBe(new Date('2026-01-01T10:00').toISOString());
    expect(search.get('to')).toBeNull();
    expect(search.get('cursor')).toBe('42');
  });
  it('ignores an invalid time', () => {
    expect(localToIso('not a date')).toBeUndefined();
  });
});

describe('paramsText', () => {
  it('writes parameters on one line', () => {
    expect(paramsText({ number: '5551234', line: 1, keys: ['1', '2'] })).toBe(
      'number=5551234, line=1, keys=["1","2"]',
    );
  });
});
