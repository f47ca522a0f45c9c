/**
 * What the server's garbage collector does under a fleet, and what a V8 flag changes, in one run:
 *   `node --import tsx bench/lib/gc-fleet.ts [phones] [seconds] [--variant="--max-semi-space-size=32"]...`
 * starts the simulated phones once, then for the plain server and for each variant (node flags) a fresh
 * server polling them at 1 Hz with `--trace-gc-nvp`: over a steady window, bytes promoted to the old
 * generation per second (what makes the resident memory grow between mark-compacts), bytes allocated
 * per second, scavenges and mark-compacts, peak RSS and CPU. Allocation and promotion per poll depend
 * little on other load on the machine, so they compare builds and flags on a busy machine too.
 * Not part of `npm run bench`: a tool for reading, not a figure.
 */
import { cpuSeconds, killAll, rssMb } from './children.ts';
import { startLineDeck, startSimFleet, waitAllPolled } from './stack.ts';
import { sleep } from './stats.ts';

const [phonesArg, secondsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const phones = Number(phonesArg ?? 500);
const seconds = Number(secondsArg ?? 15);
const variants = [
  '',
  ...process.argv
    .slice(2)
    .filter((a) => a.startsWith('--variant='))
    .map((a) => a.slice('--variant='.length)),
];

interface GcWindow {
  promoted: number;
  allocated: number;
  scavenges: number;
  markCompacts: number;
}

/** Sums the `--trace-gc-nvp` lines printed in the window (one line per collection). */
function readGc(text: string): GcWindow {
  const window: GcWindow = { promoted: 0, allocated: 0, scavenges: 0, markCompacts: 0 };
  for (const line of text.split('\n')) {
    const kind = / gc=(\w+) /.exec(line)?.[1];
    if (kind === undefined) continue;
    if (kind === 's') window.scavenges++;
    else if (kind === 'mc' || kind === 'mmc') window.markCompacts++;
    window.promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    window.allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return window;
}

async function measure(hosts: string[], flags: string): Promise<string> {
  const deck = await startLineDeck(hosts, {
    nodeArgs: ['--trace-gc-nvp', ...flags.split(' ').filter(Boolean)],
  });
  try {
    await waitAllPolled(deck, phones, 60_000);
    await sleep(3000);
    const from = deck.child.stdout().length;
    const cpu0 = cpuSeconds(deck.child.pid);
    let peak = 0;
    for (let t = 0; t < seconds * 2; t++) {
      await sleep(500);
      peak = Math.max(peak, rssMb(deck.child.pid));
    }
    const cpu = ((cpuSeconds(deck.child.pid) - cpu0) / seconds) * 100;
    const gc = readGc(deck.child.stdout().slice(from));
    const perS = (bytes: number) => `${(bytes / seconds / 1e6).toFixed(1)} MB/s`;
    const perPhone = (bytes: number) => `${(bytes / seconds / phones / 1e3).toFixed(1)} kB`;
    return (
      `${flags || '(no flag)'}: promoted ${perS(gc.promoted)} (${perPhone(gc.promoted)} per phone-second), ` +
      `allocated ${perS(gc.allocated)} (${perPhone(gc.allocated)}), ${gc.scavenges} scavenges, ` +
      `${gc.markCompacts} mark-compacts, peak RSS ${peak.toFixed(0)} MB, CPU ${cpu.toFixed(1)}%`
    );
  } finally {
    await deck.stop();
  }
}

async function main(): Promise<void> {
  const sim = await startSimFleet(phones);
  try {
    const hosts = sim.urls.map((u) => u.slice('http://'.length));
    process.stderr.write(`${phones} phones at 1 Hz, ${seconds} s windows\n`);
    for (const flags of variants) process.stderr.write(`${await measure(hosts, flags)}\n`);
  } finally {
    await sim.child.stop();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAll);
