/**
 * One number model for server and web (browser-safe: no zod). A number is kept as dialled (digits, a
 * leading +, * and #) and, when it is a public phone number, also as E.164 under the configured default
 * country (DEFAULT_COUNTRY). Two numbers are the same when both have an E.164 form and these are equal;
 * otherwise when their digits are equal, so internal extensions (2001) and feature codes (*72) keep
 * working without ever being taken for a public number.
 *
 * libphonenumber-js with its `min` metadata: it parses, formats and converts to E.164 as `max` does,
 * only validity is judged by length rather than by every range, which LineDeck never needs (it dials
 * what people typed), at about a third of the size in the web bundle.
 */
import { isValidPhoneNumber } from '@linedeck/cti/protocol';
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

export type { CountryCode };

/** `DE`, `US`, ...: the ISO 3166 codes libphonenumber knows. */
export function isCountryCode(code: string): code is CountryCode {
  return (getCountries() as string[]).includes(code);
}

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

const metadata = new Metadata();

function plan(country: CountryCode): { nationalPrefix: string; idd: RegExp | null; nanp: boolean } {
  metadata.selectNumberingPlan(country);
  // nationalPrefix() is there at run time (1.13) but missing from the published types.
  const numbering = metadata.numberingPlan as
    | (NonNullable<typeof metadata.numberingPlan> & { nationalPrefix(): string | undefined })
    | undefined;
  const idd = numbering?.IDDPrefix();
  return {
    nationalPrefix: numbering?.nationalPrefix() ?? '',
    idd: idd ? new RegExp(`^(?:${idd})`) : null,
    nanp: getCountryCallingCode(country) === '1',
  };
}

/**
 * The E.164 form of a dialled number (`+49302309`), or null when it is not a public phone number: an
 * extension, a feature code, or a national number without a default country. A national number counts
 * when it is written with the country's trunk prefix (030 2309 in DE) or, where numbers are written
 * without one (the US, closed plans), when its length fits. A number without the prefix in a country
 * that requires one (2001 in DE) is internal, never +492001.
 */
export function toE164(number: string, country: CountryCode | null): string | null {
  if (!/^\+?[0-9]+$/.test(number)) return null;
  if (number.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(number);
    return parsed?.isPossible() ? parsed.number : null;
  }
  if (!country) return null;
  const rules = plan(country);
  const parsed = parsePhoneNumberFromString(number, country);
  if (!parsed?.isPossible()) return null;
  const international = rules.idd?.test(number) ?? false;
  const withTrunk = rules.nationalPrefix !== '' && number.startsWith(rules.nationalPrefix);
  const noTrunkNeeded = rules.nationalPrefix === '' || rules.nanp;
  return international || withTrunk || (noTrunkNeeded && number.length >= 6) ? parsed.number : null;
}

/** The digits two numbers are compared on when one of them has no E.164 form (a + does not count). */
export function numberDigits(number: string): string {
  return number.replace(/[^0-9*#]/g, '');
}

export interface NumberKeys {
  e164: string | null;
  digits: string;
}

export function numberKeys(number: string, country: CountryCode | null): NumberKeys {
  return { e164: toE164(number, country), digits: numberDigits(number) };
}

/** The matching rule itself: E.164 when both have one, else the digits. */
export function sameNumber(a: NumberKeys, b: NumberKeys): boolean {
  if (a.e164 && b.e164) return a.e164 === b.e164;
  return a.digits !== '' && a.digits === b.digits;
}

/**
 * A number as people read it: grouped, national when it is in the default country (030 2309),
 * international otherwise (+1 202 555 0100); as dialled when it is no public number (2001, *72).
 */
export function formatNumber(number: string, country: CountryCode | null, extension?: string | null): string {
  const e164 = toE164(number, country);
  const parsed = e164 ? parsePhoneNumberFromString(e164) : undefined;
  const shown = parsed
    ? parsed.country && parsed.country === country
      ? parsed.formatNational()
      : parsed.formatInternational()
    : number;
  return extension ? `${shown} ext. ${extension}` : shown;
}
