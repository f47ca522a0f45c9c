/**
 * Server speed (issue 5, "Speed"), the real server in a child process against simulated phones in another
 * (d and e on each database, SQLite then Postgres, in the same run: the storage seam's cost):
 * c. viewers: phone requests/s with 100 browsers polling a phone's state 10 times a second, divided by the
 *    same with none (the cache must absorb every read);
 * d. overhead: median time of POST /api/phones/:id/keys against the same api-send_key sent straight to the
 *    simulator; the server may add < 2 ms;
 * e. fleet: 500 phones polled at 1 Hz: server CPU share of one core (/proc/<pid>/stat) and event-loop
 *    delay p99 (preloaded probe, lib/loop-delay-probe.ts), against the same server polling no phone; on
 *    Postgres also the statements the database ran meanwhile (the poll must run none).
 */
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, rssMb, spawnNode } from './lib/children.ts';
import { http } from './lib/http.ts';
import type { LoopDelay } from './lib/loop-delay-probe.ts';
import { type BenchPostgres, statementsBetween, withPostgres } from './lib/postgres.ts';
import type { Figure } from './lib/report.ts';
import { failed, figure } from './lib/report.ts';
import type { LineDeck, SimFleet } from './lib/stack.ts';
import {
  countWindow,
  listPhones,
  PHONE_PASSCODE,
  readSimLogs,
  startLineDeck,
  startSimFleet,
  waitAllPolled,
} from './lib/stack.ts';
import { fmt, mean, median, percentile, sleep } from './lib/stats.ts';

const log = (message: string) => process.stderr.write(`  ${message}\n`);

// ---------- c. viewers ----------

const VIEWER_PHONES = 20;
const VIEWERS = 100;
const VIEWER_PERIOD_MS = 100;
/**
 * Both windows sit between two of the poller's 30-s account refreshes (one at the first poll), so each
 * holds the same kinds of requests: line and phone status once a second per phone.
 */
const WINDOW_MS = 8000;
const SETTLE_MS = 1500;

interface ViewerLoad {
  stop(): Promise<void>;
  /** Answers and their latencies for requests started in [from, to). */
  stats(from: number, to: number): { answered: number; failed: number; latencies: number[] };
}

/** 100 "browsers", each polling GET /api/phones/:id/state every 100 ms on its own schedule. */
function startViewers(deck: LineDeck, phoneIds: readonly string[]): ViewerLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: VIEWERS });
  const samples: { at: number; ms: number; ok: boolean }[] = [];
  let running = true;
  const browser = async (i: number) => {
    const url = `${deck.url}/api/phones/${phoneIds[i % phoneIds.length]}/state`;
    // Spread the browsers over the period, as real ones are.
    await sleep((i * VIEWER_PERIOD_MS) / VIEWERS);
    let next = performance.now();
    while (running) {
      const at = Date.now();
      const t = performance.now();
      let ok = false;
      try {
        ok = (await http(url, { headers: { cookie: deck.cookie }, agent })).status === 200;
      } catch {
        ok = false;
      }
      samples.push({ at, ms: performance.now() - t, ok });
      next += VIEWER_PERIOD_MS;
      // A browser that fell behind does not burst to catch up.
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      else next = performance.now();
    }
  };
  const loops = Array.from({ length: VIEWERS }, (_, i) => browser(i));
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
    stats(from, to) {
      const inWindow = samples.filter((s) => s.at >= from && s.at < to);
      return {
        answered: inWindow.filter((s) => s.ok).length,
        failed: inWindow.filter((s) => !s.ok).length,
        latencies: inWindow.filter((s) => s.ok).map((s) => s.ms),
      };
    },
  };
}

function breakdown(byFunction: Record<string, number>): string {
  return Object.entries(byFunction)
    .sort()
    .map(([fn, n]) => `${fn.replace('api-', '')} ${n}`)
    .join(', ');
}

/** Seconds between two line-status polls of one phone, from a window's count. */
function pollPeriod(count: { byFunction: Record<string, number> }, ms: number): number {
  const polls = count.byFunction['api-get_line_status'] ?? 0;
  return polls === 0 ? Number.NaN : ms / 1000 / (polls / VIEWER_PHONES);
}

