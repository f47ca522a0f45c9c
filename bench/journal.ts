/**
 * j. The call journal at scale: a SQLite journal of 1,000,000 calls (200 phones, 90 days, numbers
 * spread as callers are: a few frequent, most rare, a fifth internal extensions), and the two queries
 * people run on it through the real HTTP route (`GET /api/calls`, calls/routes.ts over the repository,
 * express with open access): one number written nationally, and one phone's last 7 days.
 *
 * Baseline: the same requests on an empty journal, in the same run, so the figure is what a million
 * rows add. The journal is built in a temp dir with the repository's own rows (see `fill`) and deleted
 * afterwards. The number asked for is a caller of middling frequency (about 350 calls in the journal).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import express from 'express';
import { createOpenAccess } from '../apps/server/src/access/access.ts';
import { noopAudit } from '../apps/server/src/audit/audit-seam.ts';
import { callRow, createCallsRepository } from '../apps/server/src/calls/calls-repository.ts';
import type { CallsStore, StoredCall } from '../apps/server/src/calls/calls-store.ts';
import { callRoutes } from '../apps/server/src/calls/routes.ts';
import { errorHandler } from '../apps/server/src/errors.ts';
import { createLogger } from '../apps/server/src/logger.ts';
import { openDatabase, type Store } from '../apps/server/src/store/database.ts';
import { http as get } from './lib/http.ts';
import { type Figure, figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

const BENCH = 'j. call journal';
const CALLS = 1_000_000;
const PHONES = 200;
const DAYS = 90;
const EXTERNAL_NUMBERS = 20_000;
const WARMUP = 20;
const REQUESTS = 300;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The number asked for: rank 102 of the callers (rank 0 calls most), a Berlin number. */
const ASKED_RANK = 102;

/** A small seeded generator (mulberry32): the same journal on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Caller `rank` as the phone shows it (national) and in E.164: Berlin, Munich, Hamburg, mobiles. */
function externalNumber(rank: number): { shown: string; written: string; e164: string } {
  const areas = ['30', '89', '40', '151', '171', '221'];
  const area = areas[rank % areas.length] as string;
  const subscriber = String(2_000_000 + rank * 37).padStart(7, '0');
  return {
    shown: `0${area}${subscriber}`,
    written: `0${area} ${subscriber}`,
    e164: `+49${area}${subscriber}`,
  };
}

const OUTCOMES_IN = ['answered', 'answered', 'answered', 'answered', 'missed', 'rejected'] as const;
const OUTCOMES_OUT = [
  'answered',
  'answered',
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'failed',
] as const;

function makeCall(i: number, rnd: () => number, now: number): StoredCall {
  const started = new Date(now - rnd() * DAYS * DAY_MS);
  const incoming = rnd() < 0.6;
  const internal = rnd() < 0.2;
  // Squared uniform: rank 0 is the most frequent caller, rank 100 has about 350 calls in a million.
  const rank = Math.floor(EXTERNAL_NUMBERS * rnd() ** 2);
  const external = externalNumber(rank);
  const remoteNumber = internal ? String(2000 + Math.floor(rnd() * PHONES)) : external.shown;
  const outcome = incoming
    ? OUTCOMES_IN[Math.floor(rnd() * OUTCOMES_IN.length)]
    : OUTCOMES_OUT[Math.floor(rnd() * OUTCOMES_OUT.length)];
  const ring = Math.floor(rnd() * 20);
  const talk = outcome === 'answered' ? Math.floor(rnd() * 600) : 0;
  const ended = new Date(started.getTime() + (ring + talk) * 1000).toISOString();
  return {
    id: `bench-${i}`,
    phoneId: `phone-${i % PHONES}`,
    line: 1 + (i % 2),
    account: 1,
    direction: incoming ? 'incoming' : 'outgoing',
    outcome: outcome ?? 'answered',
    remoteNumber,
    remoteE164: internal ? null : external.e164,
    remoteName: internal ? `Desk ${remoteNumber}` : `Caller ${rank}`,
    contact: null,
    startedAt: started.toISOString(),
    answeredAt: outcome === 'answered' ? new Date(started.getTime() + ring * 1000).toISOString() : null,
    endedAt: ended,
    ringSeconds: ring,
    talkSeconds: talk,
    holdSeconds: 0,
    transferTarget: null,
    dialledBy: null,
    answeredBy: null,
    endedBy: null,
    interrupted: false,
    turnedAway: null,
    lastSeenAt: ended,
  };
}

