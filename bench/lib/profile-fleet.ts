/**
 * Where the server's time goes under a fleet:
 *   `node --import tsx bench/lib/profile-fleet.ts [phones] [seconds] [--heap] [--commands] [--alloc] [--bundle]`
 * starts the simulated phones in one child and the server in another (profile-probe.ts preloaded), waits
 * until every phone was read, profiles a steady-state window of the polling, prints the CPU share, RSS and
 * heap, and the top self-time functions (summarize-profile.ts). `--heap` also writes a heap snapshot;
 * `--commands` sends POST /api/phones/:id/keys one after another through the window (bench d's path);
 * `--alloc` samples allocations instead of CPU (bytes allocated per function, what the GC then collects).
 * Not part of `npm run bench`: a tool for reading, not a figure.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuSeconds, killAll, rssMb } from './children.ts';
import { http } from './http.ts';
import { type LineDeck, listPhones, probeUrl, startLineDeck, startSimFleet, waitAllPolled } from './stack.ts';
import { sleep } from './stats.ts';
import { printAllocations, printSummary } from './summarize-profile.ts';

const [phonesArg, secondsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const phones = Number(phonesArg ?? 2000);
const seconds = Number(secondsArg ?? 15);
// The sources under tsx by default, so the profile names source files; `--bundle` profiles what ships.
const server = process.argv.includes('--bundle') ? 'bundle' : 'source';
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'linedeck-prof-'));
  const sim = await startSimFleet(phones);
  let file = '';
  try {
    const deck = await startLineDeck(
      sim.urls.map((u) => u.slice('http://'.length)),
      { nodeArgs: ['--import', probeUrl('profile-probe', server)], env: { PROFILE_DIR: dir }, server },
    );
    try {
      await waitAllPolled(deck, phones, 60_000);
      await sleep(3000);
      const alloc = process.argv.includes('--alloc');
      await deck.child.ask(
        alloc ? 'alloc:start' : 'profile:start',
        alloc ? 'alloc:started' : 'profile:started',
      );
      const cpu0 = cpuSeconds(deck.child.pid);
      if (process.argv.includes('--commands')) {
        const sent = await sendCommands(deck, seconds * 1000);
        process.stderr.write(`${sent} commands sent\n`);
      } else {
        await sleep(seconds * 1000);
      }
      const share = ((cpuSeconds(deck.child.pid) - cpu0) / seconds) * 100;
      const stop = alloc ? ['alloc:stop', 'alloc:stopped'] : ['profile:stop', 'profile:stopped'];
      file = (await deck.child.ask<{ file: string }>(stop[0] as string, stop[1] as string, 30_000)).file;
      const heap = await deck.child.ask<NodeJS.MemoryUsage & { spaces: object }>('heap:read', 'heap');
      process.stderr.write(
        `${phones} phones: server CPU ${share.toFixed(1)}% of a core (profiler on), RSS ${rssMb(deck.child.pid).toFixed(0)} MB, ` +
          `heap used ${mb(heap.heapUsed)} of ${mb(heap.heapTotal)}, external ${mb(heap.external)}, buffers ${mb(heap.arrayBuffers)}; MB used by space ${JSON.stringify(heap.spaces)}\n`,
      );
      if (process.argv.includes('--track')) {
        await deck.child.ask('track:start', 'track:started');
        await sleep(1500);
        const snap = await deck.child.ask<{ file: string }>('track:snapshot', 'track:snapshot', 180_000);
        process.stderr.write(`tracked heap snapshot: ${snap.file}\n`);
      }
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
  if (file.endsWith('.heapprofile')) await printAllocations(file);
  else await printSummary(file);
}

/** POST /keys one after another for `ms`, never the same phone and key within the 1.5-s guard. */
async function sendCommands(deck: LineDeck, ms: number): Promise<number> {
  const ids = (await listPhones(deck)).map((p) => p.id);
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
  const last = new Map<string, number>();
  const end = Date.now() + ms;
  let sent = 0;
  while (Date.now() < end) {
    const id = ids[sent % ids.length] as string;
    const key = keys[Math.floor(sent / ids.length) % keys.length] as string;
    const wait = (last.get(`${id}${key}`) ?? 0) + 1600 - Date.now();
    if (wait > 0) await sleep(wait);
    last.set(`${id}${key}`, Date.now());
    const answer = await http(`${deck.url}/api/phones/${id}/keys`, {
      method: 'POST',
      headers: { cookie: deck.cookie, origin: deck.url, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [key] }),
      agent: deck.agent,
    });
    if (answer.status !== 200)
      throw new Error(`POST keys: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    sent++;
  }
  return sent;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAll);