async function viewers(sim: SimFleet, deck: LineDeck, phoneIds: string[]): Promise<Figure[]> {
  const pid = deck.child.pid;
  await sleep(SETTLE_MS);
  const a0 = Date.now();
  const cpuA0 = cpuSeconds(pid);
  await deck.child.ask('loop-delay:reset', 'loop-delay:reset');
  await sleep(WINDOW_MS);
  const a1 = Date.now();
  const cpuA = cpuSeconds(pid) - cpuA0;
  const loopA = await deck.child.ask<LoopDelay>('loop-delay:read', 'loop-delay');
  log(`c. ${VIEWERS} viewers on`);
  const load = startViewers(deck, phoneIds);
  let b0 = 0;
  let b1 = 0;
  let cpuB0 = 0;
  let cpuB = 0;
  let loopB: LoopDelay | undefined;
  try {
    await sleep(SETTLE_MS);
    b0 = Date.now();
    cpuB0 = cpuSeconds(pid);
    await deck.child.ask('loop-delay:reset', 'loop-delay:reset');
    await sleep(WINDOW_MS);
    b1 = Date.now();
    cpuB = cpuSeconds(pid) - cpuB0;
    loopB = await deck.child.ask<LoopDelay>('loop-delay:read', 'loop-delay');
  } finally {
    await load.stop();
  }
  const logs = await readSimLogs(sim.urls);
  const none = countWindow(logs, a0, a1);
  const watched = countWindow(logs, b0, b1);
  const served = load.stats(b0, b1);
  const seconds = (b1 - b0) / 1000;
  const asked = (VIEWERS * 1000) / VIEWER_PERIOD_MS;
  const shareA = (cpuA / (a1 - a0)) * 1e5;
  const shareB = (cpuB / (b1 - b0)) * 1e5;
  // CPU the viewers cost the server, per read served.
  const perReadMs = ((shareB - shareA) / 100) * ((b1 - b0) / Math.max(1, served.answered));
  const bench = `c. viewers (${VIEWER_PHONES} phones)`;
  return [
    figure({
      bench,
      name: `phone requests/s, ${VIEWERS} viewers`,
      unit: 'req/s',
      value: watched.perSecond,
      baseline: none.perSecond,
      baselineLabel: 'no viewer',
      target: { on: 'ratio', op: '<=', limit: 1.05, label: 'ratio <= 1.05' },
      note:
        `windows of ${WINDOW_MS / 1000} s; no viewer: ${breakdown(none.byFunction)}; ` +
        `${VIEWERS} viewers: ${breakdown(watched.byFunction)}; poll period per phone ` +
        `${fmt(pollPeriod(none, a1 - a0), 3)} s without viewers, ${fmt(pollPeriod(watched, b1 - b0), 3)} s with ` +
        '(a ratio under 1 means polls slowed down, not extra traffic)',
    }),
    // The ratio above only means something if the server really served the viewers' load.
    figure({
      bench,
      name: 'viewer reads served (load check)',
      unit: 'req/s',
      value: served.answered / seconds,
      target: { on: 'value', op: '>=', limit: asked * 0.95, label: `>= 95% of ${fmt(asked)} asked` },
      note:
        `${VIEWERS} browsers x ${1000 / VIEWER_PERIOD_MS}/s asked (one shared session); ` +
        `${served.failed} failed; latency p50 ${fmt(median(served.latencies))} ms, ` +
        `p99 ${fmt(percentile(served.latencies, 99))} ms; server CPU ${fmt(shareA, 1)}% of a core ` +
        `without viewers, ${fmt(shareB, 1)}% with: ${fmt(perReadMs, 3)} ms of CPU per read; server event-loop ` +
        `delay p99 ${fmt(loopA.p99Ms)} ms without viewers, ${fmt(loopB?.p99Ms ?? Number.NaN)} ms with`,
    }),
  ];
}

// ---------- d. command overhead ----------