/**
 * Fills the journal's file directly (better-sqlite3, one prepared insert, one transaction) with the rows
 * the repository itself would write (`callRow`): the repository's upsert takes minutes for a million
 * rows on two busy cores. The migration's indexes are dropped first and made again from their own SQL
 * afterwards (one sort each instead of a million random index writes): the same indexes the server has.
 */
function fill(file: string, now: number): number {
  const started = performance.now();
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = OFF');
  handle.pragma('cache_size = -200000');
  const indexes = handle
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'calls' and sql is not null",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) handle.exec(`drop index ${index.name}`);
  const columns = Object.keys(callRow(makeCall(0, random(1), now)));
  const insert = handle.prepare(
    `insert into calls (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  const rnd = random(42);
  handle.transaction(() => {
    for (let i = 0; i < CALLS; i++) insert.run(callRow(makeCall(i, rnd, now)));
  })();
  for (const index of indexes) handle.exec(index.sql);
  handle.close();
  return (performance.now() - started) / 1000;
}

/** The real route on its own port: express, the JSON parser, callRoutes, the error handler. */
async function serve(store: CallsStore): Promise<{ url: string; close(): Promise<void> }> {
  const logger = createLogger({ level: 'silent' });
  const app = express();
  const access = createOpenAccess();
  app.use('/api', express.json());
  app.use(
    '/api/calls',
    access.authenticate,
    callRoutes({ store, access, audit: noopAudit, logger, phoneName: () => undefined }),
  );
  app.use(errorHandler(logger));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function latencies(
  url: string,
  agent: http.Agent,
): Promise<{ p50: number; p95: number; rows: number }> {
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const t = performance.now();
    const answer = await get(url, { agent });
    if (answer.status !== 200) throw new Error(`${url}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    if (i >= WARMUP) times.push(performance.now() - t);
    if (i === 0) rows = (JSON.parse(answer.text) as { calls: unknown[] }).calls.length;
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), rows };
}

export async function callJournal(): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-bench-journal-'));
  const stores: Store[] = [];
  const servers: { close(): Promise<void> }[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const now = Date.now();
    // Migrated (the tables and indexes of the server), closed, filled, then opened as the server does.
    await (await openDatabase({ dataDir: dir, fileName: 'full.db' })).close();
    const fillSeconds = fill(path.join(dir, 'full.db'), now);
    const full = await openDatabase({ dataDir: dir, fileName: 'full.db' });
    const empty = await openDatabase({ dataDir: dir, fileName: 'empty.db' });
    stores.push(full, empty);
    const fullStore = createCallsRepository(full.db, { defaultCountry: 'DE' });
    const fullServer = await serve(fullStore);
    const emptyServer = await serve(createCallsRepository(empty.db, { defaultCountry: 'DE' }));
    servers.push(fullServer, emptyServer);
    const national = externalNumber(ASKED_RANK).written;
    const from = new Date(now - 7 * DAY_MS).toISOString();
    const queries = [
      {
        name: `GET /api/calls?number=${national}`,
        path: `/api/calls?number=${encodeURIComponent(national)}`,
      },
      { name: 'GET /api/calls?phoneId=&from=<7 days ago>', path: `/api/calls?phoneId=phone-17&from=${from}` },
    ];
    const figures: Figure[] = [];
    for (const q of queries) {
      const loaded = await latencies(fullServer.url + q.path, agent);
      const bare = await latencies(emptyServer.url + q.path, agent);
      figures.push(
        figure({
          bench: BENCH,
          name: `${q.name} p95, 1,000,000 calls`,
          unit: 'ms',
          value: loaded.p95,
          baseline: bare.p95,
          baselineLabel: 'empty journal',
          target: { on: 'value', op: '<', limit: 50, label: '< 50 ms' },
          note: `p50 ${loaded.p50.toFixed(2)} ms (empty ${bare.p50.toFixed(2)} ms); ${loaded.rows} calls in the page; journal filled in ${fillSeconds.toFixed(0)} s`,
        }),
      );
    }
    return figures;
  } finally {
    agent.destroy();
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
