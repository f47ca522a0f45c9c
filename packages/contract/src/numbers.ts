/**
 * One number model for server and web (browser-safe: no zod). A number is kept as dialled (digits, a
 * leading +, * and #) and, when it is a public phone number, also as E.164 under the configured default
 * country (DEFAULT_COUNTRY). Two numbers are the same when both have an E.164 form and these are equal;
 * otherwise when their digits are equal, so internal extensions (2001) and feature codes (*72) keep
 * working without ever being taken for a public number.
 *
 * libphonenumber-js with its `min` metadata: it parses, formats and converts to E.164 as `max` does,
 * only validity is judged by length rather than by every range, which LineDeck never needs (it dials
 * what people typed), with half the metadata (19 kB gzipped against 39 kB). The web loads this module
 * when it first shows a number (contacts, the dialler's preview), not with every page; reading what
 * was pasted needs none of it (read-number.ts).
 */
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  Metadata,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';

export { type NumberRead, readNumber } from './read-number.ts';
export type { CountryCode };

/** `DE`, `US`, ...: the ISO 3166 codes libphonenumber knows. */
export function isCountryCode(code: string): code is CountryCode {
  return (getCountries() as string[]).includes(code);
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
