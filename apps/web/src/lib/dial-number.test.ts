import { formatNumber } from '@linedeck/contract/numbers';
import { describe, expect, it } from 'vitest';
import { checkDialNumber, dialPreview } from './dial-number.ts';

describe('checkDialNumber', () => {
  it('accepts digits, a leading +, * and #, and drops separators people paste', () => {
    expect(checkDialNumber('1000')).toEqual({ ok: true, number: '1000', extension: null });
    expect(checkDialNumber('+1 (555) 123-4567')).toEqual({
      ok: true,
      number: '+15551234567',
      extension: null,
    });
    expect(checkDialNumber('*72#')).toEqual({ ok: true, number: '*72#', extension: null });
  });

  it('reads tel: links, slashes, en and em dashes, dots, (0), letters and extensions', () => {
    const dial = (input: string) => checkDialNumber(input);
    expect(dial('tel:+49301234567')).toMatchObject({ ok: true, number: '+49301234567' });
    expect(dial('030/1234567')).toMatchObject({ ok: true, number: '0301234567' });
    expect(dial('030–123–4567')).toMatchObject({ ok: true, number: '0301234567' });
    expect(dial('030 — 1234567')).toMatchObject({ ok: true, number: '0301234567' });
    expect(dial('030.123.4567')).toMatchObject({ ok: true, number: '0301234567' });
    expect(dial('+49 (0)30 1234567')).toMatchObject({ ok: true, number: '+49301234567' });
    expect(dial('1-800-FLOWERS')).toMatchObject({ ok: true, number: '18003569377' });
    for (const input of ['030 1234567 ext. 12', '030 1234567 x12', '0301234567;ext=12']) {
      expect(dial(input), input).toEqual({ ok: true, number: '0301234567', extension: '12' });
    }
  });

  it('refuses with a reason', () => {
    expect(checkDialNumber('')).toEqual({ ok: false, reason: 'Type a number to call.' });
    expect(checkDialNumber('  ')).toEqual({ ok: false, reason: 'Type a number to call.' });
    expect(checkDialNumber('12ab')).toMatchObject({ ok: false, reason: expect.stringContaining('“a”') });
    expect(checkDialNumber('1000&cmd=REBOOT')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('“&”'),
    });
    expect(checkDialNumber('12+3')).toEqual({ ok: false, reason: 'A + can only come first.' });
    expect(checkDialNumber('1'.repeat(65))).toEqual({
      ok: false,
      reason: 'A number has at most 64 characters.',
    });
  });
});

describe('dialPreview', () => {
  it('shows what will be dialled, grouped, with the extension as tones', () => {
    expect(dialPreview(checkDialNumber('030/1234567 x12'), (n) => formatNumber(n, 'DE'))).toBe(
      'Dials 030 1234567 (0301234567), then 12 as tones',
    );
    expect(dialPreview(checkDialNumber('1-800-FLOWERS'), (n) => formatNumber(n, 'US'))).toBe(
      'Dials (800) 356-9377 (18003569377)',
    );
    expect(dialPreview(checkDialNumber('2001'), (n) => formatNumber(n, 'DE'))).toBe('Dials 2001');
    expect(dialPreview(checkDialNumber('12ab'))).toBeUndefined();
  });
});
