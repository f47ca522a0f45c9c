/**
 * What the transfer and conference dialogs offer as someone types: contacts (the server searches them:
 * name, company, number) and LineDeck's own phones (name and extension, searched here), or any number.
 */
import type { Contact, Phone, PhoneState } from '@linedeck/contract';

export interface TargetOption {
  /** Unique in the list (also the option's element id suffix). */
  key: string;
  /** The headline: a contact's or a phone's name. */
  label: string;
  /** What tells it apart: company, "Ext. 2001", the number. */
  detail: string;
  /** What the phone dials. */
  number: string;
  source: 'contact' | 'phone';
}

/** Lower case without accents, as the contacts search compares ("Jose" finds "José"). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** At most this many of each kind: the list stays short enough to read. */
export const MAX_OPTIONS_PER_KIND = 6;

/**
 * LineDeck's phones matching `query` by name or extension, each registered account with an extension
 * once; the phone the call is on is left out (a transfer to itself goes nowhere).
 */
export function phoneOptions(
  phones: readonly Phone[],
  states: readonly PhoneState[],
  query: string,
  exceptPhoneId: string,
): TargetOption[] {
  const q = foldText(query.trim());
  const byId = new Map(states.map((s) => [s.phoneId, s]));
  const options: TargetOption[] = [];
  for (const phone of phones) {
    if (phone.id === exceptPhoneId) continue;
    const accounts = (byId.get(phone.id)?.accounts ?? []).filter((a) => a.registered && a.sipId);
    for (const account of accounts) {
      const matches = !q || foldText(phone.name).includes(q) || account.sipId.includes(q);
      if (!matches) continue;
      options.push({
        key: `phone-${phone.id}-${account.id}`,
        label: phone.name,
        detail: `LineDeck phone · Ext. ${account.sipId}`,
        number: account.sipId,
        source: 'phone',
      });
    }
  }
  return options.slice(0, MAX_OPTIONS_PER_KIND);
}

export function contactOptions(contacts: readonly Contact[]): TargetOption[] {
  return contacts.slice(0, MAX_OPTIONS_PER_KIND).map((c) => ({
    key: `contact-${c.id}`,
    label: c.name,
    detail: [c.company, c.number].filter(Boolean).join(' · '),
    number: c.number,
    source: 'contact',
  }));
}
