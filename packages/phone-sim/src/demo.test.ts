import { describe, expect, it } from 'vitest';
import { seededRandom, startDemo } from './demo.ts';
import { startFleet } from './fleet.ts';
import { startPhone } from './phone.ts';
import type { PhoneEventKind } from './phone-state.ts';
import { cti, sleep, waitFor } from './test-support.ts';

const FAST = {
  minIntervalMs: 10,
  maxIntervalMs: 30,
  answerDelayMs: [5, 15],
  talkMs: [20, 40],
  giveUpMs: [10, 30],
  seed: 7,
} as const;

describe('demo mode', () => {
  it('rings, answers some calls that then end, lets other callers give up', async () => {
    const phone = await startPhone({ model: 'GRP2616' });
    const seen: PhoneEventKind[] = [];
    phone.onEvent((e) => seen.push(e.kind));
    const stop = startDemo(phone, { ...FAST, answerRatio: 0.5 });
    try {
      await waitFor(
        () =>
          ['incoming', 'established', 'terminated', 'missed'].every((k) =>
            seen.includes(k as PhoneEventKind),
          ),
        3000,
      );
      const caller = phone.snapshot().lines.find((l) => l.state !== 'idle');
      if (caller) expect(caller.remoteNumber).not.toBe('');
    } finally {
      stop();
      await phone.close();
    }
    const count = seen.length;
    await sleep(60);
    expect(seen.length).toBe(count);
  });

  it('far end answers outgoing calls in demo mode', async () => {
    const fleet = await startFleet({
      count: 1,
      demo: { ...FAST, minIntervalMs: 60_000, maxIntervalMs: 60_000, autoAnswerMs: 20 },
    });
    try {
      const phone = fleet.phones[0];
      if (!phone) throw new Error('no phone');
      await cti(phone, 'api-make_call', { phonenumber: '3501' });
      await waitFor(() => phone.snapshot().lines[0]?.state === 'connected', 1000);
    } finally {
      await fleet.close();
    }
  });

  it('seeded randomness repeats', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
