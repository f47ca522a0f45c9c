import { describe, expect, it } from 'vitest';
import { lineActions, settlingDone } from './line-actions.ts';

const labels = (state: string) => lineActions(state, 2).map((a) => a.label);

describe('lineActions', () => {
  it('offers only what applies to the state', () => {
    expect(labels('ringing')).toEqual(['Answer', 'Reject']);
    expect(labels('connected')).toEqual(['Hold', 'End call']);
    expect(labels('onhold')).toEqual(['Resume', 'End call']);
    expect(labels('dialing')).toEqual(['Cancel']);
    expect(labels('calling')).toEqual(['Cancel']);
    expect(labels('idle')).toEqual([]);
    expect(labels('paging')).toEqual([]);
  });

  it('aims every command at its line; hold and resume both toggle with holdcall', () => {
    expect(lineActions('connected', 2)[0]).toMatchObject({ command: 'holdcall', line: 2 });
    expect(lineActions('onhold', 2)[0]).toMatchObject({ command: 'holdcall', line: 2 });
    expect(lineActions('ringing', 3)[0]).toMatchObject({ command: 'acceptcall', line: 3 });
  });
});

describe('settlingDone', () => {
  it('keeps waiting while the line is still in the state the command was sent from', () => {
    const settling = { done: 'Line 1 is on hold', from: 'connected' };
    expect(settlingDone(settling, 'connected')).toBe('Line 1 is on hold');
    expect(settlingDone(settling, 'onhold')).toBeUndefined();
    expect(settlingDone(undefined, 'connected')).toBeUndefined();
  });
});
