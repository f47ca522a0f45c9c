/**
 * g. browsers on the event stream: what a thousand open pages (walls and consoles) cost the server when
 * they live on SSE instead of polling /api/state, and how soon one state change reaches all of them.
 * 100 simulated phones (the simulator's CLI), the real server polling them every second, and N plain
 * node:http SSE clients in a child process of their own (this file run with CLIENTS_FLAG), so reading the
 * streams costs the server nothing it would not pay for browsers.
 * - CPU: the server's share of a core over a quiet window (no calls), with 1,000 streams open against
 *   the same window with none (the baseline, same run); the heartbeat goes to every stream meanwhile.
 * - Delivery: a phone rings; each client stamps the state event's arrival (wall clock, sub-ms) against
 *   the event's `updatedAt` (the server's read that saw the change, ms resolution, same machine).
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { EventHub } from '../apps/server/src/events.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { cpuSeconds, spawnNode } from './lib/children.ts';
import { http } from './lib/http.ts';
import type { Figure } from './lib/report.ts';
import { figure } from './lib/report.ts';
import type { LineDeck } from './lib/stack.ts';
import { listPhones, startLineDeck, startSimFleet, waitAllPolled } from './lib/stack.ts';
import { fmt, median, percentile, sleep } from './lib/stats.ts';

const CLIENTS_FLAG = '--linedeck-sse-clients';
const PHONES = 100;
const CLIENTS = 1000;
const CPU_WINDOW_MS = 3000;
const ROUNDS = 3;
const BASELINE_ROUNDS = 2;
const FANOUT_ROUNDS = 20;
/** After a poll period, every client must have heard a change within this, or it counts as missed. */
const DELIVERY_WAIT_MS = 2000;

const log = (message: string) => process.stderr.write(`  ${message}\n`);
const wallNow = () => performance.timeOrigin + performance.now();

// ---------- the client process ----------

interface ClientsReport {
  type: 'heard';
  /** Per client: ms from the event's updatedAt to its arrival; null when it did not arrive in time. */
  delays: (number | null)[];
}

/**
 * N SSE readers; on `watch:<phoneId>` each stamps the first chunk that names that phone after the watch
 * began. The hot path only stamps and keeps the chunk (a thousand sockets share this event loop: parsing
 * here would delay the stamps of the sockets read after it); the chunks are parsed when the bench asks.
 */
async function runClients(url: string, cookie: string, count: number): Promise<void> {
  let needle: Buffer | undefined;
  let watched = '';
  const stamps: number[] = new Array(count).fill(0);
  const chunks: string[] = new Array(count).fill('');
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const req = request(`${url}/api/events`, {
      agent: false,
      headers: { accept: 'text/event-stream', cookie },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) throw new Error(`stream ${i}: HTTP ${res.statusCode}`);
      connected++;
      if (connected === count) process.send?.({ type: 'connected', count });
      res.on('data', (chunk: Buffer) => {
        if (needle === undefined || stamps[i] !== 0 || !chunk.includes(needle)) return;
        stamps[i] = wallNow();
        chunks[i] = chunk.toString('utf8');
      });
    });
    req.on('error', (error) => {
      process.stderr.write(`stream ${i}: ${error.message}\n`);
    });
    req.end();
    // Not all at once: the server's accept queue is not what this measures.
    if (i % 100 === 99) await sleep(20);
  }
  /** ms from the ringing state's updatedAt to its arrival; null if not (yet) heard. */
  const delayOf = (i: number): number | null => {
    if (stamps[i] === 0) return null;
    for (const block of (chunks[i] ?? '').split('\n\n')) {
      if (!block.includes('event: state')) continue;
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      const state = data
        ? (JSON.parse(data.slice(6)) as { phoneId: string; status: string; updatedAt: string })
        : undefined;
      if (state?.phoneId === watched && state.status === 'ringing')
        return (stamps[i] as number) - Date.parse(state.updatedAt);
    }
    // The phone's first frame was something else (its call event alone): not the change measured.
    return null;
  };
  process.on('message', (message: unknown) => {
    if (typeof message !== 'string') return;
    if (message.startsWith('watch:')) {
      watched = message.slice('watch:'.length);
      needle = Buffer.from(`"phoneId":"${watched}"`);
      stamps.fill(0);
      process.send?.({ type: 'watching' });
    } else if (message === 'report') {
      process.send?.({ type: 'heard', delays: stamps.map((_, i) => delayOf(i)) } satisfies ClientsReport);
    }
  });
}

