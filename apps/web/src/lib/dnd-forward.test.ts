import { describe, expect, it } from 'vitest';
import { dndForwardTexts, forwardShort, forwardText } from './dnd-forward.ts';

describe('Do Not Disturb and call forward in words', () => {
  it('says nothing when off or unknown', () => {
    expect(dndForwardTexts({ dnd: null, forward: null })).toEqual([]);
    expect(dndForwardTexts({ dnd: false, forward: { mode: 'off', number: '' } })).toEqual([]);
    expect(dndForwardTexts(undefined)).toEqual([]);
  });

  it('names DND and the forward target with its condition', () => {
    expect(dndForwardTexts({ dnd: true, forward: { mode: 'always', number: '2000' } })).toEqual([
      'Do not disturb',
      'Forwarding to 2000',
    ]);
    expect(forwardText({ mode: 'busy', number: '+4930123' })).toBe('Forwarding to +4930123 when busy');
    expect(forwardText({ mode: 'noanswer', number: '7' })).toBe('Forwarding to 7 when not answered');
  });

  it('leaves DND out where it already is the status (an available phone)', () => {
    const forward = { mode: 'always' as const, number: '2000' };
    expect(dndForwardTexts({ status: 'available', dnd: true, forward })).toEqual(['Forwarding to 2000']);
    expect(dndForwardTexts({ status: 'busy', dnd: true, forward: null })).toEqual(['Do not disturb']);
  });

  it('a push alone knows only "forward on"', () => {
    expect(forwardText({ mode: 'on', number: '' })).toBe('Forwarding on');
    expect(forwardShort({ mode: 'on', number: '' })).toBe('Fwd on');
    expect(forwardShort({ mode: 'always', number: '2000' })).toBe('Fwd 2000');
  });
});
