import type { CallEvent, LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import {
  callEventsOfPush,
  callerKey,
  decodeLenient,
  eventNameOf,
  flagsOfPush,
  newLedger,
  type PushLedger,
  parseHookTarget,
  pushOf,
  reconcilePoll,
  type TrustedPush,
} from './push-events.ts';

const at = '2026-01-01T00:00:00.000Z';

function view(n: number, state: string, remoteNumber = '', remoteName = ''): LineView {
  return {
    line: n,
    state,
    known: true,
    remoteName,
    remoteNumber,
    account: 0,
    active: false,
    conference: false,
    since: at,
  };
}

const idle = [view(1, 'idle'), view(2, 'idle')];
const ringing = (number: string) => [view(1, 'ringing', number, 'Ann'), view(2, 'idle')];

function pollEvent(kind: CallEvent['kind'], number: string, line = 1): CallEvent {
  return { phoneId: 'p', line, kind, remoteName: 'Ann', remoteNumber: number, at };
}

const push = (event: TrustedPush['event'], remoteNumber = '+4930123', remoteName = 'Ann Smith') => ({
  event,
  remoteNumber,
  remoteName,
});

function onPush(ledger: PushLedger, p: TrustedPush, lines: LineView[] = idle, pollInFlight = false) {
  return callEventsOfPush(ledger, p, { phoneId: 'p', lines, at, nowMs: 1000, pollInFlight }).map(
    (e) => `${e.kind} ${e.remoteNumber} line ${e.line}`,
  );
}

function onPoll(ledger: PushLedger, calls: CallEvent[], lines: LineView[]) {
  return reconcilePoll(ledger, calls, { phoneId: 'p', lines, at, nowMs: 1200 }).map(
    (e) => `${e.kind} ${e.remoteNumber}`,
  );
}

describe('reading a push', () => {
  it('names events by simulator name, P-value, number or a spelled-out label; others are null', () => {
    expect(eventNameOf('incoming')).toBe('incoming');
    expect(eventNameOf('P8310')).toBe('incoming');
    expect(eventNameOf('8312')).toBe('missed');
    expect(eventNameOf('Incoming Call')).toBe('incoming');
    expect(eventNameOf('dnd-on')).toBe('dnd_on');
    expect(eventNameOf('forward_off')).toBe('forward_off');
    expect(eventNameOf('P8321')).toBe('attended_transfer');
    expect(eventNameOf('reboot')).toBeNull();
    expect(eventNameOf('x'.repeat(100))).toBeNull();
  });

  it('reads id, token and variables from the query, keeping a raw + and dropping unfilled $vars', () => {
    const target = parseHookTarget('/ph%201/tok?event=incoming&remote=+492000&name=John%20Doe&mac=$mac');
    expect(target).toMatchObject({ phoneId: 'ph 1', token: 'tok' });
    expect(target && pushOf(target)).toEqual({
      event: 'incoming',
      remoteNumber: '+492000',
      remoteName: 'John Doe',
    });
    const unknown = parseHookTarget('/p/t?event=incoming&remote=$remote&display_remote=$display_remote');
    expect(unknown && pushOf(unknown)).toEqual({ event: 'incoming', remoteNumber: '', remoteName: '' });
  });

  it('reads path-style variables and a bare event word', () => {
    const target = parseHookTarget('/p/t/mac=c074ad&remote=2001/incoming');
    expect(target && pushOf(target)).toEqual({ event: 'incoming', remoteNumber: '2001', remoteName: '' });
    expect(parseHookTarget('/p/t?P8316')?.words).toEqual(['P8316']);
  });

  it('has no token for an old URL, no phone for a bad escape or no id', () => {
    expect(parseHookTarget('/p?event=incoming')).toMatchObject({ phoneId: 'p', token: null });
    expect(parseHookTarget('/p/')).toMatchObject({ phoneId: 'p', token: null });
    expect(parseHookTarget('/%E0%A4%A')).toBeNull();
    expect(parseHookTarget('/')).toBeNull();
  });

  it('decodes leniently and bounds values; control characters go', () => {
    expect(decodeLenient('100%25 %zz a+b %E0%A4%A')).toBe('100% %zz a+b %E0%A4%A');
    const long = parseHookTarget(`/p/t?event=missed&remote=${'1'.repeat(300)}&name=A%0aB`);
    expect(long && pushOf(long)).toEqual({ event: 'missed', remoteNumber: '', remoteName: 'AB' });
  });

  it('matches callers across spellings', () => {
    expect(callerKey('sip:+49 (30) 123-4@pbx.example')).toBe('+49301234');
  });

  it('turns DND and forward events into flags; forward_on keeps a known forward', () => {
    expect(flagsOfPush('dnd_on', null)).toEqual({ dnd: true });
    expect(flagsOfPush('dnd_off', null)).toEqual({ dnd: false });
    expect(flagsOfPush('forward_on', null)).toEqual({ forward: { mode: 'on', number: '' } });
    expect(flagsOfPush('forward_on', { mode: 'always', number: '200' })).toEqual({
      forward: { mode: 'always', number: '200' },
    });
    expect(flagsOfPush('forward_off', { mode: 'always', number: '200' })).toEqual({
      forward: { mode: 'off', number: '' },
    });
    expect(flagsOfPush('hold', null)).toBeNull();
  });
});

describe('one ring, announced once', () => {
  it('push first: the poll that then sees the ring says nothing; its miss is announced by the poll', () => {
    const ledger = newLedger();
    expect(onPush(ledger, push('incoming'))).toEqual(['ringing +4930123 line 1']);
    expect(onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'))).toEqual([]);
    expect(onPoll(ledger, [pollEvent('missed', '+4930123')], idle)).toEqual(['missed +4930123']);
  });

  it('poll first: a late incoming push and a late missed push say nothing new', () => {
    const ledger = newLedger();
    expect(onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'))).toEqual([
      'ringing +4930123',
    ]);
    expect(onPush(ledger, push('incoming'), ringing('+4930123'))).toEqual([]);
    expect(onPoll(ledger, [pollEvent('missed', '+4930123')], idle)).toEqual(['missed +4930123']);
    expect(onPush(ledger, push('missed'))).toEqual([]);
  });

  it('a new caller on a line a poll already saw ringing (no poll event for it): the push announces it', () => {
    const ledger = newLedger();
    onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'));
    // The first caller gave up and a second one rang the same line between two polls.
    expect(onPoll(ledger, [], ringing('+4930999'))).toEqual([]);
    expect(onPush(ledger, push('incoming', '+4930999'), ringing('+4930999'))).toEqual([
      'ringing +4930999 line 1',
    ]);
    // The next poll still sees it ringing: nothing new.
    expect(onPoll(ledger, [], ringing('+4930999'))).toEqual([]);
  });

  it('a short ring no poll sees: the missed push announces the miss, the idle poll adds nothing', () => {
    const ledger = newLedger();
    expect(onPush(ledger, push('incoming'))).toEqual(['ringing +4930123 line 1']);
    expect(onPush(ledger, push('missed'))).toEqual(['missed +4930123 line 1']);
    expect(onPoll(ledger, [], idle)).toEqual([]);
  });

  it('a short ring without a missed push: the first poll read after the push finds it gone', () => {
    const ledger = newLedger();
    onPush(ledger, push('incoming'));
    expect(onPoll(ledger, [], idle)).toEqual(['missed +4930123']);
    expect(onPoll(ledger, [], idle)).toEqual([]);
  });

  it('a poll already running when the push came may predate it: the next one decides', () => {
    const ledger = newLedger();
    onPush(ledger, push('incoming'), idle, true);
    expect(onPoll(ledger, [], idle)).toEqual([]);
    expect(onPoll(ledger, [], idle)).toEqual(['missed +4930123']);
  });

  it('a missed push for a ring the poll saw: the poll that sees the line idle stays quiet', () => {
    const ledger = newLedger();
    onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'));
    expect(onPush(ledger, push('missed'), ringing('+4930123'))).toEqual(['missed +4930123 line 1']);
    expect(onPoll(ledger, [pollEvent('missed', '+4930123')], idle)).toEqual([]);
  });

  it('answered before the poll: no miss, the poll tells "answered"', () => {
    const ledger = newLedger();
    onPush(ledger, push('incoming'));
    const talking = [view(1, 'connected', '+4930123'), view(2, 'idle')];
    expect(onPoll(ledger, [pollEvent('answered', '+4930123')], talking)).toEqual(['answered +4930123']);
    expect(onPoll(ledger, [pollEvent('ended', '+4930123')], idle)).toEqual(['ended +4930123']);
  });

  it('an established push stops a pushed ring from becoming a miss', () => {
    const ledger = newLedger();
    onPush(ledger, push('incoming'));
    onPush(ledger, push('established'));
    expect(onPoll(ledger, [], idle)).toEqual([]);
  });

  it('an unknown caller ($remote) matches the ring the poll sees; a push twice is one ring', () => {
    const ledger = newLedger();
    expect(onPush(ledger, push('incoming', '', ''))).toEqual(['ringing  line 1']);
    expect(onPush(ledger, push('incoming', '', ''))).toEqual([]);
    expect(onPoll(ledger, [pollEvent('ringing', '2001')], ringing('2001'))).toEqual([]);
  });

  it('a caller who calls again is announced again', () => {
    const ledger = newLedger();
    onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'));
    onPoll(ledger, [pollEvent('missed', '+4930123')], idle);
    expect(onPoll(ledger, [pollEvent('ringing', '+4930123')], ringing('+4930123'))).toEqual([
      'ringing +4930123',
    ]);
  });

  it('a missed call nobody saw ring (DND) is still announced, on the first idle line', () => {
    const ledger = newLedger();
    const busy = [view(1, 'connected', '300'), view(2, 'idle')];
    expect(onPush(ledger, push('missed'), busy)).toEqual(['missed +4930123 line 2']);
  });
});
