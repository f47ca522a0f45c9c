/**
 * The call journal's repository on the project's database (SQLite, or Postgres in the `postgres`
 * project): round trip, upsert, keyset pages, every filter, missed marks, today's counts, prune.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallsQuery } from '@linedeck/contract';
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { openDatabase, type Store } from '../store/database.ts';
import { TEST_DIALECT, type TestDatabase, testDatabase } from '../test-support/test-database.ts';
import { createCallsRepository, encodeCallsCursor } from './calls-repository.ts';
import type { CallsStore } from './calls-store.ts';
import { storedCall } from './test-support.ts';

let dataDir: string;
let database: TestDatabase;
let store: Store;
let calls: CallsStore;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-calls-'));
  database = await testDatabase();
  store = await openDatabase({ dataDir, databaseUrl: database.databaseUrl });
  calls = createCallsRepository(store.db, { defaultCountry: 'DE' });
});
afterEach(async () => {
  await store.close();
  await database.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ids = async (query: CallsQuery, scope: readonly string[] | null = null) =>
  (await calls.page(query, scope)).calls.map((c) => c.id);

describe(`calls repository on ${TEST_DIALECT}`, () => {
  it('keeps every field, answers Calls without lastSeenAt, and an upsert replaces instead of adding', async () => {
    const open = storedCall({
      outcome: null,
      endedAt: null,
      contact: { id: 'c1', name: 'Anna', company: 'ACME' },
      startedAt: '2025-03-01T10:00:00+02:00',
      answeredAt: '2025-03-01T08:00:05.000Z',
      transferTarget: '2001',
      dialledBy: 'alice',
      answeredBy: 'bob',
      account: null,
    });
    await calls.save([open]);
    const at = '2025-03-01T08:00:00.000Z';
    expect(await calls.openCalls()).toEqual([{ ...open, startedAt: at, lastSeenAt: at }]);
    const closed = {
      ...open,
      outcome: 'answered' as const,
      endedAt: '2025-03-01T08:01:00.000Z',
      interrupted: true,
    };
    await calls.save([closed]);
    expect(await calls.openCalls()).toEqual([]);
    const page = await calls.page({}, null);
    const { lastSeenAt: _l, ...call } = { ...closed, startedAt: at };
    expect(page).toEqual({ calls: [call], nextCursor: null });
    expect(Object.keys(page.calls[0] ?? {})).not.toContain('lastSeenAt');
  });

  it('saves a batch bigger than one statement in one transaction, and all of it or nothing', async () => {
    const batch = Array.from({ length: 1203 }, () => storedCall());
    await calls.save(batch);
    expect((await calls.page({ limit: 500 }, null)).calls).toHaveLength(500);
    const count = await store.db
      .selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1203);
    // A bad time in the middle fails the whole batch: nothing of it is written.
    const bad = [storedCall(), storedCall({ startedAt: 'yesterday' }), storedCall()];
    await expect(calls.save(bad)).rejects.toBeInstanceOf(AppError);
    expect(await ids({ limit: 5 })).not.toContain(bad[0]?.id);
  });

  it('pages newest first with a cursor: every call once, none skipped, ties on the time broken by id', async () => {
    const same = '2025-02-01T12:00:00.000Z';
    const all = [
      ...Array.from({ length: 20 }, () => storedCall()),
      ...Array.from({ length: 9 }, () => storedCall({ startedAt: same })),
    ];
    await calls.save(all);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await calls.page({ limit: 4, ...(cursor ? { cursor } : {}) }, null);
      seen.push(...page.calls.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    const expected = [...all]
      .sort((a, b) =>
        a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1,
      )
      .map((c) => c.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(all.length / 4));
    // A call recorded while someone pages (newer than the first page) does not shift the later pages.
    const first = await calls.page({ limit: 4 }, null);
    await calls.save([storedCall({ startedAt: '2030-01-01T00:00:00.000Z' })]);
    const second = await calls.page({ limit: 4, cursor: first.nextCursor as string }, null);
    expect(second.calls.map((c) => c.id)).toEqual(expected.slice(4, 8));
  });

  it('refuses a cursor it did not make', async () => {
    for (const cursor of ['nope', encodeCallsCursor({ startedAt: 'x', id: 'y' }).slice(3), 'W10']) {
      await expect(calls.page({ cursor }, null)).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });

  it('filters by phone, direction, outcomes, time and scope, combined', async () => {
    const a = storedCall({ phoneId: 'p1', outcome: 'missed', startedAt: '2025-01-10T08:00:00.000Z' });
    const b = storedCall({ phoneId: 'p2', outcome: 'missed', startedAt: '2025-01-11T08:00:00.000Z' });
    const c = storedCall({ phoneId: 'p1', outcome: 'rejected', startedAt: '2025-01-12T08:00:00.000Z' });
    const d = storedCall({
      phoneId: 'p2',
      direction: 'outgoing',
      outcome: 'no_answer',
      startedAt: '2025-01-13T08:00:00.000Z',
    });
    await calls.save([a, b, c, d]);
    expect(await ids({ phoneId: 'p1' })).toEqual([c.id, a.id]);
    expect(await ids({ direction: 'outgoing' })).toEqual([d.id]);
    expect(await ids({ outcome: ['missed', 'rejected'] })).toEqual([c.id, b.id, a.id]);
    // `from` is inclusive, `to` exclusive; an offset is read as the instant it names.
    expect(await ids({ from: '2025-01-11T10:00:00+02:00', to: '2025-01-13T08:00:00Z' })).toEqual([
      c.id,
      b.id,
    ]);
    expect(await ids({}, ['p2'])).toEqual([d.id, b.id]);
    expect(await ids({ phoneId: 'p1' }, ['p2'])).toEqual([]);
    expect(await ids({}, [])).toEqual([]);
  });

  it('finds one number however it is written, and extensions by their digits only', async () => {
    const berlin = storedCall({ remoteNumber: '+49301234567', remoteE164: '+49301234567' });
    const national = storedCall({ remoteNumber: '0301234567', remoteE164: '+49301234567' });
    const other = storedCall({ remoteNumber: '0301234568', remoteE164: '+49301234568' });
    const extension = storedCall({ remoteNumber: '2001', remoteE164: null });
    const uri = storedCall({ remoteNumber: 'sip:alice@example.org', remoteE164: null });
    await calls.save([berlin, national, other, extension, uri]);
    for (const written of ['030 1234567', '+49 30 1234567', '0049301234567', '+49 (0)30 123-45-67']) {
      expect(await ids({ number: written }), written).toEqual([national.id, berlin.id]);
    }
    expect(await ids({ number: '2001' })).toEqual([extension.id]);
    expect(await ids({ number: '200' })).toEqual([]);
    // Without a default country a national number has no E.164 form: only the same digits match.
    const bare = createCallsRepository(store.db, {});
    expect((await bare.page({ number: '030 1234567' }, null)).calls.map((c) => c.id)).toEqual([national.id]);
  });

  it('q finds names without accents or case, the contact, and parts of the number; wildcards are text', async () => {
    const anna = storedCall({ remoteName: 'Anna MÜLLER' });
    const firm = storedCall({
      remoteName: '',
      remoteNumber: '0897654321',
      remoteE164: '+49897654321',
      contact: { id: 'c9', name: 'Bernd Groß', company: 'Brötchen & Co' },
    });
    const percent = storedCall({ remoteName: '100% Support', remoteNumber: '2002', remoteE164: null });
    await calls.save([anna, firm, percent]);
    expect(await ids({ q: 'muller' })).toEqual([anna.id]);
    expect(await ids({ q: 'gross' })).toEqual([firm.id]);
    expect(await ids({ q: 'brotchen' })).toEqual([firm.id]);
    expect(await ids({ q: '765' })).toEqual([firm.id]);
    expect(await ids({ q: '089 765' })).toEqual([firm.id]);
    expect(await ids({ q: '+49 89 7654321' })).toEqual([firm.id]);
    expect(await ids({ q: '0%' })).toEqual([percent.id]);
    expect(await ids({ q: '_' })).toEqual([]);
  });

  it('counts missed incoming calls after each user’s own mark, which only moves forward', async () => {
    const scope = null;
    await calls.save([
      storedCall({ outcome: 'missed', startedAt: '2025-01-01T08:00:00.000Z' }),
      storedCall({ outcome: 'missed', startedAt: '2025-01-01T09:00:00.000Z', phoneId: 'p2' }),
      storedCall({ outcome: 'missed', startedAt: '2025-01-01T10:00:00.000Z' }),
      storedCall({ outcome: 'answered', startedAt: '2025-01-01T11:00:00.000Z' }),
      storedCall({ outcome: 'no_answer', direction: 'outgoing', startedAt: '2025-01-01T12:00:00.000Z' }),
    ]);
    expect(await calls.seenBefore('u1')).toBeNull();
    expect(await calls.missedCount(null, scope)).toBe(3);
    expect(await calls.missedCount(null, ['p2'])).toBe(1);
    await calls.markSeen('u1', '2025-01-01T11:00:00+02:00');
    expect(await calls.seenBefore('u1')).toBe('2025-01-01T09:00:00.000Z');
    expect(await calls.missedCount(await calls.seenBefore('u1'), scope)).toBe(2);
    await calls.markSeen('u1', '2025-01-01T00:00:00.000Z');
    expect(await calls.seenBefore('u1')).toBe('2025-01-01T09:00:00.000Z');
    await calls.markSeen('u1', '2025-01-01T10:30:00.000Z');
    expect(await calls.missedCount(await calls.seenBefore('u1'), scope)).toBe(0);
    expect(await calls.seenBefore('u2')).toBeNull();
  });

  it('counts today’s incoming missed and answered calls per phone', async () => {
    await calls.save([
      storedCall({ outcome: 'missed', startedAt: '2025-01-01T23:59:59.000Z' }),
      storedCall({ outcome: 'missed', startedAt: '2025-01-02T08:00:00.000Z' }),
      storedCall({ outcome: 'answered', startedAt: '2025-01-02T09:00:00.000Z' }),
      storedCall({ outcome: 'answered', startedAt: '2025-01-02T09:00:00.000Z', phoneId: 'p2' }),
      storedCall({ outcome: 'rejected', startedAt: '2025-01-02T09:00:00.000Z', phoneId: 'p2' }),
      storedCall({ outcome: 'answered', direction: 'outgoing', startedAt: '2025-01-02T10:00:00.000Z' }),
      storedCall({ outcome: null, endedAt: null, startedAt: '2025-01-02T10:00:00.000Z' }),
    ]);
    expect(await calls.today('2025-01-02T00:00:00.000Z', null)).toEqual({
      since: '2025-01-02T00:00:00.000Z',
      missed: 1,
      answered: 2,
      phones: { p1: { missed: 1, answered: 1 }, p2: { missed: 0, answered: 1 } },
    });
    expect(await calls.today('2025-01-02T00:00:00.000Z', ['p2'])).toMatchObject({ missed: 0, answered: 1 });
  });

  it('prunes calls that ended before the limit, never one still open', async () => {
    const old = storedCall({ startedAt: '2024-01-01T00:00:00.000Z', endedAt: '2024-01-01T00:05:00.000Z' });
    const openOld = storedCall({ startedAt: '2024-01-01T00:00:00.000Z', endedAt: null, outcome: null });
    const recent = storedCall({ startedAt: '2025-01-01T00:00:00.000Z' });
    await calls.save([old, openOld, recent]);
    expect(await calls.prune('2024-06-01T00:00:00.000Z')).toBe(1);
    expect((await ids({})).sort()).toEqual([openOld.id, recent.id].sort());
    expect(await calls.prune('2024-06-01T00:00:00.000Z')).toBe(0);
  });

  it.runIf(TEST_DIALECT === 'sqlite')(
    'reads one phone in index order and one number by its indexes, never a full scan',
    async () => {
      // The repository's own SQL, captured on its way to the database, then explained.
      const seen: RootOperationNode[] = [];
      const capture: KyselyPlugin = {
        transformQuery: (args) => {
          seen.push(args.node);
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const planOf = async (query: CallsQuery, scope: readonly string[] | null = ['p1', 'p2']) => {
        seen.length = 0;
        const repository = createCallsRepository(store.db.withPlugin(capture), { defaultCountry: 'DE' });
        await repository.page(query, scope);
        const compiled = store.db
          .getExecutor()
          .compileQuery(seen[0] as RootOperationNode, { queryId: 'plan' });
        const plan = await store.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
        );
        return plan.rows.map((r) => r.detail).join(' | ');
      };
      const phone = await planOf({ phoneId: 'p1', from: '2025-01-01T00:00:00Z' });
      expect(await planOf({ from: '2025-01-01T00:00:00Z' }, null)).toContain('calls_started');
      expect(phone).toContain('calls_phone_started');
      expect(phone).not.toContain('TEMP B-TREE');
      const number = await planOf({ number: '030 1234567' });
      expect(number).toContain('calls_e164_started');
      expect(number).toContain('calls_digits_started');
      expect(number).not.toMatch(/SCAN calls(?! USING)/);
    },
  );
});
