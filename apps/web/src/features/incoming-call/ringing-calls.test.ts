import type { PhoneState, SessionUser } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { callerText, keepCurrent, ringingCalls, watchedPhoneIds } from './ringing-calls.ts';

const user = (role: SessionUser['role'], phoneIds: string[] = []): SessionUser => ({
  id: 'u1',
  username: 'u',
  role,
  phoneIds,
  mustChangePassword: false,
});

const state = (phoneId: string, lines: [number, string, string?][]): PhoneState => ({
  phoneId,
  status: 'available',
  dnd: null,
  forward: null,
  accounts: [],
  updatedAt: null,
  lines: lines.map(([line, s, since]) => ({
    line,
    state: s,
    known: true,
    remoteName: 'Ada',
    remoteNumber: '5551234',
    account: 0,
    active: false,
    conference: false,
    since: since ?? null,
  })),
});

describe('watchedPhoneIds', () => {
  it('watches assigned phones, wherever the user is', () => {
    expect(watchedPhoneIds(user('operator', ['a', 'b']), 'c')).toEqual(['a', 'b']);
  });
  it('watches only the open console without an assignment', () => {
    expect(watchedPhoneIds(user('admin'), 'c')).toEqual(['c']);
    expect(watchedPhoneIds(user('operator'), undefined)).toEqual([]);
  });
  it('gives viewers nothing', () => {
    expect(watchedPhoneIds(user('viewer', ['a']), 'a')).toEqual([]);
  });
});

describe('ringingCalls', () => {
  it('lists ringing lines with the phone name and a key per ring', () => {
    const calls = ringingCalls(
      [
        state('a', [
          [1, 'connected'],
          [2, 'ringing', 't1'],
        ]),
        undefined,
      ],
      [
        {
          id: 'a',
          name: 'Reception',
          host: 'h',
          auth: 'passcode',
          username: 'admin',
          allowSelfSigned: false,
          model: null,
          firmware: null,
          createdAt: '',
        },
      ],
    );
    expect(calls).toEqual([
      {
        key: 'a:2:t1:5551234',
        phoneId: 'a',
        phoneName: 'Reception',
        line: 2,
        remoteName: 'Ada',
        remoteNumber: '5551234',
      },
    ]);
  });
  it('forgets keys of calls that stopped ringing', () => {
    const calls = ringingCalls([state('a', [[1, 'ringing', 't2']])], []);
    expect([...keepCurrent(new Set(['a:1:t1:5551234', 'a:1:t2:5551234']), calls)]).toEqual([
      'a:1:t2:5551234',
    ]);
  });
});

describe('callerText', () => {
  it('says who calls', () => {
    expect(callerText({ remoteName: 'Ada', remoteNumber: '1' })).toBe('Ada (1)');
    expect(callerText({ remoteName: '', remoteNumber: '1' })).toBe('1');
    expect(callerText({ remoteName: '', remoteNumber: '' })).toBe('Unknown caller');
  });
});
