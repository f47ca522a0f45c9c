import { describe, expect, it } from 'vitest';
import { dialParameter, readDialTarget } from './dial-target.ts';

describe('readDialTarget', () => {
  it('reads tel: URIs, with their extension', () => {
    expect(readDialTarget('tel:+49-30-1234567')).toEqual({
      ok: true,
      number: '+49301234567',
      extension: null,
    });
    expect(readDialTarget('tel:+493012345;ext=12')).toEqual({
      ok: true,
      number: '+493012345',
      extension: '12',
    });
  });

  it('reads callto: with or without slashes, and percent-encoded spaces', () => {
    expect(readDialTarget('callto:+12025550100')).toMatchObject({ ok: true, number: '+12025550100' });
    expect(readDialTarget('callto://+1%20202%20555%200100')).toMatchObject({
      ok: true,
      number: '+12025550100',
    });
  });

  it('dials the user part of a sip: address and ignores the host and parameters', () => {
    expect(readDialTarget('sip:+4930123456@pbx.example;user=phone')).toMatchObject({
      ok: true,
      number: '+4930123456',
    });
    expect(readDialTarget('sips:2001@pbx.example')).toMatchObject({ ok: true, number: '2001' });
  });

  it('refuses a SIP address whose user is a name, not a number', () => {
    expect(readDialTarget('sip:alice@pbx.example').ok).toBe(false);
  });

  it('reads text someone selected, as the number fields do', () => {
    expect(readDialTarget('  030 / 123 45-67 ')).toMatchObject({ ok: true, number: '0301234567' });
    expect(readDialTarget('').ok).toBe(false);
  });

  it('keeps a lone % for readNumber to refuse instead of throwing', () => {
    expect(readDialTarget('callto:12%3').ok).toBe(false);
  });
});

describe('dialParameter', () => {
  it('takes the decoded number parameter', () => {
    expect(dialParameter('?number=tel%3A%2B49301234567')).toBe('tel:+49301234567');
    expect(dialParameter('?other=1')).toBe('');
  });
});
