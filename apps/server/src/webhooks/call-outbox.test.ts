/**
 * A call's webhook deliveries written in the call's own save, on the project's database (SQLite, or
 * Postgres in the `postgres` project): the real calls repository, webhooks service and call recorder.
 * The dispatcher is not started (nothing is sent); its wake-ups are recorded with what they would read.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Call, CallEvent, WebhookEvent } from '@linedeck/contract';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallRecorder } from '../calls/call-recorder.ts';
import { createCallsRepository, type WriteWithCalls } from '../calls/calls-repository.ts';
import type { CallsStore } from '../calls/calls-store.ts';
import { storedCall } from '../calls/test-support.ts';
import { createLogger } from '../logger.ts';
import { createSecretBox } from '../store/crypto.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { callMilestones, callOutbox } from './call-outbox.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { createWebhooksRepository, enqueueDeliveries } from './webhooks-repository.ts';
import { Webhooks } from './webhooks-service.ts';

const ALL_CALL_EVENTS: WebhookEvent[] = ['call.ringing', 'call.answered', 'call.missed', 'call.ended'];
const key = randomBytes(32);
let dataDir: string;
let database: TestDatabase;
let store: Store;
const logLines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  }),
});

/** What a server start builds: the webhooks service (hooks loaded) and the journal writing through it. */
async function startParts() {
  const box = createSecretBox(key);
  const repository = createWebhooksRepository(store.db);
  const dispatcher = new WebhookDispatcher({ repository, box, logger });
  /** At each wake-up: how many deliveries the dispatcher's own read would find then. */
  const kicks: Promise<number>[] = [];
  dispatcher.kick = () => kicks.push(committedCount());
  const webhooks = new Webhooks({ repository, box, dispatcher, logger });
  await webhooks.load();
  const outbox = callOutbox(webhooks, dispatcher);
  const journal = (writeWith: WriteWithCalls = outbox): CallsStore =>
    createCallsRepository(store.db, { defaultCountry: 'DE', writeWith });
  return { webhooks, outbox, journal, calls: journal(), kicks };
}

/**
 * Deliveries another connection sees. On SQLite it reads at this very instant (synchronously, so a
 * wake-up or an announcement made inside the transaction would find nothing); on Postgres just after.
 */
function committedCount(): Promise<number> {
  if (store.dialect === 'postgres') return outboxCount();
  const reader = new BetterSqlite3(path.join(dataDir, 'linedeck.db'), { readonly: true });
  try {
    const row = reader.prepare('select count(*) as n from webhook_outbox').get() as { n: number };
    return Promise.resolve(row.n);
  } finally {
    reader.close();
  }
}