/** 12 keys that change nothing but the idle phone's dial buffer. */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
/** The server answers an identical command within 1.5 s from the first: keep identical ones further apart. */
const GUARD_GAP_MS = 1600;
const WARMUP = 24;
const SAMPLES = 200;

interface OverheadRun {
  /** Which database the server runs on, for the figures' names. */
  database: 'SQLite' | 'Postgres';
  /** Counts the statements the server's database ran (Postgres only). */
  postgres?: BenchPostgres;
  /** The server median measured on SQLite earlier in the run, for the Postgres note. */
  sqliteMedianMs?: number;
}

async function overhead(
  deck: LineDeck,
  phones: { id: string; sim: string }[],
  run: OverheadRun,
): Promise<Figure[]> {
  const serverAgent = new Agent({ keepAlive: true, maxSockets: 4 });
  const directAgent = new Agent({ keepAlive: true, maxSockets: 4 });
  const proxyAgent = new Agent({ keepAlive: true, maxSockets: 4 });
  const viaServer: number[] = [];
  const direct: number[] = [];
  const viaProxy: number[] = [];
  const proxy = spawnNode('bare-proxy', ['--import', 'tsx', 'bench/lib/bare-proxy.ts']);
  const lastSent = new Map<string, number>();
  let guardWaits = 0;
  // Phones vary fastest: the same phone sees a command only every `phones.length` samples.
  const combos = KEYS.flatMap((key) => phones.map((phone) => ({ key, phone })));
  const timeServer = async (phone: { id: string }, key: string) => {
    const t = performance.now();
    const answer = await http(`${deck.url}/api/phones/${phone.id}/keys`, {
      method: 'POST',
      headers: { cookie: deck.cookie, origin: deck.url, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [key] }),
      agent: serverAgent,
    });
    const ms = performance.now() - t;
    if (answer.status !== 200 || !answer.text.includes('complete')) {
      throw new Error(`POST keys: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    return ms;
  };
  const timeProxy = async (proxyUrl: string, phone: { sim: string }, key: string) => {
    const t = performance.now();
    const answer = await http(`${proxyUrl}/${new URL(phone.sim).port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys: [key] }),
      agent: proxyAgent,
    });
    const ms = performance.now() - t;
    if (answer.status !== 200 || !answer.text.includes('complete')) {
      throw new Error(`bare proxy: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    return ms;
  };
  const timeDirect = async (phone: { sim: string }, key: string) => {
    const query = new URLSearchParams({ passcode: PHONE_PASSCODE, keys: key });
    const t = performance.now();
    const answer = await http(`${phone.sim}/cgi-bin/api-send_key?${query}`, { agent: directAgent });
    const ms = performance.now() - t;
    if (answer.status !== 200 || !answer.text.includes('complete')) {
      throw new Error(`api-send_key: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    return ms;
  };
  // The server's own CPU per command, net of its background polling (rate read just before).
  const pid = deck.child.pid;
  const idle0 = cpuSeconds(pid);
  const idleT0 = performance.now();
  await sleep(1000);
  const idleRate = (cpuSeconds(pid) - idle0) / (performance.now() - idleT0);
  const statements0 = await run.postgres?.statements();
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  try {
    const proxyUrl = (await proxy.waitFor(/at (http:\/\/127\.0\.0\.1:\d+)/, 20_000))[1] as string;
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const { key, phone } = combos[i % combos.length] as (typeof combos)[number];
      const comboKey = `${phone.id}|${key}`;
      const wait = (lastSent.get(comboKey) ?? Number.NEGATIVE_INFINITY) + GUARD_GAP_MS - Date.now();
      if (wait > 0) {
        guardWaits++;
        await sleep(wait);
      }
      lastSent.set(comboKey, Date.now());
      // Rotate the order so no path always runs first or on a just-warmed socket.
      const runs = [
        async () => viaServer.push(await timeServer(phone, key)),
        async () => direct.push(await timeDirect(phone, key)),
        async () => viaProxy.push(await timeProxy(proxyUrl, phone, key)),
      ];
      for (let r = 0; r < runs.length; r++) await (runs[(i + r) % runs.length] as () => Promise<number>)();
      if (i === WARMUP - 1) {
        for (const list of [viaServer, direct, viaProxy]) list.length = 0;
      }
    }
  } finally {
    serverAgent.destroy();
    directAgent.destroy();
    proxyAgent.destroy();
    await proxy.stop();
  }
  const cpuPerCommandMs =
    ((cpuSeconds(pid) - cpu0 - idleRate * (performance.now() - t0)) * 1000) / (WARMUP + SAMPLES);
  const statements1 = await run.postgres?.statements();
  const ran = statements0 && statements1 ? statementsBetween(statements0, statements1) : undefined;
  const perCommand = ran
    ? `; ${fmt(ran.total / (WARMUP + SAMPLES), 2)} database statements per command (${ran.which})`
    : '';
  const onSqlite =
    run.sqliteMedianMs === undefined ? '' : `; the same on SQLite: ${fmt(run.sqliteMedianMs)} ms`;
  const bench = `d. command overhead (${run.database})`;
  return [
    figure({
      bench,
      name: 'POST /keys vs api-send_key, median',
      unit: 'ms',
      value: median(viaServer),
      baseline: median(direct),
      baselineLabel: 'straight to sim',
      target: { on: 'added', op: '<', limit: 2, label: 'added < 2 ms' },
      note:
        `${SAMPLES} samples each over ${phones.length} phones x ${KEYS.length} keys (no double-click guard hit, ` +
        `${guardWaits} waits); p90 ${fmt(percentile(viaServer, 90))} vs ${fmt(percentile(direct, 90))} ms, ` +
        `mean ${fmt(mean(viaServer))} vs ${fmt(mean(direct))} ms; server CPU ${fmt(cpuPerCommandMs)} ms per ` +
        `command (with the poll it triggers)${perCommand}${onSqlite}`,
    }),
    figure({
      bench,
      name: 'bare proxy hop vs api-send_key, median',
      unit: 'ms',
      value: median(viaProxy),
      baseline: median(direct),
      baselineLabel: 'straight to sim',
      note:
        "the floor: a bare node:http server forwarding the same request over the CTI client's own " +
        'kept-alive connection (undici, lib/bare-proxy.ts)',
    }),
    // What LineDeck itself adds on top of any forwarding process: sign-in check, validation, the
    // double-click guard, the queue, the audit record, the answer.
    figure({
      bench,
      name: "LineDeck's own share, median",
      unit: 'ms',
      value: median(viaServer),
      baseline: median(viaProxy),
      baselineLabel: 'bare proxy hop',
      target: { on: 'added', op: '<', limit: 0.3, label: 'added < 0.3 ms' },
      note: `POST /keys median minus the bare proxy hop's, same ${SAMPLES} interleaved samples`,
    }),
  ];
}

