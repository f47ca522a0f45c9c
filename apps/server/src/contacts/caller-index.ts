/**
 * Who is calling: an incoming `remoteNumber` matched to a contact in memory, so the state cache can
 * name callers on every poll for the price of a Map lookup. Rebuilt whenever contacts change.
 *
 * The rule is the one number model's (packages/contract/src/numbers.ts, docs/api.md "Contacts"): two
 * numbers meet on E.164 when both have one ("+49 30 2309", "030 2309" and "0049 30 2309" under DE),
 * otherwise on their digits (extensions such as 2001, feature codes such as *72). Every number of a
 * contact counts; among several matching contacts the one added first wins.
 */
import type { CallerContact } from '@linedeck/contract';
import { type CountryCode, type NumberKeys, numberDigits, numberKeys } from '@linedeck/contract/numbers';

export interface IndexedContact extends CallerContact {
  numbers: { number: string; e164: string | null }[];
}

/**
 * Values found by number under the matching rule: E.164 when both sides have one, else the digits.
 * The first value added for a number wins.
 */
export class NumberMatcher<T> {
  private readonly byE164 = new Map<string, T>();
  /** Numbers that have no E.164 form, by digits. */
  private readonly byDigitsOnly = new Map<string, T>();
  /** Every number by digits: for numbers looked up that have no E.164 form. */
  private readonly byDigits = new Map<string, T>();

  add(keys: NumberKeys, value: T): void {
    if (keys.digits === '') return;
    const first = (map: Map<string, T>, key: string) => {
      if (!map.has(key)) map.set(key, value);
    };
    first(this.byDigits, keys.digits);
    if (keys.e164) first(this.byE164, keys.e164);
    else first(this.byDigitsOnly, keys.digits);
  }

  find(keys: NumberKeys): T | undefined {
    if (keys.digits === '') return undefined;
    if (keys.e164) return this.byE164.get(keys.e164) ?? this.byDigitsOnly.get(keys.digits);
    return this.byDigits.get(keys.digits);
  }
}

/** Remote numbers seen lately and their keys: parsing one costs far more than a Map lookup. */
const KEY_CACHE_SIZE = 2000;

export class CallerIndex {
  private matcher = new NumberMatcher<CallerContact>();
  private keys = new Map<string, NumberKeys>();

  constructor(private readonly country: CountryCode | null) {}

  /** `contacts` in the order ties are broken (first added first); their `e164` derived under `country`. */
  rebuild(contacts: readonly IndexedContact[]): void {
    const matcher = new NumberMatcher<CallerContact>();
    for (const c of contacts) {
      const contact: CallerContact = { id: c.id, name: c.name, company: c.company };
      for (const n of c.numbers) matcher.add({ e164: n.e164, digits: numberDigits(n.number) }, contact);
    }
    this.matcher = matcher;
  }

  private keysOf(remoteNumber: string): NumberKeys {
    let keys = this.keys.get(remoteNumber);
    if (!keys) {
      if (this.keys.size >= KEY_CACHE_SIZE) this.keys.clear();
      keys = numberKeys(remoteNumber.replace(/[\s().-]/g, ''), this.country);
      this.keys.set(remoteNumber, keys);
    }
    return keys;
  }

  lookup(remoteNumber: string): CallerContact | null {
    if (remoteNumber === '') return null;
    return this.matcher.find(this.keysOf(remoteNumber)) ?? null;
  }
}
