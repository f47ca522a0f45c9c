/**
 * h. Fleet scale: one server, 500 and 2,000 simulated phones polled at 1 Hz (the simulator's CLI in a
 * child of its own, so its CPU is not counted), each size on a fresh server: CPU share of one core
 * (/proc/<pid>/stat), event-loop delay p99 (lib/loop-delay-probe.ts), peak resident memory, and the
 * line-status rate each phone got (freshness: the poll must not slow down). Baseline: the same server
 * polling no phone, in the same run. `BENCH_FLEET_SIZES=250,500,1000,2000 npm run bench -- h` measures
 * other sizes (docs/benchmarks.md, "Fleet", has that table). Targets for every size: < 50% of a core,
 * p99 < 20 ms, RSS < 300 MB, line status >= 0.95 Hz per phone.
 */

import { cpuSeconds, rssMb } from './lib/children.ts';
import type { LoopDelay } from './lib/loop-delay-probe.ts';
import type { Figure } from './lib/report.ts';
import { failed, figure } from './lib/report.ts';
import type { LineDeck, LogEntry } from './lib/stack.ts';
import { countWindow, readSimLogs, startLineDeck, startSimFleet, waitAllPolled } from './lib/stack.ts';
import { fmt, sleep } from './lib/stats.ts';

const DEFAULT_SIZES = [500, 2000];
const IDLE_WINDOW_MS = 8000;
const WINDOW_MS = 15_000;
const SETTLE_MS = 3000;
/** Phones whose request logs are read to count the rates (all 2,000 logs would be 100 MB of JSON). */
const LOG_SAMPLE = 100;

const log = (message: string) => process.stderr.write(`  ${message}\n`);

interface Window {
  cpuShare: number;
  loop: LoopDelay;
  peakRssMb: number;
  from: number;
  to: number;
}

/** One window of the server's load; RSS sampled twice a second, the peak kept (a GC may come late). */
async function measure(deck: LineDeck, ms: number): Promise<Window> {
  await deck.child.ask('loop-delay:reset', 'loop-delay:reset');
  const from = Date.now();
  const cpu0 = cpuSeconds(deck.child.pid);
  let peakRssMb = rssMb(deck.child.pid);
  while (Date.now() - from < ms) {
    await sleep(500);
    peakRssMb = Math.max(peakRssMb, rssMb(deck.child.pid));
  }
  const to = Date.now();
  const cpuShare = ((cpuSeconds(deck.child.pid) - cpu0) / ((to - from) / 1000)) * 100;
  const loop = await deck.child.ask<LoopDelay>('loop-delay:read', 'loop-delay');
  return { cpuShare, loop, peakRssMb, from, to };
}

/** Every `step`-th phone, at most LOG_SAMPLE of them. */
function sample<T>(items: readonly T[]): T[] {
  const step = Math.max(1, Math.floor(items.length / LOG_SAMPLE));
  return items.filter((_, i) => i % step === 0).slice(0, LOG_SAMPLE);
}

export function fleetSizes(): number[] {
  const raw = process.env.BENCH_FLEET_SIZES;
  if (!raw) return DEFAULT_SIZES;
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 5000)) {
    throw new Error(`BENCH_FLEET_SIZES: whole numbers from 1 to 5000, got ${raw}`);
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export async function fleetScale(): Promise<Figure[]> {
  const sizes = fleetSizes();
  const largest = sizes[sizes.length - 1] as number;
  const sim = await startSimFleet(largest);
  log(`h. ${largest} phones started in ${sim.startMs} ms; idle server`);
  const figures: Figure[] = [];
  try {
    const idleDeck = await startLineDeck([]);
    let idle: Window;
    try {
      await sleep(2000);
      idle = await measure(idleDeck, IDLE_WINDOW_MS);
    } finally {
      await idleDeck.stop();
    }
    for (const size of sizes) {
      log(`h. server polling ${size} phones`);
      try {
        figures.push(...(await pollSize(sim.urls.slice(0, size), idle)));
      } catch (error) {
        figures.push(failed(`h. fleet (${size} phones)`, error));
      }
    }
    return figures;
  } finally {
    await sim.child.stop();
  }
}

async function pollSize(urls: readonly string[], idle: Window): Promise<Figure[]> {
  const size = urls.length;
  const deck = await startLineDeck(urls.map((u) => u.slice('http://'.length)));
  try {
    const polledAt = Date.now();
    await waitAllPolled(deck, size, 60_000);
    const firstPollMs = Date.now() - polledAt;
    await sleep(SETTLE_MS);
    const busy = await measure(deck, WINDOW_MS);
    const sampled = sample(urls);
    const logs: LogEntry[][] = await readSimLogs(sampled);
    const counted = countWindow(logs, busy.from, busy.to);
    const seconds = (busy.to - busy.from) / 1000;
    const lineHz = (counted.byFunction['api-get_line_status'] ?? 0) / seconds / sampled.length;
    const statusHz = (counted.byFunction['api-get_phone_status'] ?? 0) / seconds / sampled.length;
    const bench = `h. fleet (${size} phones, 1 Hz)`;
    return [
      figure({
        bench,
        name: 'server CPU, share of one core',
        unit: '%',
        value: busy.cpuShare,
        baseline: idle.cpuShare,
        baselineLabel: 'idle server',
        target: { on: 'value', op: '<', limit: 50, label: '< 50%' },
        note:
          `/proc/<pid>/stat utime+stime over ${WINDOW_MS / 1000} s (idle: ${IDLE_WINDOW_MS / 1000} s); ` +
          `server up in ${deck.startMs} ms, all ${size} read ${firstPollMs} ms later; ` +
          `${fmt((busy.cpuShare * 10) / size, 3)} ms of CPU per phone per second`,
      }),
      figure({
        bench,
        name: 'event-loop delay p99',
        unit: 'ms',
        value: busy.loop.p99Ms,
        baseline: idle.loop.p99Ms,
        baselineLabel: 'idle server',
        target: { on: 'value', op: '<', limit: 20, label: '< 20 ms' },
        note: `p50 ${fmt(busy.loop.p50Ms)} ms, max ${fmt(busy.loop.maxMs)} ms (idle max ${fmt(idle.loop.maxMs)} ms)`,
      }),
      figure({
        bench,
        name: 'resident memory, peak',
        unit: 'MB',
        value: busy.peakRssMb,
        baseline: idle.peakRssMb,
        baselineLabel: 'idle server',
        target: { on: 'value', op: '<', limit: 300, label: '< 300 MB' },
        note: 'VmRSS from /proc/<pid>/status, sampled every 0.5 s over the window, the highest kept',
      }),
      figure({
        bench,
        name: 'line-status polls per phone',
        unit: 'Hz',
        value: lineHz,
        target: { on: 'value', op: '>=', limit: 0.95, label: '>= 0.95 Hz' },
        note:
          `from the request logs of ${sampled.length} of the ${size} phones; phone status read ` +
          `${fmt(statusHz, 3)} Hz per phone (when lines change, on a wake-up, else every 5th poll)`,
      }),
    ];
  } finally {
    await deck.stop();
  }
}