if (process.argv[2] === CLIENTS_FLAG) {
  const [url, count] = [process.argv[3] ?? '', Number(process.argv[4])];
  await runClients(url, process.env.BENCH_COOKIE ?? '', count);
}

// ---------- the bench ----------

/** The server's CPU share of one core (%) over `ms`. */
async function cpuShare(pid: number, ms: number): Promise<number> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  return ((cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
}

type Clients = ReturnType<typeof spawnNode>;

/** `count` SSE readers in their own process, all connected. */
async function startClients(deck: Pick<LineDeck, 'url' | 'cookie'>, count: number): Promise<Clients> {
  const clients = spawnNode(
    'sse-clients',
    ['--import', 'tsx', 'bench/browsers.ts', CLIENTS_FLAG, deck.url, String(count)],
    { env: { BENCH_COOKIE: deck.cookie }, ipc: true },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not all ${count} streams connected in 15 s`)), 15_000);
    clients.process.on('message', (m: { type?: string }) => {
      if (m?.type !== 'connected') return;
      clearTimeout(timer);
      resolve();
    });
    clients.process.once('exit', () => reject(new Error(`sse clients exited: ${clients.stderr()}`)));
  });
  return clients;
}

/** Rings one phone and collects every client's delay for its ringing state; hangs up again. */
async function ringAndMeasure(
  deck: LineDeck,
  clients: Clients,
  sim: string,
  phoneId: string,
  round: number,
): Promise<(number | null)[]> {
  await clients.ask(`watch:${phoneId}`, 'watching');
  const rung = await http(`${sim}/sim/ring`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number: `+4930300${round}`, name: 'Bench Caller' }),
    agent: deck.agent,
  });
  if (rung.status !== 200) throw new Error(`ring: HTTP ${rung.status}`);
  // A poll period to see it, then the fan-out: done as soon as every client heard it.
  const end = performance.now() + 1000 + DELIVERY_WAIT_MS;
  let delays: (number | null)[] = [];
  do {
    await sleep(150);
    delays = (await clients.ask<ClientsReport>('report', 'heard', 10_000)).delays;
  } while (delays.includes(null) && performance.now() < end);
  await http(`${sim}/sim/hangup`, { method: 'POST', body: '{}', agent: deck.agent });
  return delays;
}

async function deliveries(
  deck: LineDeck,
  clients: Clients,
  targets: readonly { url: string; id: string }[],
): Promise<{ delays: number[]; missed: number }> {
  const delays: number[] = [];
  let missed = 0;
  for (const [round, { url, id }] of targets.entries()) {
    for (const d of await ringAndMeasure(deck, clients, url, id, round)) {
      if (d === null) missed++;
      else delays.push(d);
    }
  }
  return { delays, missed };
}

/**
 * The server's own share of a delivery: the event hub alone (in this process, the same class the server
 * runs) publishing one state to the same 1,000 client streams, timed around `publish()`.
 */
async function hubFanOut(): Promise<number[]> {
  const hub = new EventHub({ logger: createLogger({ level: 'silent' }) });
  const app = express();
  app.get('/api/events', hub.handler());
  const server = app.listen(0, '127.0.0.1');
  let clients: Clients | undefined;
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    clients = await startClients({ url, cookie: '' }, CLIENTS);
    const times: number[] = [];
    for (let i = 0; i < FANOUT_ROUNDS; i++) {
      const state = { phoneId: `fan-${i}`, status: 'ringing' as const, dnd: null, forward: null };
      const t0 = performance.now();
      hub.publish({
        type: 'state',
        data: { ...state, lines: [], accounts: [], updatedAt: new Date().toISOString() },
      });
      times.push(performance.now() - t0);
      await sleep(50);
    }
    return times;
  } finally {
    await clients?.stop();
    hub.close();
    server.close();
  }
}

export async function browserStreams(): Promise<Figure[]> {
  const sim = await startSimFleet(PHONES);
  let deck: LineDeck | undefined;
  let clients: Clients | undefined;
  try {
    deck = await startLineDeck(sim.urls.map((u) => u.slice('http://'.length)));
    await waitAllPolled(deck, PHONES, 15_000);
    const pid = deck.child.pid;
    const byHost = new Map((await listPhones(deck)).map((p) => [p.host, p.id]));
    const targets = sim.urls.map((url) => ({ url, id: byHost.get(url.slice('http://'.length)) ?? '' }));

    log(`g. ${PHONES} phones polled each second, no stream: ${CPU_WINDOW_MS / 1000} s of server CPU`);
    const baselineCpu = await cpuShare(pid, CPU_WINDOW_MS);
    log('g. one SSE stream: a ring to it (the delivery baseline)');
    clients = await startClients(deck, 1);
    const one = await deliveries(deck, clients, targets.slice(0, BASELINE_ROUNDS));
    await clients.stop();

    clients = await startClients(deck, CLIENTS);
    // Let the connection burst (100 phones' snapshot to each) settle before the quiet window.
    await sleep(1000);
    log(`g. ${CLIENTS} SSE streams open, idle: ${CPU_WINDOW_MS / 1000} s of server CPU`);
    const streamsCpu = await cpuShare(pid, CPU_WINDOW_MS);
    log(`g. ${ROUNDS} rings, each state change to ${CLIENTS} streams`);
    const many = await deliveries(deck, clients, targets.slice(BASELINE_ROUNDS, BASELINE_ROUNDS + ROUNDS));

    await clients.stop();
    clients = undefined;
    log(`g. the event hub alone: ${FANOUT_ROUNDS} publishes to ${CLIENTS} streams`);
    const fanOut = await hubFanOut();

    const bench = `g. browsers on SSE (${PHONES} phones, 1 s polls)`;
    const p95 = (r: { delays: number[]; missed: number }) =>
      r.missed > 0 ? Number.POSITIVE_INFINITY : percentile(r.delays, 95);
    const heardNote =
      `${many.delays.length} of ${many.delays.length + many.missed} deliveries heard within ` +
      `${(1000 + DELIVERY_WAIT_MS) / 1000} s of the ring (${one.delays.length} of ${one.delays.length + one.missed} with one stream)`;
    return [
      figure({
        bench,
        name: `server CPU, idle, ${fmt(CLIENTS)} SSE browsers`,
        unit: '% core',
        value: streamsCpu,
        baseline: baselineCpu,
        baselineLabel: '0 SSE browsers',
        target: { on: 'added', op: '<', limit: 10, label: '< +10 % of a core' },
        note:
          `${CPU_WINDOW_MS / 1000}-s windows, no calls; the baseline is the polling of ${PHONES} phones; ` +
          'a freshness heartbeat to every stream every 2 s, no browser polls',
      }),
      figure({
        bench,
        name: `state change to all ${fmt(CLIENTS)} browsers, p50`,
        unit: 'ms',
        value: median(many.delays),
        baseline: median(one.delays),
        baselineLabel: 'one browser',
        note: `${heardNote}; from the read that saw the ring (its updatedAt) to each client's arrival`,
      }),
      figure({
        bench,
        name: `state change to all ${fmt(CLIENTS)} browsers, p95`,
        unit: 'ms',
        value: p95(many),
        baseline: p95(one),
        baselineLabel: 'one browser',
        target: { on: 'value', op: '<', limit: 100, label: '< 100 ms' },
        note:
          `max ${fmt(Math.max(...many.delays))} ms; of that, the server's fan-out (publish() writing one ` +
          `event to ${fmt(CLIENTS)} streams) p50 ${fmt(median(fanOut))} ms, p95 ${fmt(percentile(fanOut, 95))} ms; ` +
          'the rest is the sockets and the one client process reading all of them',
      }),
    ];
  } finally {
    await clients?.stop();
    await deck?.stop();
    await sim.child.stop();
  }
}
