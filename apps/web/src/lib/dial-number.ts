import { readNumber } from '@linedeck/contract/read-number';

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

/**
 * What the phone will dial, grouped as people read it by `format` (formatNumber under the default
 * country, loaded when needed): "Dials 030 1234567 (0301234567), then 12 as tones".
 */
export function dialPreview(
  check: DialCheck,
  format: (number: string) => string = (n) => n,
): string | undefined {
  if (!check.ok) return undefined;
  const shown = format(check.number);
  const digits = shown === check.number ? '' : ` (${check.number})`;
  return `Dials ${shown}${digits}${check.extension ? `, then ${check.extension} as tones` : ''}`;
}
