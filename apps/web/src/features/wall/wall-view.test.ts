import type { Phone, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { currentPage, parseWallOptions, selectWallPhones, wallRank } from './wall-view.ts';

const phone = (id: string, name: string): Phone => ({
  id,
  name,
  host: '127.0.0.1:1',
  auth: 'passcode',
  username: 'admin',
  allowSelfSigned: false,
  model: null,
  firmware: null,
  createdAt: '2026-01-01T00:00:00Z',
});

const state = (phoneId: string, status: PhoneState['status'], calls: string[] = []): PhoneState => ({
  phoneId,
  status,
  dnd: null,
  forward: null,
  accounts: [],
  updatedAt: '2026-01-01T00:00:00Z',
  lines: calls.map((s, i) => ({
    line: i + 1,
    state: s,
    known: true,
    remoteName: '',
    remoteNumber: '5550100',
    account: 0,
    active: false,
    conference: false,
    since: null,
  })),
});

describe('parseWallOptions', () => {
  it('reads every option a kiosk address may carry', () => {
    const { options, problems } = parseWallOptions(
      '?show=active&phones=Reception,%20Sales%20desk&page_seconds=20&page=2&theme=light',
    );
    expect(problems).toEqual([]);
    expect(options).toEqual({
      theme: 'light',
      show: 'active',
      phones: ['Reception', 'Sales desk'],
      pageSeconds: 20,
      page: 2,
    });
  });

  it('keeps the defaults and says why when a value cannot be used', () => {
    const { options, problems } = parseWallOptions('?show=ringing&page_seconds=1&page=0&phones=,');
    expect(options).toEqual({
      theme: 'dark',
      show: 'all',
      phones: undefined,
      pageSeconds: 10,
      page: undefined,
    });
    expect(problems).toEqual([
      'show must be all or active',
      'phones must list phone names or ids, separated by commas',
      'page_seconds must be a whole number from 3 to 600',
      'page must be a whole number from 1',
    ]);
    expect(parseWallOptions('?page_seconds=5.5').problems).toHaveLength(1);
    expect(parseWallOptions('').problems).toEqual([]);
  });
});

describe('selectWallPhones', () => {
  const phones = [
    phone('a', 'Desk 10'),
    phone('b', 'Desk 2'),
    phone('c', 'Lab'),
    phone('d', 'Boardroom'),
    phone('e', 'Annex'),
  ];
  const states = new Map([
    ['a', state('a', 'available')],
    ['b', state('b', 'busy', ['onhold'])],
    ['c', state('c', 'offline')],
    ['d', state('d', 'ringing', ['ringing'])],
  ]);

  it('puts ringing first, then calls, then problems, then the quiet phones by name', () => {
    const { phones: shown } = selectWallPhones(phones, states, { show: 'all', phones: undefined });
    expect(shown.map((p) => p.name)).toEqual(['Boardroom', 'Desk 2', 'Lab', 'Annex', 'Desk 10']);
    expect(wallRank(undefined)).toBe(3);
  });

  it('shows only phones with calls or problems when asked', () => {
    const { phones: shown } = selectWallPhones(phones, states, { show: 'active', phones: undefined });
    expect(shown.map((p) => p.id)).toEqual(['d', 'b', 'c']);
  });

  it('takes phones by name (any case) or id, and names the ones it cannot find', () => {
    const { phones: shown, unknown } = selectWallPhones(phones, states, {
      show: 'all',
      phones: ['lab', 'a', 'Kitchen'],
    });
    expect(shown.map((p) => p.id)).toEqual(['c', 'a']);
    expect(unknown).toEqual(['Kitchen']);
  });
});

describe('currentPage', () => {
  it('takes turns on the clock and stays on a pinned page', () => {
    expect(currentPage(0, 4, 10)).toBe(0);
    expect(currentPage(10_000, 4, 10)).toBe(1);
    expect(currentPage(39_999, 4, 10)).toBe(3);
    expect(currentPage(40_000, 4, 10)).toBe(0);
    expect(currentPage(12_345, 1, 10)).toBe(0);
    expect(currentPage(10_000, 4, 10, 2)).toBe(1);
    expect(currentPage(10_000, 3, 10, 9)).toBe(2);
  });
});
