import type { CallsToday, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { fleetFigures, ringingLines } from './wall-fleet.ts';

const now = Date.parse('2026-12-01T12:00:00Z');

function state(phoneId: string, status: PhoneState['status'], ringingSince: string[] = []): PhoneState {
  return {
    phoneId,
    status,
    dnd: null,
    forward: null,
    accounts: [],
    updatedAt: '2026-12-01T12:00:00Z',
    lines: ringingSince.map((since, i) => ({
      line: i + 1,
      state: 'ringing',
      known: true,
      remoteName: '',
      remoteNumber: '5551234',
      account: 1,
      active: false,
      conference: false,
      since,
    })),
  };
}

const today: CallsToday = {
  since: '2026-12-01T00:00:00Z',
  missed: 9,
  answered: 20,
  phones: { a: { missed: 2, answered: 5 }, b: { missed: 1, answered: 0 }, c: { missed: 6, answered: 15 } },
};

describe('fleetFigures', () => {
  it('counts ringing lines and the longest ring of the chosen phones, with their counts today', () => {
    const states = new Map([
      ['a', state('a', 'ringing', ['2026-12-01T11:59:15Z', '2026-12-01T11:59:50Z'])],
      ['b', state('b', 'available')],
      // Offline: its last ringing line does not ring now.
      ['c', state('c', 'offline', ['2026-12-01T11:00:00Z'])],
    ]);
    expect(fleetFigures(['a', 'b', 'c'], states, today, now)).toEqual({
      ringing: 2,
      longestRingMs: 45_000,
      missedToday: 9,
      answeredToday: 20,
    });
    expect(fleetFigures(['b'], states, today, now)).toEqual({
      ringing: 0,
      longestRingMs: undefined,
      missedToday: 1,
      answeredToday: 0,
    });
  });

  it("leaves today's counts out while they are unknown", () => {
    const figures = fleetFigures(['a'], new Map(), undefined, now);
    expect(figures.missedToday).toBeUndefined();
    expect(figures.answeredToday).toBeUndefined();
  });

  it('counts ringing lines across states', () => {
    expect(ringingLines([state('a', 'ringing', ['x', 'y']), state('b', 'available')])).toBe(2);
    expect(ringingLines(undefined)).toBe(0);
  });
});
