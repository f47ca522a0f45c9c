/**
 * The stack the server benchmarks run: simulated phones in one child process (the simulator's CLI), the
 * real LineDeck server in another (as `npm start` runs it: `node apps/server/dist/index.mjs`, bundled
 * from the sources once per bench process; or the sources under tsx when a profile wants their file
 * names), configured by environment as a user would, and helpers to sign in and to read the
 * simulator's request logs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildServer, SERVER_BUNDLE } from '../../apps/server/build.ts';
import type { Child } from './children.ts';
import { ROOT, spawnNode } from './children.ts';
import { http, httpJson, mapLimit } from './http.ts';
import { sleep } from './stats.ts';

export const ADMIN_PASSWORD = 'bench-admin-password';
export const PHONE_PASSCODE = 'admin';

export interface SimFleet {
  child: Child;
  /** `http://127.0.0.1:PORT` per phone, in CLI order. */
  urls: string[];
  startMs: number;
}

/** `linedeck-phone-sim --phones N --base-port 0`: ephemeral ports, read back from the CLI's output. */
export async function startSimFleet(count: number): Promise<SimFleet> {
  const started = Date.now();
  const child = spawnNode('phone-sim', [
    'packages/phone-sim/bin/linedeck-phone-sim.js',
    '--phones',
    String(count),
    '--base-port',
    '0',
  ]);
  try {
    await child.waitFor(/phone\(s\) ready/, 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const urls = [...child.stdout().matchAll(/^\S+\s+(http:\/\/127\.0\.0\.1:\d+)\s/gm)].map(
    (m) => m[1] as string,
  );
  if (urls.length !== count) {
    await child.stop();
    throw new Error(`phone-sim printed ${urls.length} phones, expected ${count}`);
  }
  return { child, urls, startMs: Date.now() - started };
}

export interface LogEntry {
  time: string;
  function: string;
  status: number | string;
}

/** Every phone's CTI request log (control API, `GET /sim/log`: not itself a CTI request, not logged). */
export async function readSimLogs(urls: readonly string[], agent?: Agent): Promise<LogEntry[][]> {
  return mapLimit(urls, 32, (url) => httpJson<LogEntry[]>(`${url}/sim/log`, agent ? { agent } : {}));
}

export interface WindowCount {
  total: number;
  perSecond: number;
  byFunction: Record<string, number>;
}

/** Requests logged in [from, to), all phones together. */
export function countWindow(logs: readonly LogEntry[][], from: number, to: number): WindowCount {
  const byFunction: Record<string, number> = {};
  let total = 0;
  for (const log of logs) {
    for (const entry of log) {
      const t = Date.parse(entry.time);
      if (t < from || t >= to) continue;
      total++;
      byFunction[entry.function] = (byFunction[entry.function] ?? 0) + 1;
    }
  }
  return { total, perSecond: total / ((to - from) / 1000), byFunction };
}

export interface LineDeck {
  child: Child;
  url: string;
  /** Session cookie of the signed-in admin. */
  cookie: string;
  /** Keep-alive agent for the bench's own API calls. */
  agent: Agent;
  /** From spawn to "running at" on stdout. */
  startMs: number;
  stop(): Promise<void>;
}

/** How the server runs: `bundle` as in production, `source` under tsx (profiles name the source files). */
export type ServerBuild = 'bundle' | 'source';

const PROBES_DIR = path.join(ROOT, 'bench/lib/dist');
let bundled: Promise<void> | undefined;

/** The server bundle and the probes as plain JS (no tsx loader in a bundled server), built once. */
function bundleOnce(): Promise<void> {
  bundled ??= (async () => {
    await buildServer();
    await build({
      entryPoints: ['loop-delay-probe', 'profile-probe'].map((p) => path.join(ROOT, `bench/lib/${p}.ts`)),
      outdir: PROBES_DIR,
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
    });
  })();
  return bundled;
}

/** A probe to preload with `--import` into a server of this build. */
export function probeUrl(name: 'loop-delay-probe' | 'profile-probe', server: ServerBuild = 'bundle'): string {
  const file =
    server === 'bundle' ? path.join(PROBES_DIR, `${name}.mjs`) : path.join(ROOT, `bench/lib/${name}.ts`);
  return pathToFileURL(file).href;
}

/**
 * Starts the server with `hosts` in PHONES_FILE (none: an idle server), signs in as admin. Polls once a
 * second unless `pollIntervalMs` says otherwise. Its database: SQLite in the temporary DATA_DIR, or
 * Postgres at `databaseUrl`.
 */
export async function startLineDeck(
  hosts: readonly string[],
  options: {
    pollIntervalMs?: number;
    databaseUrl?: string;
    nodeArgs?: readonly string[];
    env?: Record<string, string>;
    server?: ServerBuild;
  } = {},
): Promise<LineDeck> {
  const server = options.server ?? 'bundle';
  if (server === 'bundle') await bundleOnce();
  const dir = await mkdtemp(path.join(tmpdir(), 'linedeck-bench-'));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(dir, 'data'),
    SIMULATED_PHONES: '0',
    POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 1000),
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    // Unset whatever the calling shell may have set (an empty value means unset).
    PHONES_FILE: '',
    CTI_TIMEOUT_MS: '',
    TRUST_PROXY: '',
    LINEDECK_SECRET: '',
    DATABASE_URL: options.databaseUrl ?? '',
    ...options.env,
  };
  if (hosts.length > 0) {
    env.PHONES_FILE = path.join(dir, 'phones.json');
    const phones = hosts.map((host, i) => ({ name: `Bench ${i + 1}`, host, passcode: PHONE_PASSCODE }));
    await writeFile(env.PHONES_FILE, JSON.stringify(phones));
  }
  const started = Date.now();
  const probe = ['--import', probeUrl('loop-delay-probe', server)];
  // BENCH_NODE_ARGS="--flag ..." tries node or V8 flags on every server a benchmark starts.
  const nodeArgs = [
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ...(options.nodeArgs ?? []),
  ];
  const args =
    server === 'bundle'
      ? [...nodeArgs, ...probe, SERVER_BUNDLE]
      : ['--import', 'tsx', ...nodeArgs, ...probe, 'apps/server/src/index.ts'];
  const child = spawnNode('server', args, { env, ipc: true });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const stop = async () => {
    agent.destroy();
    await child.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const match = await child.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    const url = match[1] as string;
    const startMs = Date.now() - started;
    const cookie = await signIn(url, agent);
    return { child, url, cookie, agent, startMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** POST /api/session with a same-origin Origin header, as the browser does; returns the cookie header. */
export async function signIn(url: string, agent?: Agent): Promise<string> {
  const answer = await http(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    ...(agent ? { agent } : {}),
  });
  const cookies = answer.headers['set-cookie'] ?? [];
  if (answer.status !== 200 || cookies.length === 0) {
    throw new Error(`sign-in failed: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  return cookies.map((c) => c.split(';')[0]).join('; ');
}

export interface PhoneRow {
  id: string;
  host: string;
}

export function listPhones(deck: LineDeck): Promise<PhoneRow[]> {
  return httpJson<PhoneRow[]>(`${deck.url}/api/phones`, {
    headers: { cookie: deck.cookie },
    agent: deck.agent,
  });
}

/** Waits until the server has read every phone at least once (status no longer `unknown`). */
export async function waitAllPolled(deck: LineDeck, count: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const states = await httpJson<{ status: string }[]>(`${deck.url}/api/state`, {
      headers: { cookie: deck.cookie },
      agent: deck.agent,
    });
    const polled = states.filter((s) => s.status !== 'unknown').length;
    if (polled >= count) return;
    if (Date.now() > end) throw new Error(`only ${polled} of ${count} phones polled after ${ms} ms`);
    await sleep(200);
  }
}
