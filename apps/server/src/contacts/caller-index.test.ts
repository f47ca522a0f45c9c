import { describe, expect, it } from 'vitest';
import { CallerIndex, type IndexedContact } from './caller-index.ts';

const contact = (id: string, ...numbers: [string, string | null][]): IndexedContact => ({
  id,
  name: `N${id}`,
  company: null,
  numbers: numbers.map(([number, e164]) => ({ number, e164 })),
});

describe('CallerIndex', () => {
  it('meets "+49 30 2309", "030 2309" and "0049 30 2309" on E.164 under DE', () => {
    const index = new CallerIndex('DE');
    index.rebuild([contact('a', ['0302309', '+49302309'])]);
    for (const remote of ['+49302309', '0302309', '0049302309', '+49 30 2309', '030 2309']) {
      expect(index.lookup(remote)?.id, remote).toBe('a');
    }
    expect(index.lookup('0302308')).toBeNull();
    // The last-8-digits rule matched these; a different country code is a different number.
    index.rebuild([contact('b', ['+49301234567', '+49301234567'])]);
    expect(index.lookup('+43301234567')).toBeNull();
    expect(index.lookup('0301234567')?.id).toBe('b');
  });

  it('matches extensions and feature codes on their digits, never as public numbers', () => {
    const index = new CallerIndex('DE');
    index.rebuild([contact('ext', ['2001', null]), contact('code', ['*72', null])]);
    expect(index.lookup('2001')?.id).toBe('ext');
    expect(index.lookup('+492001')).toBeNull();
    expect(index.lookup('02001')).toBeNull();
    expect(index.lookup('*72')?.id).toBe('code');
    expect(index.lookup('72')).toBeNull();
    expect(index.lookup('')).toBeNull();
  });

  it('without a default country compares national numbers on digits', () => {
    const index = new CallerIndex(null);
    index.rebuild([contact('a', ['0302309', null]), contact('b', ['+12025550100', '+12025550100'])]);
    expect(index.lookup('0302309')?.id).toBe('a');
    expect(index.lookup('+49302309')).toBeNull();
    expect(index.lookup('+1 202 555 0100')?.id).toBe('b');
  });

  it('finds a contact by any of its numbers; among several the one added first', () => {
    const index = new CallerIndex('DE');
    index.rebuild([
      contact('first', ['+49301234567', '+49301234567']),
      contact('second', ['0301234567', '+49301234567'], ['01701234567', '+491701234567']),
    ]);
    expect(index.lookup('0301234567')?.id).toBe('first');
    expect(index.lookup('+49 170 1234567')?.id).toBe('second');
  });
});
