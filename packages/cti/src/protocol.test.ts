import { describe, expect, it } from 'vitest';
import { isValidKey, isValidPhoneNumber } from './protocol.ts';

describe('isValidKey', () => {
  it.each(['0', '9', '*', '#', 'SPEAKER', 'RIGHT', 'LINE1', 'LINE16', 'SOFT4', 'MPK1', 'MPK48'])(
    'accepts %s',
    (k) => {
      expect(isValidKey(k)).toBe(true);
    },
  );
  it.each(['', '10', 'LINE0', 'LINE17', 'SOFT5', 'MPK49', 'MPK01', 'speaker', '1:0', 'OK&x=1'])(
    'refuses %j',
    (k) => {
      expect(isValidKey(k)).toBe(false);
    },
  );
});

describe('isValidPhoneNumber', () => {
  it.each(['1', '+4930123', '*21#', '1'.repeat(64)])('accepts %s', (n) => {
    expect(isValidPhoneNumber(n)).toBe(true);
  });
  it.each(['', '+', '1'.repeat(65), '1&cmd=REBOOT', '030 123', '12+3', '++1', '1\n'])('refuses %j', (n) => {
    expect(isValidPhoneNumber(n)).toBe(false);
  });
});
