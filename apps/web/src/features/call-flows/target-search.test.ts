import type { Contact, Phone, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { contactOptions, foldText, phoneOptions } from './target-search.ts';

const phone = (id: string, name: string) => ({ id, name }) as Phone;
const state = (phoneId: string, sipId: string, registered = true) =>
  ({ phoneId, accounts: [{ id: 1, sipId, sipServer: '', name: '', registered }] }) as unknown as PhoneState;

describe('transfer targets', () => {
  const phones = [phone('a', 'Reception'), phone('b', 'Sales desk'), phone('c', 'Büro Müller')];
  const states = [state('a', '2000'), state('b', '2001'), state('c', '2002', false)];

  it('finds LineDeck phones by name or extension, not the phone the call is on, only registered accounts', () => {
    expect(phoneOptions(phones, states, 'sales', 'a').map((o) => o.number)).toEqual(['2001']);
    expect(phoneOptions(phones, states, '200', 'a').map((o) => o.label)).toEqual(['Sales desk']);
    expect(phoneOptions(phones, states, 'rece', 'a')).toEqual([]);
    expect(phoneOptions(phones, states, 'buro', 'a')).toEqual([]);
  });

  it('folds accents as the contacts search does', () => {
    expect(foldText('Büro José')).toBe('buro jose');
  });

  it('offers a contact with its company and number', () => {
    const contact = {
      id: 'x',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      number: '+49301234567',
    } as Contact;
    expect(contactOptions([contact])).toEqual([
      {
        key: 'contact-x',
        label: 'Ada Lovelace',
        detail: 'Analytical Engines · +49301234567',
        number: '+49301234567',
        source: 'contact',
      },
    ]);
  });
});
