/**
 * `npm run bench`: runs every benchmark in turn, prints one table of figures (each against a baseline
 * measured in the same run, with its target) and writes bench/results/latest.json. Speed is measured
 * here, not asserted in unit tests. Loops are bounded in count and time; traffic goes to 127.0.0.1 only;
 * child processes are always killed. Exit code 1 only when a benchmark could not run; a missed target is
 * reported in the table ("target missed"), since figures vary from machine to machine.
 * See docs/benchmarks.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { browserStreams } from './browsers.ts';
import { campaignTick } from './campaigns.ts';
import { fleetScale } from './fleet.ts';
import { callJournal } from './journal.ts';
import { killAll, ROOT } from './lib/children.ts';
import type { Figure } from './lib/report.ts';
import { failed, table } from './lib/report.ts';
import { pushLatency } from './push.ts';
import { fleetLoad, viewersAndOverhead } from './server.ts';
import { simulatorFleet, simulatorThroughput } from './simulator.ts';
import { storageSeam } from './storage.ts';

const only = process.argv.slice(2);
/** A benchmark letter is wanted when no filter is given, or a filter names it (`d`, `c+d`). */
const wants = (letter: string) => only.length === 0 || only.some((o) => o.split('+').includes(letter));

const BENCHMARKS: { name: string; run: () => Promise<Figure[]> }[] = [
  { name: 'a. simulator, one phone', run: simulatorThroughput },
  { name: 'b. simulator, 500 phones', run: simulatorFleet },
  {
    name: 'c+d. viewers and command overhead',
    run: () => viewersAndOverhead({ viewers: wants('c'), overhead: wants('d') }),
  },
  { name: 'e. fleet load', run: fleetLoad },
  { name: 'f. push to SSE', run: pushLatency },
  { name: 'g. browsers on SSE', run: browserStreams },
  { name: 'h. fleet scale', run: fleetScale },
  { name: 'j. call journal', run: callJournal },
  { name: 'k. campaign tick', run: campaignTick },
  { name: 's. storage seam', run: storageSeam },
];

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > cpus().length / 2) {
    process.stderr.write(
      `warning: load average ${loadBefore.toFixed(1)} on ${cpus().length} cores: other work competes for the CPU ` +
        'and the figures will be noisy (ratios suffer least)\n',
    );
  }
  const figures: Figure[] = [];
  for (const bench of BENCHMARKS) {
    const letters = (bench.name.split('.')[0] ?? '').split('+');
    if (only.length > 0 && !only.some((o) => bench.name.startsWith(o)) && !letters.some(wants)) continue;
    process.stderr.write(`running ${bench.name}\n`);
    const t = Date.now();
    try {
      figures.push(...(await bench.run()));
    } catch (error) {
      figures.push(failed(bench.name, error));
    }
    process.stderr.write(`  done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const durationMs = Date.now() - started;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg1mBefore: loadBefore,
    loadavg1mAfter: loadavg()[0] ?? 0,
  };
  console.log(
    `\nLineDeck benchmarks (${machine.cpus} cores, node ${machine.node}, ${(durationMs / 1000).toFixed(0)} s, ` +
      `load average ${loadBefore.toFixed(1)} before, ${machine.loadavg1mAfter.toFixed(1)} after)\n`,
  );
  console.log(table(figures));
  const missed = figures.filter((f) => f.met === false).length;
  const targets = figures.filter((f) => f.met !== undefined).length;
  console.log(`\n${targets - missed} of ${targets} targets met.`);

  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), durationMs, machine, figures }, null, 2)}\n`,
  );
  console.log(`Written to ${path.relative(process.cwd(), file)}`);
  if (figures.some((f) => f.name === 'FAILED')) process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAll);
