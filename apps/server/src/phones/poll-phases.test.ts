/**
 * Phones started together (PHONES_FILE at boot) do not stay in step: after their first read, their polls
 * spread over the interval instead of all landing in the same tick every second (a burst that stalls the
 * event loop of a large fleet). Real server, real simulated phones over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness, waitFor } from '../test-support/harness.ts';

const INTERVAL_MS = 1000;
const PHONES = 12;
let h: Harness;
const sims: SimPhone[] = [];
let dir = '';

beforeAll(async () => {
  for (let i = 0; i < PHONES; i++) sims.push(await startPhone({ port: 0, adminPasscode: 'admin' }));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-phases-'));
  const phonesFile = path.join(dir, 'phones.json');
  const phones = sims.map((s, i) => ({ name: `Boot ${i + 1}`, host: s.host, passcode: 'admin' }));
  fs.writeFileSync(phonesFile, JSON.stringify(phones));
  h = await startHarness([], { pollIntervalMs: INTERVAL_MS, config: { phonesFile } });
});
afterAll(async () => {
  await h?.close();
  await Promise.all(sims.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Where in the interval each phone's latest line-status read fell (ms, 0 to INTERVAL_MS). */
function phases(): number[] {
  return sims.map((s) => {
    const reads = s.requestLog().filter((e) => e.function === 'api-get_line_status');
    return Date.parse((reads[reads.length - 1] as { time: string }).time) % INTERVAL_MS;
  });
}

/** The largest gap between neighbouring phases on the circle of one interval. */
function largestGap(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let gap = (sorted[0] as number) + INTERVAL_MS - (sorted[sorted.length - 1] as number);
  for (let i = 1; i < sorted.length; i++)
    gap = Math.max(gap, (sorted[i] as number) - (sorted[i - 1] as number));
  return gap;
}

describe('poll phases', () => {
  it('phones booted together spread their polls over the interval, each still polled every interval', async () => {
    await waitFor(() => sims.every((s) => s.requestLog().length > 0), 5000);
    await sleep(3 * INTERVAL_MS);
    // In step, all 12 would sit within a few ms of each other (a gap of nearly the whole interval).
    // Spread at random, the chance that all fall within a quarter of it is about 12 x 0.25^11.
    expect(largestGap(phases())).toBeLessThan(INTERVAL_MS * 0.75);
    for (const sim of sims) {
      const reads = sim.requestLog().filter((e) => e.function === 'api-get_line_status');
      const times = reads.map((e) => Date.parse(e.time)).slice(-4);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      for (const gap of gaps) {
        expect(gap).toBeLessThan(INTERVAL_MS + 150);
        // On a grid of its own, never rushed: a poll that comes late is not made up for by a short wait.
        expect(gap).toBeGreaterThan(INTERVAL_MS / 4);
      }
    }
  });
});
