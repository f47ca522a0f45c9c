import { describe, expect, it } from 'vitest';
import { formatNumber, numberKeys, readNumber, sameNumber, toE164 } from './numbers.ts';

const dials = (input: string) => readNumber(input);

describe('readNumber: numbers as people paste them', () => {
  it.each([
    ['tel:+49301234567', '+49301234567'],
    ['tel:+49-30-1234567', '+49301234567'],
    ['030/1234567', '0301234567'],
    ['030 – 123 45 67', '0301234567'],
    ['030—1234567', '0301234567'],
    ['030.123.4567', '0301234567'],
    ['+49 (0)30 1234567', '+49301234567'],
    ['0049 (0) 30 1234567', '0049301234567'],
    ['+1\u00a0(202) 555\u20110100', '+12025550100'],
    ['1-800-FLOWERS', '18003569377'],
    ['0800 GET HELP', '08004384357'],
    ['*72#', '*72#'],
    ['2001', '2001'],
  ])('%s dials %s', (input, number) => {
    expect(dials(input)).toEqual({ ok: true, number, extension: null });
  });

  it.each([
    ['030 1234567 ext. 12', '0301234567', '12'],
    ['030 1234567 ext 12', '0301234567', '12'],
    ['030 1234567 x12', '0301234567', '12'],
    ['0301234567x12', '0301234567', '12'],
    ['+49 30 1234567;ext=12', '+49301234567', '12'],
    ['tel:+49-30-1234567;ext=12', '+49301234567', '12'],
    ['tel:+49301234567;phone-context=example.com', '+49301234567', null],
  ])('%s dials %s, then extension %s', (input, number, extension) => {
    expect(dials(input)).toEqual({ ok: true, number, extension });
  });

  it('refuses words, stray letters, a + inside and what is no number, saying why', () => {
    expect(dials('not a number')).toMatchObject({ ok: false, reason: expect.stringContaining('“n”') });
    expect(dials('12ab')).toMatchObject({ ok: false, reason: expect.stringContaining('“a”') });
    expect(dials('1000&cmd=REBOOT')).toMatchObject({ ok: false, reason: expect.stringContaining('“&”') });
    expect(dials('12+3')).toEqual({ ok: false, reason: 'A + can only come first.' });
    expect(dials(' – ')).toEqual({ ok: false, reason: 'Type a number to call.' });
    expect(dials('1'.repeat(65))).toEqual({ ok: false, reason: 'A number has at most 64 characters.' });
  });
});

describe('toE164 and the matching rule', () => {
  it('meets "+49 30 2309", "030 2309" and "0049 30 2309" in DE', () => {
    for (const n of ['+49302309', '0302309', '0049302309']) expect(toE164(n, 'DE'), n).toBe('+49302309');
  });

  it('keeps extensions and feature codes out of E.164', () => {
    expect(toE164('2001', 'DE')).toBeNull();
    expect(toE164('1234567', 'DE')).toBeNull();
    expect(toE164('*72', 'DE')).toBeNull();
    expect(toE164('2001', 'US')).toBeNull();
    expect(toE164('0302309', null)).toBeNull();
  });

  it('reads national numbers where they are written without a trunk prefix', () => {
    expect(toE164('2025550100', 'US')).toBe('+12025550100');
    expect(toE164('12025550100', 'US')).toBe('+12025550100');
    expect(toE164('01149301234567', 'US')).toBe('+49301234567');
  });

  it('compares on E.164 when both have one, else on the digits', () => {
    const k = (n: string) => numberKeys(n, 'DE');
    expect(sameNumber(k('0302309'), k('+49302309'))).toBe(true);
    expect(sameNumber(k('2001'), k('2001'))).toBe(true);
    expect(sameNumber(k('2001'), k('+492001'))).toBe(false);
    expect(sameNumber(k('*72'), k('72'))).toBe(false);
    expect(sameNumber(k('0302309'), k('0302308'))).toBe(false);
  });
});

describe('formatNumber', () => {
  it('groups national numbers nationally and others internationally', () => {
    expect(formatNumber('0301234567', 'DE')).toBe('030 1234567');
    expect(formatNumber('+49301234567', 'DE')).toBe('030 1234567');
    expect(formatNumber('+12025550100', 'DE')).toBe('+1 202 555 0100');
    expect(formatNumber('+49301234567', null)).toBe('+49 30 1234567');
    expect(formatNumber('0301234567', 'DE', '12')).toBe('030 1234567 ext. 12');
    expect(formatNumber('2001', 'DE')).toBe('2001');
    expect(formatNumber('*72', 'DE')).toBe('*72');
  });
});
