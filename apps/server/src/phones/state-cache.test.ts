/**
 * The state cache across polls: a quiet poll (nothing but the poll time moved) builds nothing and
 * emits nothing, yet every change that is visible still re-derives and emits: a line, the accounts, a
 * contact named anew, an error and its clearing, a flag.
 */
import type { CallerContact, CallFlow, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { StateCache } from './state-cache.ts';
import type { CtiAccount, CtiLine } from './state-mapping.ts';

function line(n: number, state: CtiLine['state'], extra: Partial<CtiLine> = {}): CtiLine {
  return {
    line: n,
    state,
    account: 0,
    remoteName: '',
    remoteNumber: '',
    active: false,
    conference: false,
    ...extra,
  };
}

const account = (registered: boolean): CtiAccount => ({
  id: 0,
  sipServer: 'pbx.example',
  sipId: '201',
  name: 'Desk',
  registered,
});

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** A cache with one phone, the states it emitted for it, and how often the caller lookup ran. */
function setUp(contacts: Map<string, CallerContact> = new Map()) {
  const cache = new StateCache();
  const emitted: PhoneState[] = [];
  const lookups = { count: 0 };
  const lookup = (n: string) => {
    lookups.count++;
    return contacts.get(n) ?? null;
  };
  cache.setCallerLookup(lookup);
  cache.onState((s) => emitted.push(s));
  cache.add('p1');
  emitted.length = 0;
  return { cache, emitted, lookups, lookup, contacts };
}

const talking = () => [line(1, 'connected', { remoteNumber: '555', active: true }), line(2, 'idle')];

describe('state cache: quiet polls', () => {
  it('a poll that changes nothing emits nothing, names no caller again, and keeps lines and accounts', () => {
    const { cache, emitted, lookups } = setUp();
    cache.applyPoll('p1', { lines: talking(), accounts: [account(true)], phoneStatus: 'busy' }, at(0));
    expect(emitted).toHaveLength(1);
    const first = cache.get('p1') as PhoneState;
    const lookupsAfterFirst = lookups.count;
    expect(lookupsAfterFirst).toBeGreaterThan(0);

    for (let s = 1; s <= 5; s++)
      cache.applyPoll('p1', { lines: talking(), accounts: [account(true)], phoneStatus: 'busy' }, at(s));

    expect(emitted).toHaveLength(1);
    // The number on line 1 was looked up once, for the poll that showed it, not on every poll.
    expect(lookups.count).toBe(lookupsAfterFirst);
    const now = cache.get('p1') as PhoneState;
    expect(now.updatedAt).toBe(at(5).toISOString());
    expect(now.lines).toBe(first.lines);
    expect(now.accounts).toBe(first.accounts);
    // Only the poll time moved; the state reads as before, key for key and in the same order.
    expect(JSON.stringify(now)).toBe(JSON.stringify({ ...first, updatedAt: now.updatedAt }));
  });

  it('a line that changes after quiet polls is emitted', () => {
    const { cache, emitted } = setUp();
    for (let s = 0; s < 3; s++) cache.applyPoll('p1', { lines: talking() }, at(s));
    cache.applyPoll('p1', { lines: [line(1, 'idle'), line(2, 'idle')] }, at(3));
    expect(emitted.map((s) => s.status)).toEqual(['busy', 'available']);
  });

  it('accounts are emitted when they change, and an equal read keeps the array', () => {
    const { cache, emitted } = setUp();
    cache.applyPoll('p1', { lines: talking(), accounts: [account(true)] }, at(0));
    const before = cache.get('p1')?.accounts;
    cache.applyPoll('p1', { accounts: [account(true)] }, at(1));
    expect(cache.get('p1')?.accounts).toBe(before);
    cache.applyPoll('p1', { accounts: [account(false)] }, at(2));
    expect(emitted).toHaveLength(2);
    expect(emitted[1]?.accounts[0]?.registered).toBe(false);
  });

  it('a contact added for a caller names them at once (the same lookup, set again), quiet or not', () => {
    const { cache, emitted, lookup, contacts } = setUp();
    for (let s = 0; s < 3; s++) cache.applyPoll('p1', { lines: talking() }, at(s));
    expect(cache.get('p1')?.lines[0]?.contact).toBeUndefined();
    contacts.set('555', { id: 'c1', name: 'Ada', company: null });
    cache.setCallerLookup(lookup);
    expect(emitted).toHaveLength(2);
    expect(emitted[1]?.lines[0]?.contact).toEqual({ id: 'c1', name: 'Ada', company: null });
    // The next quiet poll keeps the name.
    cache.applyPoll('p1', { lines: talking() }, at(3));
    expect(emitted).toHaveLength(2);
    expect(cache.get('p1')?.lines[0]?.contact?.name).toBe('Ada');
  });

  it('an error is emitted once while it repeats, and its clearing is emitted', () => {
    const { cache, emitted } = setUp();
    cache.applyPoll('p1', { lines: talking() }, at(0));
    for (let s = 0; s < 3; s++) cache.applyError('p1', { code: 'timeout', message: 'no answer' });
    cache.applyError('p1', { code: 'unreachable', message: 'refused' });
    cache.applyPoll('p1', { lines: talking() }, at(5));
    expect(emitted.map((s) => [s.status, s.error?.code])).toEqual([
      ['busy', undefined],
      ['offline', 'timeout'],
      ['offline', 'unreachable'],
      ['busy', undefined],
    ]);
    expect(cache.get('p1')).not.toHaveProperty('error');
  });

  it('a flag set between quiet polls is emitted and kept', () => {
    const { cache, emitted } = setUp();
    cache.applyPoll('p1', { lines: talking() }, at(0));
    cache.applyFlags('p1', { dnd: true });
    cache.applyPoll('p1', { lines: talking() }, at(1));
    cache.applyFlags('p1', { dnd: true });
    expect(emitted.map((s) => s.dnd)).toEqual([null, true]);
    expect(cache.get('p1')?.dnd).toBe(true);
  });

  it('a flow set between quiet polls is emitted once, kept, and cleared', () => {
    const { cache, emitted } = setUp();
    const flow: CallFlow = {
      id: 'f1',
      kind: 'transfer',
      mode: 'blind',
      line: 1,
      number: '300',
      consultLine: null,
      conferenceLines: [],
      stage: 'holding',
      startedAt: at(0).toISOString(),
      updatedAt: at(0).toISOString(),
      startedBy: null,
      reason: null,
      message: null,
    };
    cache.applyPoll('p1', { lines: talking() }, at(0));
    cache.applyFlow('p1', flow);
    for (let s = 1; s <= 3; s++) cache.applyPoll('p1', { lines: talking() }, at(s));
    expect(cache.get('p1')).toMatchObject({ flow, updatedAt: at(3).toISOString() });
    cache.applyFlow('p1', null);
    expect(emitted.map((s) => s.flow?.id)).toEqual([undefined, 'f1', undefined]);
  });

  it('a phone read for the first time leaves `unknown` even when its lines are still empty', () => {
    const { cache, emitted } = setUp();
    cache.applyPoll('p1', { phoneStatus: 'available' }, at(0));
    expect(emitted.map((s) => s.status)).toEqual(['available']);
  });
});

describe('state cache: the first read of the lines', () => {
  it('is told once, with each line in its phase, even after a read without lines; it makes no call events', () => {
    const { cache } = setUp();
    const first: unknown[] = [];
    const calls: unknown[] = [];
    cache.onFirstLines((phoneId, lines, when) => first.push({ phoneId, lines, when }));
    cache.onCall((e) => calls.push(e));
    // A Test connection reads the phone status only: the lines are still unread.
    cache.applyPoll('p1', { phoneStatus: 'busy' }, at(0));
    expect(first).toEqual([]);
    cache.applyPoll('p1', { lines: talking() }, at(1));
    expect(first).toEqual([
      {
        phoneId: 'p1',
        when: at(1).toISOString(),
        lines: [
          { line: 1, phase: 'talking', remoteNumber: '555', remoteName: '', account: 0 },
          { line: 2, phase: 'idle', remoteNumber: '', remoteName: '', account: 0 },
        ],
      },
    ]);
    expect(calls).toEqual([]);
    cache.applyPoll('p1', { lines: [line(1, 'idle'), line(2, 'idle')] }, at(2));
    expect(first).toHaveLength(1);
    expect(calls).toEqual([expect.objectContaining({ kind: 'ended', line: 1 })]);
  });
});
