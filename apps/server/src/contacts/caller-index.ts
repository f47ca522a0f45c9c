/**
 * Who is calling: an incoming `remoteNumber` matched to a contact in memory, so the state cache can
 * name callers on every poll for the price of a Map lookup. Rebuilt whenever contacts change.
 *
 * The rule (docs/api.md, "Contacts"): numbers are compared by their key (digits, with a leading + kept);
 * an exact key wins; otherwise two numbers of 8 digits or more meet when their last 8 digits are equal,
 * so "+49 30 1234567" (from a directory) and "0301234567" (as the PBX presents it) are the same caller.
 * Among several such contacts the one sharing the longest tail wins, then the one added first.
 * Shorter numbers (extensions, feature codes) only match exactly.
 */
import type { CallerContact } from '@linedeck/contract';

export const SUFFIX_DIGITS = 8;

/** The lookup key of a number: its digits, with the + kept when it leads. `*` and `#` do not count. */
export function numberKey(number: string): string {
  const digits = number.replace(/\D/g, '');
  return number.trimStart().startsWith('+') && digits !== '' ? `+${digits}` : digits;
}

export interface IndexedContact extends CallerContact {
  number: string;
}

interface Entry {
  contact: CallerContact;
  digits: string;
}

function commonTail(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

export class CallerIndex {
  private exact = new Map<string, CallerContact>();
  private bySuffix = new Map<string, Entry[]>();

  /** `contacts` in the order ties are broken (first added first). */
  rebuild(contacts: readonly IndexedContact[]): void {
    const exact = new Map<string, CallerContact>();
    const bySuffix = new Map<string, Entry[]>();
    for (const c of contacts) {
      const key = numberKey(c.number);
      if (key === '') continue;
      const contact: CallerContact = { id: c.id, name: c.name, company: c.company };
      if (!exact.has(key)) exact.set(key, contact);
      const digits = key.replace('+', '');
      if (digits.length < SUFFIX_DIGITS) continue;
      const tail = digits.slice(-SUFFIX_DIGITS);
      const list = bySuffix.get(tail);
      if (list) list.push({ contact, digits });
      else bySuffix.set(tail, [{ contact, digits }]);
    }
    this.exact = exact;
    this.bySuffix = bySuffix;
  }

  lookup(remoteNumber: string): CallerContact | null {
    const key = numberKey(remoteNumber);
    if (key === '') return null;
    const exact = this.exact.get(key);
    if (exact) return exact;
    const digits = key.replace('+', '');
    if (digits.length < SUFFIX_DIGITS) return null;
    const candidates = this.bySuffix.get(digits.slice(-SUFFIX_DIGITS));
    if (!candidates) return null;
    let best: Entry | undefined;
    let bestTail = 0;
    for (const entry of candidates) {
      const tail = commonTail(entry.digits, digits);
      if (tail > bestTail) {
        best = entry;
        bestTail = tail;
      }
    }
    return best?.contact ?? null;
  }
}
