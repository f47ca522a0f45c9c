import { type NumberRead, readNumber } from '@linedeck/contract/read-number';

/**
 * The number in what a link or the bookmarklet hands /dial: a `tel:` URI (readNumber reads it, with
 * `;ext=`), a `callto:` one (Skype-style, sometimes `callto://`), a `sip:`/`sips:` one (the user part
 * before `@`: a desk phone dials numbers, not SIP addresses), or text someone selected on a page.
 */
export function readDialTarget(raw: string): NumberRead {
  const text = raw.trim();
  const callto = /^callto:(?:\/\/)?/i.exec(text);
  if (callto) return readNumber(decoded(text.slice(callto[0].length)));
  const sip = /^sips?:/i.exec(text);
  if (sip) {
    const address = decoded(text.slice(sip[0].length));
    const at = address.indexOf('@');
    // `;user=phone` and other URI parameters come after the user part or the host: neither is dialled.
    const user = (at >= 0 ? address.slice(0, at) : address).split(';')[0] ?? '';
    return readNumber(user);
  }
  return readNumber(text);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A lone % stays: readNumber names it as a character that cannot be dialled.
    return text;
  }
}

/** The `number` parameter of a /dial address (`?number=tel%3A%2B49...`), or '' when it has none. */
export function dialParameter(search: string): string {
  return new URLSearchParams(search).get('number') ?? '';
}
