import type { LineView, PhoneState } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { ScreenPopWatch } from './screen-pop-watch.ts';

function state(lines: Partial<LineView>[]): { state: PhoneState; phoneName: string } {
  const full = lines.map((l, i) => ({
    line: i + 1,
    state: 'idle',
    known: true,
    remoteName: '',
    remoteNumber: '',
    account: 0,
    active: false,
    conference: false,
    since: null,
    ...l,
  }));
  return {
    state: { phoneId: 'p1', status: 'busy', lines: full } as unknown as PhoneState,
    phoneName: 'Reception',
  };
}

const ringing = state([{ state: 'ringing', remoteNumber: '+4930123', remoteName: 'ADA', since: 't1' }]);
const answered = state([{ state: 'connected', remoteNumber: '+4930123', remoteName: 'ADA', since: 't2' }]);

describe('ScreenPopWatch', () => {
  it('on ringing: pops once per call, with the contact name when the server matched one', () => {
    const watch = new ScreenPopWatch();
    const named = state([
      {
        state: 'ringing',
        remoteNumber: '+4930123',
        remoteName: 'ADA',
        since: 't1',
        contact: { id: 'c', name: 'Ada Lovelace', company: 'Engines' },
      },
    ]);
    expect(watch.next([named], 'ringing')).toEqual([
      { number: '+4930123', name: 'Ada Lovelace', company: 'Engines', phone: 'Reception' },
    ]);
    expect(watch.next([named], 'ringing')).toEqual([]);
    expect(watch.next([answered], 'ringing')).toEqual([]);
  });

  it('on answer: pops when the line that rang is connected to the same caller, not when it rings', () => {
    const watch = new ScreenPopWatch();
    expect(watch.next([ringing], 'answered')).toEqual([]);
    expect(watch.next([answered], 'answered')).toEqual([
      { number: '+4930123', name: 'ADA', company: '', phone: 'Reception' },
    ]);
    expect(watch.next([answered], 'answered')).toEqual([]);
  });

  it('does not pop for an outgoing call that connects (it never rang)', () => {
    expect(new ScreenPopWatch().next([answered], 'answered')).toEqual([]);
  });

  it('pops again for the next call on the same line', () => {
    const watch = new ScreenPopWatch();
    watch.next([ringing], 'ringing');
    watch.next([state([{ state: 'idle' }])], 'ringing');
    const again = state([{ state: 'ringing', remoteNumber: '+4930123', since: 't9' }]);
    expect(watch.next([again], 'ringing')).toHaveLength(1);
  });
});
