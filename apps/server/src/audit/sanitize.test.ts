import { describe, expect, it } from 'vitest';
import { REDACTED, sanitizeParams } from './sanitize.ts';

describe('sanitizeParams', () => {
  it('redacts values under secret-looking keys, at any depth and in any case', () => {
    const out = sanitizeParams({
      name: 'Desk',
      passcode: '1234',
      Password: 'hunter22222',
      newPassword: 'x',
      secret: 's',
      apiToken: 't',
      authorization: 'Bearer abc',
      cookie: 'linedeck_session=abc',
      key: 'ldk_abc',
      nested: { deeper: { adminPasscode: '9999', number: '100' } },
      list: [{ userPass: 'p' }],
    });
    expect(out).toEqual({
      name: 'Desk',
      passcode: REDACTED,
      Password: REDACTED,
      newPassword: REDACTED,
      secret: REDACTED,
      apiToken: REDACTED,
      authorization: REDACTED,
      cookie: REDACTED,
      key: REDACTED,
      nested: { deeper: { adminPasscode: REDACTED, number: '100' } },
      list: [{ userPass: REDACTED }],
    });
  });

  it('keeps the keys a keypad command sent: they are what the command was, not a secret', () => {
    expect(sanitizeParams({ keys: ['1', '0', '0', '0', '#', 'SPEAKER', 'LINE1'] })).toEqual({
      keys: ['1', '0', '0', '0', '#', 'SPEAKER', 'LINE1'],
    });
    // The passthrough's spelling.
    expect(sanitizeParams({ function: 'api-send_key', keys: '4:5:*' })).toEqual({
      function: 'api-send_key',
      keys: '4:5:*',
    });
  });

  it('redacts anything under `keys` that is not a list of keypad keys', () => {
    for (const keys of ['hunter2', ['1', 'my-password'], { passcode: '1' }, 42, '', []]) {
      expect(sanitizeParams({ keys })).toEqual({ keys: REDACTED });
    }
    expect(sanitizeParams({ keypad: ['1'] })).toEqual({ keypad: REDACTED });
  });

  it('keeps ids and booleans under secret-looking names: they name or describe, they do not unlock', () => {
    expect(
      sanitizeParams({
        tokenId: 'abc',
        displayKeyId: 'def',
        phoneIds: ['a'],
        passcodeChanged: true,
        passwordReset: false,
      }),
    ).toEqual({
      tokenId: 'abc',
      displayKeyId: 'def',
      phoneIds: ['a'],
      passcodeChanged: true,
      passwordReset: false,
    });
    expect(sanitizeParams({ tokenId: { secret: 'x' } })).toEqual({ tokenId: REDACTED });
  });

  it('scrubs passcodes quoted in URLs inside string values, and bounds sizes', () => {
    const out = sanitizeParams({
      note: 'GET /cgi-bin/api-make_call?passcode=9876&phonenumber=1',
      long: 'x'.repeat(2000),
    });
    expect(out.note).toBe('GET /cgi-bin/api-make_call?passcode=[Redacted]&phonenumber=1');
    expect(String(out.long).length).toBeLessThan(600);
    const deep = sanitizeParams({ a: { b: { c: { d: { e: { f: 1 } } } } } });
    expect(JSON.stringify(deep)).toContain('[nested]');
  });

  it('numbers stay numbers (the audit keeps the number dialled)', () => {
    expect(sanitizeParams({ number: '+4930123', account: 1, line: 2 })).toEqual({
      number: '+4930123',
      account: 1,
      line: 2,
    });
  });
});