/** The 20 phones as the server lists them, with their simulator URLs. */
async function phonesOf(deck: LineDeck, sim: SimFleet): Promise<{ id: string; sim: string }[]> {
  const rows = await listPhones(deck);
  const byHost = new Map(rows.map((r) => [r.host, r.id]));
  const phones = sim.urls.map((url) => ({ id: byHost.get(url.slice('http://'.length)) ?? '', sim: url }));
  if (phones.some((p) => p.id === '')) throw new Error('a simulated phone is missing from GET /api/phones');
  return phones;
}

/** c and d share one simulator and one server on SQLite; d runs again on a server on Postgres. */
/** c and d share one fleet and server; `npm run bench -- d` runs d alone (`c` alone likewise). */
export async function viewersAndOverhead(
  parts: { viewers: boolean; overhead: boolean } = { viewers: true, overhead: true },
): Promise<Figure[]> {
  const sim = await startSimFleet(VIEWER_PHONES);
  const hosts = sim.urls.map((u) => u.slice('http://'.length));
  const figures: Figure[] = [];
  try {
    let sqliteMedianMs: number | undefined;
    const deck = await startLineDeck(hosts);
    try {
      await waitAllPolled(deck, VIEWER_PHONES, 15_000);
      const phones = await phonesOf(deck, sim);
      if (parts.viewers) {
        log('c. viewers: 2 windows of 8 s');
        try {
          figures.push(
            ...(await viewers(
              sim,
              deck,
              phones.map((p) => p.id),
            )),
          );
        } catch (error) {
          figures.push(failed('c. viewers', error));
        }
      }
      if (parts.overhead) {
        log('d. command overhead, SQLite');
        try {
          const d = await overhead(deck, phones, { database: 'SQLite' });
          sqliteMedianMs = d[0]?.value;
          figures.push(...d);
        } catch (error) {
          figures.push(failed('d. command overhead (SQLite)', error));
        }
      }
    } finally {
      await deck.stop();
    }
    if (!parts.overhead) return figures;
    log('d. command overhead, Postgres');
    try {
      figures.push(
        ...(await withPostgres(async (postgres) => {
          const onPostgres = await startLineDeck(hosts, { databaseUrl: postgres.databaseUrl });
          try {
            await waitAllPolled(onPostgres, VIEWER_PHONES, 15_000);
            const phones = await phonesOf(onPostgres, sim);
            return await overhead(onPostgres, phones, {
              database: 'Postgres',
              postgres,
              ...(sqliteMedianMs === undefined ? {} : { sqliteMedianMs }),
            });
          } finally {
            await onPostgres.stop();
          }
        })),
      );
    } catch (error) {
      figures.push(failed('d. command overhead (Postgres)', error));
    }
    return figures;
  } finally {
    await sim.child.stop();
  }
}

