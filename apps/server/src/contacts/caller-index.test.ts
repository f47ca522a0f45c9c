import { describe, expect, it } from 'vitest';
import { CallerIndex, numberKey } from './caller-index.ts';

const contact = (id: string, number: string) => ({ id, name: `N${id}`, company: null, number });

describe('numberKey', () => {
  it('keeps digits and a leading +', () => {
    expect(numberKey('+49 (30) 1234-567')).toBe('+49301234567');
    expect(numberKey('0301234567')).toBe('0301234567');
    expect(numberKey('*97')).toBe('97');
    expect(numberKey('')).toBe('');
    expect(numberKey('+')).toBe('');
  });
});

describe('CallerIndex', () => {
  it('matches exactly, else on the last 8 digits; short numbers only exactly', () => {
    const index = new CallerIndex();
    index.rebuild([contact('a', '+49301234567'), contact('b', '1001'), contact('c', '*97')]);
    expect(index.lookup('+49 30 1234567')?.id).toBe('a');
    expect(index.lookup('0301234567')?.id).toBe('a');
    expect(index.lookup('004930 1234567')?.id).toBe('a');
    expect(index.lookup('1001')?.id).toBe('b');
    expect(index.lookup('21001')).toBeNull();
    expect(index.lookup('1234567')).toBeNull();
    expect(index.lookup('')).toBeNull();
    expect(index.lookup('0301234568')).toBeNull();
  });

  it('prefers the exact key, then the longest shared tail, then the first added', () => {
    const index = new CallerIndex();
    index.rebuild([
      contact('first', '+44301234567'),
      contact('second', '+49301234567'),
      contact('tail', '+33 1 99301234567'),
      contact('exact', '0301234567'),
    ]);
    expect(index.lookup('0301234567')?.id).toBe('exact');
    expect(index.lookup('+49301234567')?.id).toBe('second');
    expect(index.lookup('0099301234567')?.id).toBe('tail');
    expect(index.lookup('+1 301234567')?.id).toBe('first');
  });
});
