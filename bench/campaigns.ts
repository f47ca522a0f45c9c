/**
 * k. The campaign tick's reads on a long, mostly worked list. The dialer (campaigns/dialer-engine.ts)
 * ticks every 250 ms and, per running campaign, reads the repository: `activeEntries` once (preview) and
 * `hasOpenEntries` per phone. The question: does a campaign of 50,000 entries with 49,900 already done
 * (a late-day list) keep those reads cheap, or do they walk the done rows of the claim index?
 *
 * Baseline: a campaign of 100 entries, 90 done, in the same SQLite file and run, so the ratio is what the
 * done rows add. 50,000 is ten times the API's cap (CAMPAIGN_MAX_ENTRIES): headroom, not a real list.
 * Entries are added with the repository's own `addEntries`; the done ones are the first positions (the
 * list is worked from the top), marked in one UPDATE. No entry is dialling: the worst case for a scan
 * over the index in state order ('dialling' < 'done' < 'offered' < 'pending').
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runningCampaign } from '../apps/server/src/campaigns/campaign-record.ts';
import { createCampaignsRepository } from '../apps/server/src/campaigns/campaigns-repository.ts';
import { openDatabase, type Store } from '../apps/server/src/store/database.ts';
import { type Figure, figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

const BENCH = 'k. campaign tick';
const PHONES = Array.from({ length: 10 }, (_, i) => `phone-${i}`);
const WARMUP = 50;
const MAX_ROUNDS = 500;
const WINDOW_MS = 5000;
const TARGET_MS = 2;
const CAMPAIGNS = ['small', 'large'] as const;
type CampaignId = (typeof CAMPAIGNS)[number];

async function seed(store: Store, id: CampaignId, total: number, done: number): Promise<void> {
  const repo = createCampaignsRepository(store.db);
  await repo.insertCampaign(runningCampaign(id, { mode: 'preview', phoneIds: PHONES }));
  const numbers = Array.from({ length: total }, (_, i) => String(300_000_000 + i));
  await repo.addEntries(
    id,
    numbers.map((n) => ({ number: n, e164: `+4930${n}`, digits: n, name: null, note: null })),
  );
  await store.db
    .updateTable('campaign_entries')
    .set({ state: 'done', outcome: 'answered' })
    .where('campaign_id', '=', id)
    .where('position', '<=', done)
    .execute();
}

type Timing = { p50: number; p95: number; rounds: number };

/**
 * p50 and p95 (ms) of `op` on the baseline and on the large campaign, after a warm-up, over at most
 * MAX_ROUNDS rounds or WINDOW_MS. Interleaved round by round, so other work on the machine (and the JIT
 * warming up) falls on both alike and the ratio stays meaningful.
 */
async function compare(op: (id: CampaignId) => Promise<void>): Promise<Record<CampaignId, Timing>> {
  for (let i = 0; i < WARMUP; i++) for (const id of CAMPAIGNS) await op(id);
  const times: Record<CampaignId, number[]> = { small: [], large: [] };
  const started = performance.now();
  for (let n = 0; n < MAX_ROUNDS && performance.now() - started < WINDOW_MS; n++) {
    for (const id of CAMPAIGNS) {
      const t = performance.now();
      await op(id);
      times[id].push(performance.now() - t);
    }
  }
  const timing = (list: number[]): Timing => ({
    p50: percentile(list, 50),
    p95: percentile(list, 95),
    rounds: list.length,
  });
  return { small: timing(times.small), large: timing(times.large) };
}

export async function campaignTick(): Promise<Figure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-bench-campaigns-'));
  let store: Store | undefined;
  try {
    store = await openDatabase({ dataDir: dir });
    const seedStarted = performance.now();
    await seed(store, 'small', 100, 90);
    await seed(store, 'large', 50_000, 49_900);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const repo = createCampaignsRepository(store.db);
    // What tickCampaign reads in preview mode when no phone gets a new entry: the offered entries once,
    // then "is anything left?" per phone.
    const reads = await compare(async (id) => {
      if ((await repo.activeEntries(id)).length !== 0) throw new Error(`${id}: an entry is active`);
      for (let i = 0; i < PHONES.length; i++)
        if (!(await repo.hasOpenEntries(id))) throw new Error(`${id}: no open entry`);
    });
    // A claim and the entry put back, so every round claims the same first pending entry.
    const claims = await compare(async (id) => {
      const entry = await repo.claimNext(id, 'phone-0', 'offered', new Date());
      if (!entry) throw new Error(`${id}: nothing to claim`);
      await repo.setEntry(entry.id, { state: 'pending', phoneId: null }, ['offered']);
    });
    const baselineLabel = '100 entries, 90 done';
    return [
      figure({
        bench: BENCH,
        name: 'tick reads (activeEntries + 10 hasOpenEntries) p95, 50,000 entries, 49,900 done',
        unit: 'ms',
        value: reads.large.p95,
        baseline: reads.small.p95,
        baselineLabel,
        target: { on: 'value', op: '<', limit: TARGET_MS, label: `< ${TARGET_MS} ms` },
        note: `p50 ${reads.large.p50.toFixed(3)} ms (baseline ${reads.small.p50.toFixed(3)} ms); ${reads.large.rounds} rounds; entries added in ${seedSeconds.toFixed(1)} s`,
      }),
      figure({
        bench: BENCH,
        name: 'claimNext + setEntry back to pending p95, 50,000 entries',
        unit: 'ms',
        value: claims.large.p95,
        baseline: claims.small.p95,
        baselineLabel,
        note: `p50 ${claims.large.p50.toFixed(3)} ms (baseline ${claims.small.p50.toFixed(3)} ms); ${claims.large.rounds} rounds`,
      }),
    ];
  } finally {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
