/**
 * Where the server's time goes under a fleet:
 *   `node --import tsx bench/lib/profile-fleet.ts [phones] [seconds] [--heap]`
 * starts the simulated phones in one child and the server in another (profile-probe.ts preloaded), waits
 * until every phone was read, profiles a steady-state window of the polling, prints the CPU share, RSS and
 * heap, and the top self-time functions (summarize-profile.ts). `--heap` also writes a heap snapshot.
 * Not part of `npm run bench`: a tool for reading, not a figure.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuSeconds, killAll, ROOT, rssMb } from './children.ts';
import { startLineDeck, startSimFleet, waitAllPolled } from './stack.ts';
import { sleep } from './stats.ts';
import { printSummary } from './summarize-profile.ts';

const [phonesArg, secondsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const phones = Number(phonesArg ?? 2000);
const seconds = Number(secondsArg ?? 15);
const PROBE = pathToFileURL(path.join(ROOT, 'bench/lib/profile-probe.ts')).href;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'linedeck-prof-'));
  const sim = await startSimFleet(phones);
  let file = '';
  try {
    const deck = await startLineDeck(
      sim.urls.map((u) => u.slice('http://'.length)),
      { nodeArgs: ['--import', PROBE], env: { PROFILE_DIR: dir } },
    );
    try {
      await waitAllPolled(deck, phones, 60_000);
      await sleep(3000);
      await deck.child.ask('profile:start', 'profile:started');
      const cpu0 = cpuSeconds(deck.child.pid);
      await sleep(seconds * 1000);
      const share = ((cpuSeconds(deck.child.pid) - cpu0) / seconds) * 100;
      file = (await deck.child.ask<{ file: string }>('profile:stop', 'profile:stopped', 30_000)).file;
      const heap = await deck.child.ask<NodeJS.MemoryUsage>('heap:read', 'heap');
      process.stderr.write(
        `${phones} phones: server CPU ${share.toFixed(1)}% of a core (profiler on), RSS ${rssMb(deck.child.pid).toFixed(0)} MB, ` +
          `heap used ${mb(heap.heapUsed)} of ${mb(heap.heapTotal)}, external ${mb(heap.external)}, buffers ${mb(heap.arrayBuffers)}\n`,
      );
      if (process.argv.includes('--heap')) {
        const snap = await deck.child.ask<{ file: string }>('heap:snapshot', 'heap:snapshot', 120_000);
        process.stderr.write(`heap snapshot: ${snap.file}\n`);
      }
    } finally {
      await deck.stop();
    }
  } finally {
    await sim.child.stop();
  }
  process.stderr.write(`profile: ${file}\n`);
  await printSummary(file);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAll);
