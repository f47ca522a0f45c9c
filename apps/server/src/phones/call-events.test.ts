import type { LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { diffCalls, transitionEvent } from './call-events.ts';

const at = '2026-01-01T00:00:00.000Z';

function view(n: number, state: string, remoteNumber = '', remoteName = '', known = true): LineView {
  return {
    line: n,
    state,
    known,
    remoteName,
    remoteNumber,
    account: 0,
    active: false,
    conference: false,
    since: at,
  };
}

const kinds = (prev: LineView[], next: LineView[]) =>
  diffCalls(prev, next, { phoneId: 'p1', at }).map((e) => e.kind);

describe('diffCalls', () => {
  it('reports an incoming call with the caller', () => {
    const events = diffCalls([view(1, 'idle')], [view(1, 'ringing', '100', 'Ada')], { phoneId: 'p1', at });
    expect(events).toEqual([
      { phoneId: 'p1', line: 1, kind: 'ringing', remoteName: 'Ada', remoteNumber: '100', account: 0, at },
    ]);
  });

  it('answered, held, resumed, ended', () => {
    expect(kinds([view(1, 'ringing', '1')], [view(1, 'connected', '1')])).toEqual(['answered']);
    expect(kinds([view(1, 'connected', '1')], [view(1, 'onhold', '1')])).toEqual(['held']);
    expect(kinds([view(1, 'onhold', '1')], [view(1, 'connected', '1')])).toEqual(['resumed']);
    expect(kinds([view(1, 'connected', '1')], [view(1, 'idle')])).toEqual(['ended']);
    expect(kinds([view(1, 'onhold', '1')], [view(1, 'idle')])).toEqual(['ended']);
  });

  it('a ringing line going idle is missed, and keeps the caller', () => {
    const [event] = diffCalls([view(1, 'ringing', '100', 'Ada')], [view(1, 'idle')], { phoneId: 'p1', at });
    expect(event).toMatchObject({ kind: 'missed', remoteNumber: '100', remoteName: 'Ada' });
  });

  it('outgoing: dialing, then answered or ended', () => {
    expect(kinds([view(1, 'idle')], [view(1, 'dialing')])).toEqual(['dialing']);
    expect(kinds([view(1, 'idle')], [view(1, 'calling', '200')])).toEqual(['dialing']);
    expect(kinds([view(1, 'dialing')], [view(1, 'calling', '200')])).toEqual([]);
    expect(kinds([view(1, 'calling', '200')], [view(1, 'connected', '200')])).toEqual(['answered']);
    expect(kinds([view(1, 'calling', '200')], [view(1, 'failed')])).toEqual(['ended']);
  });

  it('nothing when nothing changed, and several lines at once', () => {
    expect(kinds([view(1, 'connected')], [view(1, 'connected')])).toEqual([]);
    expect(
      kinds([view(1, 'connected'), view(2, 'idle')], [view(1, 'onhold'), view(2, 'ringing', '9')]),
    ).toEqual(['held', 'ringing']);
  });

  it('unknown states: no guessing in, ended when the line goes idle', () => {
    expect(kinds([view(1, 'connected')], [view(1, 'conference', '', '', false)])).toEqual([]);
    expect(kinds([view(1, 'conference', '', '', false)], [view(1, 'idle')])).toEqual(['ended']);
    expect(kinds([view(1, 'conference', '', '', false)], [view(1, 'connected')])).toEqual([]);
  });

  it('lines that appear or vanish count as idle', () => {
    expect(kinds([], [view(3, 'ringing')])).toEqual(['ringing']);
    expect(kinds([view(3, 'connected')], [])).toEqual(['ended']);
  });

  it('an ending says the state the line ended in: failed, or the last one it showed', () => {
    const ended = (prev: LineView, next: LineView) => diffCalls([prev], [next], { phoneId: 'p1', at })[0];
    expect(ended(view(1, 'calling', '200'), view(1, 'failed', '200'))).toMatchObject({
      kind: 'ended',
      endedIn: 'failed',
      remoteNumber: '200',
    });
    expect(ended(view(1, 'busy', '200', '', false), view(1, 'idle'))?.endedIn).toBe('busy');
    expect(ended(view(1, 'connected', '200'), view(1, 'idle'))?.endedIn).toBe('connected');
    expect(ended(view(1, 'ringing', '100'), view(1, 'idle'))).toMatchObject({
      kind: 'missed',
      endedIn: 'ringing',
    });
  });

  it('the account of the line, kept from before when the idle line shows none', () => {
    const idle = { ...view(1, 'idle'), account: null };
    const [event] = diffCalls([{ ...view(1, 'connected', '7'), account: 2 }], [idle], { phoneId: 'p1', at });
    expect(event).toMatchObject({ kind: 'ended', account: 2 });
    expect(
      diffCalls([idle], [{ ...view(1, 'ringing', '7'), account: null }], { phoneId: 'p1', at })[0],
    ).not.toHaveProperty('account');
  });

  it('a new number in the same phase is a new call: the old one ends, the next one starts', () => {
    const ring = diffCalls([view(1, 'ringing', '100', 'Ada')], [view(1, 'ringing', '200', 'Bob')], {
      phoneId: 'p1',
      at,
    });
    expect(ring.map((e) => [e.kind, e.remoteNumber, e.remoteName])).toEqual([
      ['missed', '100', 'Ada'],
      ['ringing', '200', 'Bob'],
    ]);
    const dial = diffCalls([view(1, 'calling', '300')], [view(1, 'calling', '400')], { phoneId: 'p1', at });
    expect(dial.map((e) => [e.kind, e.remoteNumber])).toEqual([
      ['ended', '300'],
      ['dialing', '400'],
    ]);
    // A number filling in (dialing, then calling out) and the same caller again are one call.
    expect(kinds([view(1, 'dialing')], [view(1, 'calling', '400')])).toEqual([]);
    expect(kinds([view(1, 'ringing', '100')], [view(1, 'ringing', '100', 'Ada')])).toEqual([]);
    // Talking to someone else (a transfer the phone shows on the line) is not a call LineDeck can tell.
    expect(kinds([view(1, 'connected', '100')], [view(1, 'connected', '200')])).toEqual([]);
  });

  it('transition table edge: idle straight to connected is answered (ringing between polls)', () => {
    expect(transitionEvent('idle', 'talking')).toBe('answered');
    expect(transitionEvent('other', 'idle')).toBe('ended');
    expect(transitionEvent('ringing', 'held')).toBeNull();
  });
});
