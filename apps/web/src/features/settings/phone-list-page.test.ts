import type { Phone } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { PHONES_PER_PAGE, phoneListPage, phoneMatches } from './phone-list-page.ts';

const phone = (n: number, extra: Partial<Phone> = {}): Phone => ({
  id: `p${n}`,
  name: `Desk ${n}`,
  host: `10.0.0.${n}`,
  auth: 'passcode',
  username: 'admin',
  allowSelfSigned: false,
  model: 'GRP2614',
  firmware: null,
  createdAt: '',
  ...extra,
});

describe('phoneListPage', () => {
  const fleet = Array.from({ length: 200 }, (_, i) => phone(i + 1));
  it('pages 200 phones in name order (numbers sorted as numbers)', () => {
    const first = phoneListPage(fleet, '', 0);
    expect(first.phones).toHaveLength(PHONES_PER_PAGE);
    expect(first.pages).toBe(8);
    expect(first.matching).toBe(200);
    expect(first.phones[1]?.name).toBe('Desk 2');
    expect(phoneListPage(fleet, '', 7).phones.at(-1)?.name).toBe('Desk 200');
  });
  it('keeps the page in range when the list shrinks', () => {
    expect(phoneListPage(fleet.slice(0, 30), '', 5).page).toBe(1);
    expect(phoneListPage([], '', 3)).toMatchObject({ page: 0, pages: 1, matching: 0 });
  });
  it('searches name, address and model, every word', () => {
    expect(phoneListPage(fleet, 'desk 17', 0).phones.map((p) => p.name)).toEqual([
      'Desk 17',
      'Desk 117',
      'Desk 170',
      'Desk 171',
      'Desk 172',
      'Desk 173',
      'Desk 174',
      'Desk 175',
      'Desk 176',
      'Desk 177',
      'Desk 178',
      'Desk 179',
    ]);
    expect(phoneMatches(phone(1), '10.0.0.1')).toBe(true);
    expect(phoneMatches(phone(1, { model: 'GRP2670' }), 'grp2670')).toBe(true);
    expect(phoneMatches(phone(1), 'warehouse')).toBe(false);
  });
});
