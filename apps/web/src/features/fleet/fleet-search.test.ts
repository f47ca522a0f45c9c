import type { Phone, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { matchesSearch } from './fleet-search.ts';

const phone: Phone = {
  id: 'p1',
  name: 'Front desk',
  host: '10.0.0.5',
  auth: 'passcode',
  username: 'admin',
  allowSelfSigned: false,
  model: 'GRP2614',
  firmware: null,
  createdAt: '',
};
const state: PhoneState = {
  phoneId: 'p1',
  status: 'busy',
  dnd: null,
  forward: null,
  lines: [
    {
      line: 1,
      state: 'connected',
      known: true,
      remoteName: 'Alice Smith',
      remoteNumber: '+15551234567',
      account: 0,
      active: true,
      conference: false,
      since: null,
    },
  ],
  accounts: [{ id: 1, sipServer: 'pbx', sipId: '1001', name: 'Reception', registered: true }],
  updatedAt: null,
};

describe('matchesSearch', () => {
  it('matches names, models and callers, case-insensitively', () => {
    expect(matchesSearch(phone, state, '')).toBe(true);
    expect(matchesSearch(phone, state, 'front')).toBe(true);
    expect(matchesSearch(phone, state, 'grp2614')).toBe(true);
    expect(matchesSearch(phone, state, 'alice')).toBe(true);
    expect(matchesSearch(phone, state, 'bob')).toBe(false);
  });

  it('matches numbers, with or without separators', () => {
    expect(matchesSearch(phone, state, '1001')).toBe(true);
    expect(matchesSearch(phone, state, '555-123')).toBe(true);
    expect(matchesSearch(phone, undefined, '1001')).toBe(false);
  });
});
