/**
 * A number as people paste it, read into what the phone dials (browser-safe, no dependency but the
 * CTI dialling rule): small on purpose, since every page that dials loads it, while the E.164 and
 * formatting half of the number model (numbers.ts, libphonenumber-js) can be loaded later.
 */
import { isValidPhoneNumber } from '@linedeck/cti/protocol';

export type NumberRead =
  | { ok: true; number: string; extension: string | null }
  | { ok: false; reason: string };

/** Separators people paste: spaces of every width, hyphens and dashes (– — ‐ ‑ ‒ −), dots, slashes, brackets. */
const SEPARATORS = /[\s\u00a0\u2009\u202f\-\u2010-\u2015\u2212./()[\]]/g;

/**
 * `ext. 12`, `ext 12`, `extension 12`, `x12`, `;ext=12` (tel: URIs) at the end of what was pasted, after a
 * digit or a separator (so the X of a vanity word is no extension mark).
 */
const EXTENSION = /(?:;\s*ext\s*=\s*|(?<=[0-9\s.,)])\s*(?:ext(?:ension)?\.?|x)\s*)([0-9]{1,12})\s*$/i;

/** The letters on a phone keypad (1-800-FLOWERS). */
const KEYPAD: Record<string, string> = {};
for (const [digit, letters] of Object.entries({
  2: 'ABC',
  3: 'DEF',
  4: 'GHI',
  5: 'JKL',
  6: 'MNO',
  7: 'PQRS',
  8: 'TUV',
  9: 'WXYZ',
})) {
  for (const letter of letters) KEYPAD[letter] = digit;
}

/**
 * A vanity number: digits first (at least 3: a prefix such as 1-800 or 0800), then letters and digits.
 * Words alone ("not a number") and stray letters ("12ab") are not numbers.
 */
const VANITY = /^\+?[0-9]{3,}[A-Za-z0-9]*[A-Za-z]{3,}[A-Za-z0-9]*$/;

/**
 * What was pasted, as the phone dials it: `tel:` dropped, the extension split off, `(0)` dropped after
 * a country code, separators dropped, keypad letters turned into digits. `reason` says what is wrong.
 */
export function readNumber(input: string): NumberRead {
  let text = input.trim();
  if (/^tel:/i.test(text)) {
    text = text.slice(4);
    try {
      text = decodeURIComponent(text);
    } catch {
      // A lone % is left as it is: the character check below names it.
    }
  }
  let extension: string | null = null;
  const ext = EXTENSION.exec(text);
  if (ext && ext.index > 0) {
    extension = ext[1] ?? null;
    text = text.slice(0, ext.index);
  }
  // Other tel: URI parameters (;phone-context=...) say nothing the phone dials.
  if (/^\+?[0-9\s().-]+;/.test(text)) text = text.slice(0, text.indexOf(';'));
  // "+49 (0)30 ...": the trunk 0 is only dialled from inside the country, never after its code.
  if (/^(\+|00)/.test(text)) text = text.replace(/\(\s*0\s*\)/, '');
  let number = text.replace(SEPARATORS, '');
  if (number === '') return { ok: false, reason: 'Type a number to call.' };
  if (VANITY.test(number)) number = number.replace(/[A-Za-z]/g, (c) => KEYPAD[c.toUpperCase()] ?? c);
  if (number.length > 64) return { ok: false, reason: 'A number has at most 64 characters.' };
  const bad = [...number].find((c, i) => !/[0-9*#]/.test(c) && !(c === '+' && i === 0));
  if (bad === '+') return { ok: false, reason: 'A + can only come first.' };
  if (bad !== undefined) {
    return { ok: false, reason: `“${bad}” cannot be dialled: use digits, a leading +, * or #.` };
  }
  if (!isValidPhoneNumber(number)) return { ok: false, reason: 'This is not a number the phone can dial.' };
  return { ok: true, number, extension };
}