// ---------- e. fleet load ----------

const FLEET = 500;
const IDLE_WINDOW_MS = 8000;
const FLEET_WINDOW_MS = 15_000;

interface LoadWindow {
  cpuShare: number;
  loop: LoopDelay;
  rssMb: number;
  from: number;
  to: number;
}

/** CPU share of one core and event-loop delay of the server over one window. */
async function measure(deck: LineDeck, ms: number): Promise<LoadWindow> {
  await deck.child.ask('loop-delay:reset', 'loop-delay:reset');
  const from = Date.now();
  const cpu0 = cpuSeconds(deck.child.pid);
  const t0 = performance.now();
  await sleep(ms);
  const cpu1 = cpuSeconds(deck.child.pid);
  const seconds = (performance.now() - t0) / 1000;
  const to = Date.now();
  const loop = await deck.child.ask<LoopDelay>('loop-delay:read', 'loop-delay');
  return { cpuShare: ((cpu1 - cpu0) / seconds) * 100, loop, rssMb: rssMb(deck.child.pid), from, to };
}

interface FleetRun {
  busy: LoadWindow;
  startMs: number;
  firstPollMs: number;
  phones: ReturnType<typeof countWindow>;
  /** Statements the database ran during the window (Postgres only). */
  statements?: ReturnType<typeof statementsBetween>;
}

/** A server polling every phone of `sim`: its load over one window once all were read. */
async function pollFleet(sim: SimFleet, postgres?: BenchPostgres): Promise<FleetRun> {
  const hosts = sim.urls.map((u) => u.slice('http://'.length));
  const deck = await startLineDeck(hosts, postgres ? { databaseUrl: postgres.databaseUrl } : {});
  try {
    const polledAt = Date.now();
    await waitAllPolled(deck, FLEET, 30_000);
    const firstPollMs = Date.now() - polledAt;
    await sleep(3000);
    const before = await postgres?.statements();
    const busy = await measure(deck, FLEET_WINDOW_MS);
    const after = await postgres?.statements();
    const phones = countWindow(await readSimLogs(sim.urls), busy.from, busy.to);
    return {
      busy,
      startMs: deck.startMs,
      firstPollMs,
      phones,
      ...(before && after ? { statements: statementsBetween(before, after) } : {}),
    };
  } finally {
    await deck.stop();
  }
}

