import { isValidPhoneNumber } from '@linedeck/cti/protocol';

/** Separators people paste with numbers (`+1 (555) 123-4567`): dropped before dialling. */
const SEPARATORS = /[\s().-]/g;

export type DialCheck = { ok: true; number: string } | { ok: false; reason: string };

/**
 * Checks what was typed in the Number field. Only a number the phone can dial
 * leaves the form: digits, a leading +, and * or # for feature codes
 * (`isValidPhoneNumber`, shared with the server).
 */
export function checkDialNumber(input: string): DialCheck {
  const number = input.replace(SEPARATORS, '');
  if (number === '') return { ok: false, reason: 'Type a number to call.' };
  if (number.length > 64) return { ok: false, reason: 'A number has at most 64 characters.' };
  const bad = [...number].find((c, i) => !/[0-9*#]/.test(c) && !(c === '+' && i === 0));
  if (bad === '+') return { ok: false, reason: 'A + can only come first.' };
  if (bad !== undefined) {
    return { ok: false, reason: `“${bad}” cannot be dialled: use digits, a leading +, * or #.` };
  }
  if (!isValidPhoneNumber(number)) return { ok: false, reason: 'This is not a number the phone can dial.' };
  return { ok: true, number };
}
