import { describe, expect, it } from 'vitest';
import { checkDialNumber } from './dial-number.ts';

describe('checkDialNumber', () => {
  it('accepts digits, a leading +, * and #, and drops separators people paste', () => {
    expect(checkDialNumber('1000')).toEqual({ ok: true, number: '1000' });
    expect(checkDialNumber('+1 (555) 123-4567')).toEqual({ ok: true, number: '+15551234567' });
    expect(checkDialNumber('*72#')).toEqual({ ok: true, number: '*72#' });
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
