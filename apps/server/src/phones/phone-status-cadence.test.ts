/** When a poll reads the phone status word (phone-status-cadence.ts); the integration is poll-cadence.test.ts. */
import { describe, expect, it } from 'vitest';
import { PhoneStatusCadence } from './phone-status-cadence.ts';

const idle = [{ line: 1, state: 'idle' as const }];
const ringing = [{ line: 1, state: 'ringing' as const }];

describe('PhoneStatusCadence', () => {
  it('reads at the first poll, then every Nth poll while the lines stay the same', () => {
    const cadence = new PhoneStatusCadence(3);
    const reads: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const due = cadence.due(idle);
      reads.push(due);
      cadence.read(idle, due);
    }
    expect(reads).toEqual([true, false, false, true, false, false, true]);
  });

  it('reads in the poll whose lines changed', () => {
    const cadence = new PhoneStatusCadence(10);
    cadence.read(idle, cadence.due(idle));
    expect(cadence.due(idle)).toBe(false);
    cadence.read(idle, false);
    expect(cadence.due(ringing)).toBe(true);
  });

  it('an unknown state counts by its raw text', () => {
    const cadence = new PhoneStatusCadence(10);
    const a = [{ line: 1, state: 'unknown' as const, rawState: 'paging' }];
    const b = [{ line: 1, state: 'unknown' as const, rawState: 'ringback' }];
    cadence.read(a, cadence.due(a));
    expect(cadence.due(b)).toBe(true);
  });

  it('invalidate() during a poll that already read the word: the next poll reads it again', () => {
    const cadence = new PhoneStatusCadence(10);
    cadence.read(idle, cadence.due(idle));
    expect(cadence.due(idle)).toBe(false);
    cadence.read(idle, false);
    // A push arrives while the next poll is between its decision and its end.
    expect(cadence.due(idle)).toBe(false);
    cadence.invalidate();
    cadence.read(idle, false);
    expect(cadence.due(idle)).toBe(true);
    cadence.read(idle, true);
    expect(cadence.due(idle)).toBe(false);
  });

  it('a word read before an invalidation does not count for it', () => {
    const cadence = new PhoneStatusCadence(10);
    const due = cadence.due(idle);
    cadence.invalidate();
    cadence.read(idle, due);
    expect(cadence.due(idle)).toBe(true);
  });
});
