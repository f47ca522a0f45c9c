import { type CountryCode, formatNumber, readNumber } from '@linedeck/contract/numbers';

export type DialCheck =
  | { ok: true; number: string; extension: string | null }
  | { ok: false; reason: string };

/**
 * Checks what was typed or pasted in a Number field (`readNumber`, shared with the server): `tel:` links,
 * slashes, dashes of every kind, dots, `(0)`, keypad letters and an extension (`ext. 12`, `x12`,
 * `;ext=12`) are read as people mean them. Only a number the phone can dial leaves the form: digits,
 * a leading +, and * or # for feature codes. The extension is not dialled with it: it is sent as tones
 * once the call is up.
 */
export function checkDialNumber(input: string): DialCheck {
  return readNumber(input);
}

/** What the phone will dial, grouped as people read it: "Dials 030 1234567, then 12 as tones". */
export function dialPreview(check: DialCheck, country: CountryCode | null): string | undefined {
  if (!check.ok) return undefined;
  const shown = formatNumber(check.number, country);
  const digits = shown === check.number ? '' : ` (${check.number})`;
  return `Dials ${shown}${digits}${check.extension ? `, then ${check.extension} as tones` : ''}`;
}
