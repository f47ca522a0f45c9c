import type { LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { callsByPriority, hasCurrentData, shownStatus } from './status.ts';

const line = (n: number, state: string): LineView => ({
  line: n,
  state,
  known: true,
  remoteName: `Caller ${n}`,
  remoteNumber: `555000${n}`,
  account: 0,
  active: false,
  conference: false,
  since: null,
});

describe('callsByPriority', () => {
  it('puts the ringing call first, then connected, then held, and leaves idle lines out', () => {
    const lines = [line(1, 'onhold'), line(2, 'connected'), line(3, 'idle'), line(4, 'ringing')];
    expect(callsByPriority(lines).map((l) => l.line)).toEqual([4, 2, 1]);
  });

  it('keeps line order among equals and puts states it does not know last', () => {
    const lines = [line(3, 'ringing'), line(1, 'paging'), line(2, 'ringing')];
    expect(callsByPriority(lines).map((l) => l.line)).toEqual([2, 3, 1]);
  });
});

describe('hasCurrentData', () => {
  it('is false where the phone cannot be read', () => {
    expect(hasCurrentData('offline')).toBe(false);
    expect(hasCurrentData('unauthorized')).toBe(false);
    expect(hasCurrentData(undefined)).toBe(false);
    expect(hasCurrentData('ringing')).toBe(true);
    expect(hasCurrentData('unavailable')).toBe(true);
  });
});

describe('shownStatus', () => {
  it('never says "Available" while DND is on', () => {
    expect(shownStatus({ status: 'available', dnd: true }).label).toBe('Do not disturb');
    expect(shownStatus({ status: 'available', dnd: false }).label).toBe('Available');
    expect(shownStatus({ status: 'available', dnd: null }).label).toBe('Available');
    expect(shownStatus({ status: 'busy', dnd: true }).label).toBe('Busy');
    expect(shownStatus(undefined).label).toBe('Unknown');
  });
});
