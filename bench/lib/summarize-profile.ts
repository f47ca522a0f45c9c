/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and prints where the time went: the top functions by self
 * time, and self time summed by source (a package under node_modules, a file of ours, node internals).
 * `node --import tsx bench/lib/summarize-profile.ts <file.cpuprofile> [top]`
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives, short: `undici`, `apps/server/src/phones/poller.ts`, `node:internal/...`. */
function sourceOf(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url);
  }
  const repo = url.search(/\/(apps|packages|bench)\//);
  return repo === -1 ? url : url.slice(repo + 1);
}

export async function printSummary(file: string, top = 30): Promise<void> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = profile.endTime - profile.startTime;
  const byFunction = new Map<string, number>();
  const bySource = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const name = `${frame.functionName || '(anonymous)'}  ${sourceOf(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const source = sourceOf(frame.url);
    bySource.set(source, (bySource.get(source) ?? 0) + us);
  }
  const busy = total - (byFunction.get('(idle)  (native):0') ?? 0);
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, us]) =>
          `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`,
      )
      .join('\n');
  console.log(
    `profile ${(total / 1e6).toFixed(1)} s, busy ${((busy / total) * 100).toFixed(1)}% (of the main thread)\n`,
  );
  console.log(`top ${top} functions by self time:\n${rows(byFunction)}\n`);
  console.log(`self time by source:\n${rows(bySource)}`);
}

interface AllocationNode {
  callFrame: ProfileNode['callFrame'];
  selfSize: number;
  children: AllocationNode[];
}

/** A sampled heap profile (HeapProfiler.stopSampling): bytes allocated by each function itself. */
export async function printAllocations(file: string, top = 30): Promise<void> {
  const { head } = JSON.parse(await readFile(file, 'utf8')) as { head: AllocationNode };
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (node: AllocationNode) => {
    const frame = node.callFrame;
    const name = `${frame.functionName || '(anonymous)'}  ${sourceOf(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(head);
  const rows = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, b]) =>
        `${((b / total) * 100).toFixed(1).padStart(5)}%  ${(b / 1e6).toFixed(1).padStart(7)} MB  ${k}`,
    );
  console.log(
    `sampled allocations (collected ones included), ${(total / 1e6).toFixed(1)} MB; top ${top}:\n${rows.join('\n')}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: summarize-profile.ts <file.cpuprofile> [top]');
  await printSummary(file, Number(process.argv[3] ?? 30));
}