async function outboxCount(callId?: string): Promise<number> {
  let query = store.db.selectFrom('webhook_outbox').select((eb) => eb.fn.countAll<number>().as('n'));
  if (callId) query = query.where('call_id', '=', callId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Each webhook's call events, as `webhookId event` sorted (rows written together share a time). */
async function outbox(): Promise<string[]> {
  const rows = await store.db
    .selectFrom('webhook_outbox')
    .select(['webhook_id', 'event', 'call_id'])
    .execute();
  return rows.map((r) => `${r.webhook_id} ${r.call_id} ${r.event}`).sort();
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-call-outbox-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
  logLines.length = 0;
});
afterEach(async () => {
  await store.close();
  await database.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('call milestones', () => {
  it('an outgoing call does not ring, nor one turned away unrung; an interrupted one only ends', () => {
    const open = { outcome: null, endedAt: null, answeredAt: null } as const;
    expect(callMilestones(storedCall({ ...open }))).toEqual(['call.ringing']);
    expect(callMilestones(storedCall({ ...open, direction: 'outgoing' }))).toEqual([]);
    expect(callMilestones(storedCall({ turnedAway: 'dnd', outcome: 'missed' }))).toEqual([
      'call.missed',
      'call.ended',
    ]);
    expect(callMilestones(storedCall({ interrupted: true, answeredAt: 'a', outcome: 'answered' }))).toEqual([
      'call.ended',
    ]);
  });
});

describe(`a call's deliveries written with the call on ${TEST_DIALECT}`, () => {
  it("the dispatcher reads a call's milestones saved together in the call's order, whatever the table's", async () => {
    const parts = await startParts();
    const hook = (
      await parts.webhooks.create({ url: 'https://crm.example/o', events: ALL_CALL_EVENTS }, null)
    ).webhook.id;
    const gaveUp = storedCall({ id: 'c9', outcome: 'missed', talkSeconds: 0 });
    // Written backwards, all at one time: the order must come from the events, not from the rows.
    const rows = parts.webhooks.callDeliveries(gaveUp, ['call.ended', 'call.missed', 'call.ringing']);
    await enqueueDeliveries(store.db, rows);
    const due = await createWebhooksRepository(store.db).due('2999-01-01T00:00:00.000Z', 10);
    expect(due.map((d) => d.event)).toEqual(['call.ringing', 'call.missed', 'call.ended']);
    expect(new Set(due.map((d) => d.webhookId))).toEqual(new Set([hook]));
  });

  it('each milestone once per call and webhook, across saves and a restart', async () => {
    let parts = await startParts();
    const all = (await parts.webhooks.create({ url: 'https://crm.example/a', events: ALL_CALL_EVENTS }, null))
      .webhook.id;
    const missedOnly = (
      await parts.webhooks.create({ url: 'https://crm.example/m', events: ['call.missed'] }, null)
    ).webhook.id;
    await parts.webhooks.create(
      { url: 'https://crm.example/off', events: ALL_CALL_EVENTS, enabled: false },
      null,
    );
    const ringing = storedCall({ id: 'c1', outcome: null, endedAt: null, talkSeconds: 0 });
    await parts.calls.save([ringing]);
    await parts.calls.save([{ ...ringing, ringSeconds: 5 }]);
    expect(await outbox()).toEqual([`${all} c1 call.ringing`]);
    const answered = { ...ringing, answeredAt: '2025-01-01T09:00:05.000Z' };
    // A caller who gave up within one flush: ringing, missed and ended in one save.
    const gaveUp = storedCall({ id: 'c2', outcome: 'missed', talkSeconds: 0 });
    await parts.calls.save([answered, gaveUp]);
    await parts.calls.save([{ ...answered, outcome: 'answered', endedAt: '2025-01-01T09:01:00.000Z' }]);
    const expected = [
      `${all} c1 call.answered`,
      `${all} c1 call.ended`,
      `${all} c1 call.ringing`,
      `${all} c2 call.ended`,
      `${all} c2 call.missed`,
      `${all} c2 call.ringing`,
      `${missedOnly} c2 call.missed`,
    ].sort();
    expect(await outbox()).toEqual(expected);

    const [first] = await store.db
      .selectFrom('webhook_outbox')
      .select('payload')
      .where('call_id', '=', 'c1')
      .where('event', '=', 'call.ringing')
      .execute();
    const body = JSON.parse(first?.payload ?? '{}') as {
      event: string;
      webhookId: string;
      data: { call: Call };
    };
    expect(body).toMatchObject({ event: 'call.ringing', webhookId: all, data: { call: { id: 'c1' } } });
    expect(body.data.call).not.toHaveProperty('lastSeenAt');

    // A restart: the store opened again, nothing in memory; the same calls saved again add nothing.
    await store.close();
    store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
    parts = await startParts();
    await parts.calls.save([{ ...answered, endedBy: 'alice' }, gaveUp]);
    expect(await outbox()).toEqual(expected);
    expect(parts.kicks).toHaveLength(0);
  });

  it("an open call saved again builds no delivery it already wrote, only its new milestones'", async () => {
    const parts = await startParts();
    await parts.webhooks.create({ url: 'https://crm.example/a', events: ALL_CALL_EVENTS }, null);
    const built: string[] = [];
    const callDeliveries = parts.webhooks.callDeliveries.bind(parts.webhooks);
    parts.webhooks.callDeliveries = (call, events, written) => {
      const rows = callDeliveries(call, events, written);
      built.push(...rows.map((r) => `${call.id} ${r.event}`));
      return rows;
    };
    const ringing = storedCall({ id: 'c5', outcome: null, endedAt: null, talkSeconds: 0 });
    await parts.calls.save([ringing]);
    await parts.calls.save([{ ...ringing, ringSeconds: 5 }]);
    await parts.calls.save([{ ...ringing, ringSeconds: 10 }]);
    expect(built).toEqual(['c5 call.ringing']);
    await parts.calls.save([{ ...ringing, answeredAt: '2025-01-01T09:00:05.000Z' }]);
    expect(built).toEqual(['c5 call.ringing', 'c5 call.answered']);
    expect(await outboxCount('c5')).toBe(2);
  });

  it('a saved call has its deliveries before it is announced; the dispatcher is woken after the commit', async () => {
    const parts = await startParts();
    await parts.webhooks.create({ url: 'https://crm.example/a', events: ALL_CALL_EVENTS }, null);
    /** At each announcement: the deliveries another reader finds then. */
    const announced: Promise<number>[] = [];
    const recorder = new CallRecorder({
      store: parts.calls,
      publish: () => announced.push(committedCount()),
      logger,
      now: () => new Date('2026-03-02T09:00:00.000Z'),
      flushMs: 3_600_000,
    });
    recorder.onCallEvent(ringEvent());
    await recorder.flush();
    expect(await Promise.all(announced)).toEqual([1]);
    expect(await Promise.all(parts.kicks)).toEqual([1]);
    await recorder.close();
  });

  it('a save whose outbox write fails stores neither the calls nor the deliveries; both arrive at the next flush', async () => {
    const parts = await startParts();
    await parts.webhooks.create({ url: 'https://crm.example/a', events: ALL_CALL_EVENTS }, null);
    let failures = 1;
    // The real write runs (its rows are in the transaction), then the transaction fails.
    const failingOnce: WriteWithCalls = async (trx, calls) => {
      const afterCommit = await parts.outbox(trx, calls);
      if (failures-- > 0) throw new Error('disk I/O error');
      return afterCommit;
    };
    const calls = parts.journal(failingOnce);
    const published: Call[] = [];
    const recorder = new CallRecorder({
      store: calls,
      publish: (call) => published.push(call),
      logger,
      now: () => new Date('2026-03-02T09:00:00.000Z'),
      flushMs: 3_600_000,
    });
    recorder.onCallEvent(ringEvent());
    await recorder.flush();
    expect(logLines.join('')).toContain('saving calls failed');
    expect(await calls.openCalls()).toEqual([]);
    expect(await outboxCount()).toBe(0);
    expect(published).toEqual([]);
    expect(parts.kicks).toHaveLength(0);

    await recorder.flush();
    const [call] = await calls.openCalls();
    expect(published.map((c) => c.id)).toEqual([call?.id]);
    expect(await outboxCount(call?.id)).toBe(1);
    expect(await Promise.all(parts.kicks)).toEqual([1]);
    await recorder.close();
  });
});

function ringEvent(): CallEvent {
  return {
    phoneId: 'p1',
    line: 1,
    kind: 'ringing',
    remoteName: 'Rita Ring',
    remoteNumber: '0301234567',
    at: '2026-03-02T09:00:00.000Z',
  };
}