function fleetFigures(database: 'SQLite' | 'Postgres', run: FleetRun, idle: LoadWindow, sqlite?: FleetRun) {
  const { busy, phones } = run;
  const lineReads = phones.byFunction['api-get_line_status'] ?? 0;
  const perPhoneHz = lineReads / ((busy.to - busy.from) / 1000) / FLEET;
  const bench = `e. fleet (${FLEET} phones, 1 Hz, ${database})`;
  // On Postgres the baseline is the same server on SQLite: the ratio is what the database choice costs.
  const against = sqlite
    ? { cpu: sqlite.busy.cpuShare, p99: sqlite.busy.loop.p99Ms, label: 'the same on SQLite' }
    : { cpu: idle.cpuShare, p99: idle.loop.p99Ms, label: 'idle server' };
  const figures: Figure[] = [
    figure({
      bench,
      name: 'server CPU, share of one core',
      unit: '%',
      value: busy.cpuShare,
      baseline: against.cpu,
      baselineLabel: against.label,
      target: { on: 'value', op: '<', limit: 50, label: '< 50%' },
      note:
        `/proc/<pid>/stat utime+stime over ${FLEET_WINDOW_MS / 1000} s (idle: ${IDLE_WINDOW_MS / 1000} s, ` +
        `${fmt(idle.cpuShare, 1)}%); RSS ${fmt(busy.rssMb)} MB (idle ${fmt(idle.rssMb)} MB); server up in ` +
        `${run.startMs} ms, all ${FLEET} polled ${run.firstPollMs} ms later`,
    }),
    figure({
      bench,
      name: 'event-loop delay p99',
      unit: 'ms',
      value: busy.loop.p99Ms,
      baseline: against.p99,
      baselineLabel: against.label,
      target: { on: 'value', op: '<', limit: 20, label: '< 20 ms' },
      note:
        `monitorEventLoopDelay (${busy.loop.resolutionMs} ms resolution, lateness beyond it); ` +
        `p50 ${fmt(busy.loop.p50Ms)} ms, max ${fmt(busy.loop.maxMs)} ms (idle max ${fmt(idle.loop.maxMs)} ms)`,
    }),
    figure({
      bench,
      name: 'phone requests/s achieved',
      unit: 'req/s',
      value: phones.perSecond,
      note: `line-status polls ${fmt(perPhoneHz, 3)} Hz per phone; ${breakdown(phones.byFunction)}`,
    }),
  ];
  if (run.statements !== undefined) {
    figures.push(
      figure({
        bench,
        name: 'database statements during the poll window',
        unit: '',
        value: run.statements.total,
        target: { on: 'value', op: '<=', limit: 0, label: '0 (polls read memory)' },
        note:
          `statements of the server's database (pg_stat_statements) over the ${FLEET_WINDOW_MS / 1000} s ` +
          `window, while ${fmt(phones.perSecond)} phone requests/s were made and answered: ${run.statements.which}`,
      }),
    );
  }
  return figures;
}

/** The same 500 phones polled by a server on SQLite, then by one on Postgres. */
export async function fleetLoad(): Promise<Figure[]> {
  // The phones start first; idle, they cost the idle measurement nothing.
  const sim = await startSimFleet(FLEET);
  log(`e. ${FLEET} phones started in ${sim.startMs} ms; idle server`);
  try {
    const idleDeck = await startLineDeck([]);
    let idle: LoadWindow;
    try {
      await sleep(2000);
      idle = await measure(idleDeck, IDLE_WINDOW_MS);
    } finally {
      await idleDeck.stop();
    }
    const figures: Figure[] = [];
    log(`e. server on SQLite polling ${FLEET} phones`);
    let sqlite: FleetRun | undefined;
    try {
      sqlite = await pollFleet(sim);
      figures.push(...fleetFigures('SQLite', sqlite, idle));
    } catch (error) {
      figures.push(failed(`e. fleet (SQLite)`, error));
    }
    log(`e. server on Postgres polling ${FLEET} phones`);
    try {
      const onPostgres = await withPostgres((postgres) => pollFleet(sim, postgres));
      figures.push(...fleetFigures('Postgres', onPostgres, idle, sqlite));
    } catch (error) {
      figures.push(failed(`e. fleet (Postgres)`, error));
    }
    return figures;
  } finally {
    await sim.child.stop();
  }
}
