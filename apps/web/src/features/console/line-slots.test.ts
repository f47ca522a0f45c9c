import type { LineView } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { ENDED_LINGER_MS, idleLines, type LineSlot, nextFoldInMs, nextSlots } from './line-slots.ts';

const line = (n: number, state: string): LineView => ({
  line: n,
  state,
  known: true,
  remoteName: '',
  remoteNumber: `555000${n}`,
  account: 0,
  active: false,
  conference: false,
  since: null,
});

const order = (slots: LineSlot[]) => slots.map((s) => `${s.line}${s.endedAt === undefined ? '' : ' ended'}`);

describe('nextSlots', () => {
  it('starts in line order and leaves idle lines out', () => {
    const slots = nextSlots([], {
      lines: [line(1, 'idle'), line(3, 'ringing'), line(2, 'connected')],
      now: 0,
      held: false,
    });
    expect(order(slots)).toEqual(['2', '3']);
  });

  it('puts a new call after the cards on screen, even on a lower line', () => {
    const first = nextSlots([], { lines: [line(1, 'idle'), line(2, 'connected')], now: 0, held: false });
    const next = nextSlots(first, {
      lines: [line(1, 'ringing'), line(2, 'connected')],
      now: 10,
      held: false,
    });
    expect(order(next)).toEqual(['2', '1']);
  });

  it('keeps an ended card in its place while the pointer is over the lines, however long', () => {
    const live = nextSlots([], { lines: [line(1, 'connected'), line(2, 'ringing')], now: 0, held: true });
    const ended = nextSlots(live, { lines: [line(1, 'idle'), line(2, 'ringing')], now: 100, held: true });
    expect(order(ended)).toEqual(['1 ended', '2']);
    expect(ended[0]?.last.state).toBe('connected');
    const later = nextSlots(ended, { lines: [line(1, 'idle'), line(2, 'ringing')], now: 60_000, held: true });
    expect(order(later)).toEqual(['1 ended', '2']);
    expect(later[0]?.endedAt).toBe(100);
  });

  it('folds an ended card once the pointer is out and the linger has passed', () => {
    const live = nextSlots([], { lines: [line(1, 'connected'), line(2, 'ringing')], now: 0, held: false });
    const lines = [line(1, 'idle'), line(2, 'ringing')];
    const ended = nextSlots(live, { lines, now: 100, held: false });
    expect(order(ended)).toEqual(['1 ended', '2']);
    expect(nextFoldInMs(ended, 100)).toBe(ENDED_LINGER_MS);
    expect(order(nextSlots(ended, { lines, now: 100 + ENDED_LINGER_MS, held: false }))).toEqual(['2']);
  });

  it('a new call on an ended card takes that card back, in place', () => {
    const live = nextSlots([], { lines: [line(1, 'connected'), line(2, 'connected')], now: 0, held: true });
    const ended = nextSlots(live, { lines: [line(1, 'idle'), line(2, 'connected')], now: 5, held: true });
    const again = nextSlots(ended, { lines: [line(1, 'ringing'), line(2, 'connected')], now: 9, held: true });
    expect(order(again)).toEqual(['1', '2']);
    expect(again[0]?.last.state).toBe('ringing');
  });

  it('gives the same places for the same input (a render done twice agrees)', () => {
    const live = nextSlots([], { lines: [line(1, 'connected')], now: 0, held: true });
    const input = { lines: [line(1, 'idle')], now: 50, held: true };
    expect(nextSlots(live, input)).toEqual(nextSlots(live, input));
  });
});

describe('idleLines', () => {
  it('lists the lines without a card, in line order', () => {
    const lines = [line(3, 'idle'), line(1, 'connected'), line(2, 'idle')];
    const slots = nextSlots([], { lines, now: 0, held: false });
    expect(idleLines(lines, slots).map((l) => l.line)).toEqual([2, 3]);
  });
});
