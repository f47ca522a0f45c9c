import { Writable } from 'node:stream';
import type { Call, CallEvent } from '@linedeck/contract';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { CallRecorder, OPEN_CALL_REFRESH_MS } from './call-recorder.ts';
import type { CallsStore, StoredCall } from './calls-store.ts';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');

/** The part of a CallsStore the recorder uses, in memory; `gate` holds saves until released. */
function memoryStore() {
  const rows = new Map<string, StoredCall>();
  const saves: StoredCall[][] = [];
  let failing = 0;
  let gate: Promise<void> | undefined;
  const store = {
    async save(calls: readonly StoredCall[]) {
      saves.push([...calls]);
      await gate;
      if (failing > 0) {
        failing--;
        throw new Error('database is locked');
      }
      for (const c of calls) rows.set(c.id, { ...c });
    },
    async openCalls() {
      return [...rows.values()].filter((c) => c.endedAt === null);
    },
  } as unknown as CallsStore;
  return {
    store,
    rows,
    saves,
    failNext(n = 1) {
      failing = n;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((r) => {
        release = r;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function setup(mem = memoryStore(), options: { recoveryWaitMs?: number } = {}) {
  let nowMs = T0;
  const published: { call: Call; storedThen: StoredCall | undefined }[] = [];
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const recorder = new CallRecorder({
    store: mem.store,
    // What the store held when the call was announced: it must be there already.
    publish: (call) => published.push({ call, storedThen: mem.rows.get(call.id) }),
    logger: createLogger({ level: 'debug', destination }),
    defaultCountry: 'DE',
    now: () => new Date(nowMs),
    flushMs: 3_600_000,
    ...options,
  });
  const event = (kind: CallEvent['kind'], extra: Partial<CallEvent> = {}): void =>
    recorder.onCallEvent({
      phoneId: 'p1',
      line: 1,
      kind,
      remoteName: '',
      remoteNumber: '0301234567',
      at: new Date(nowMs).toISOString(),
      ...extra,
    });
  return {
    ...mem,
    recorder,
    published,
    logLines,
    event,
    advance(ms: number) {
      nowMs += ms;
    },
    /** The phone's first read after the start: line 1 in `phase`, showing `remoteNumber`. */
    firstRead(phase: string, remoteNumber = '0301234567') {
      const shown = { line: 1, phase, remoteNumber, remoteName: '', account: 0 };
      recorder.onFirstLines('p1', [shown], new Date(nowMs).toISOString());
    },
  };
}

/** A call rang at T0, answered at +2 s, held at +12 s; the run stops at +17 s, leaving it open. */
async function leftOpen(mem: ReturnType<typeof memoryStore>) {
  const before = setup(mem);
  before.event('ringing');
  before.advance(2000);
  before.event('answered');
  before.advance(10_000);
  before.event('held');
  await before.recorder.flush();
  before.advance(5000);
  // A stop writes how long the open calls were seen going, and leaves them open.
  await before.recorder.close();
  expect([...mem.rows.values()][0]).toMatchObject({
    outcome: null,
    endedAt: null,
    lastSeenAt: new Date(T0 + 17_000).toISOString(),
    holdSeconds: 5,
  });
}

describe('CallRecorder', () => {
  it('writes nothing from inside the poll; one save per flush, announced after the save', async () => {
    const t = setup();
    t.event('ringing');
    t.advance(3000);
    t.event('missed', { endedIn: 'ringing' });
    expect(t.saves).toEqual([]);
    const release = t.hold();
    const flushing = t.recorder.flush();
    await Promise.resolve();
    expect(t.saves).toHaveLength(1);
    expect(t.published).toEqual([]);
    release();
    await flushing;
    expect(t.saves[0]).toEqual([expect.objectContaining({ outcome: 'missed', ringSeconds: 3 })]);
    expect(t.published).toHaveLength(1);
    expect(t.published[0]?.storedThen).toMatchObject({ outcome: 'missed' });
    expect(t.published[0]?.call).not.toHaveProperty('lastSeenAt');
    await t.recorder.flush();
    expect(t.saves).toHaveLength(1);
    await t.recorder.close();
  });

  it('a failing save is logged and retried at the next flush, with the newest version of the call', async () => {
    const t = setup();
    t.event('ringing');
    t.failNext();
    await t.recorder.flush();
    expect(t.published).toEqual([]);
    expect(t.logLines.join('')).toContain('saving calls failed');
    t.advance(1000);
    t.event('answered');
    await t.recorder.flush();
    expect(t.saves).toHaveLength(2);
    expect(t.saves[1]).toEqual([expect.objectContaining({ outcome: null, answeredAt: expect.any(String) })]);
    expect(t.published.map((p) => p.call.answeredAt !== null)).toEqual([true]);
    await t.recorder.close();
  });

  it('open calls are saved again with a fresh lastSeenAt every 30 s, without an announcement', async () => {
    const t = setup();
    t.event('ringing');
    t.event('answered');
    await t.recorder.flush();
    t.advance(OPEN_CALL_REFRESH_MS - 1000);
    await t.recorder.flush();
    // The first flush already refreshed (nothing was open then); the next refresh is 30 s after it.
    t.advance(OPEN_CALL_REFRESH_MS);
    await t.recorder.flush();
    const last = t.saves.at(-1)?.[0];
    expect(t.saves).toHaveLength(2);
    expect(Date.parse(last?.lastSeenAt ?? '') - T0).toBe(2 * OPEN_CALL_REFRESH_MS - 1000);
    expect(last?.talkSeconds).toBe((2 * OPEN_CALL_REFRESH_MS - 1000) / 1000);
    expect(t.published).toHaveLength(1);
    await t.recorder.close();
  });

  it('rejectcall from LineDeck makes the missed call rejected; done(false) forgets the intent', async () => {
    const t = setup();
    const reject = { kind: 'operation', command: 'rejectcall' } as const;
    t.event('ringing');
    const failed = t.recorder.intend({ phoneId: 'p1', username: 'ann', action: reject, at: new Date(T0) });
    failed.done(false);
    t.event('missed');
    t.event('ringing', { remoteNumber: '0309999' });
    t.recorder.intend({ phoneId: 'p1', username: 'bob', action: reject, at: new Date(T0) }).done(true);
    t.event('missed', { remoteNumber: '0309999' });
    await t.recorder.flush();
    expect([...t.rows.values()].map((c) => [c.remoteNumber, c.outcome, c.endedBy])).toEqual([
      ['0301234567', 'missed', null],
      ['0309999', 'rejected', 'bob'],
    ]);
    await t.recorder.close();
  });

  it('an intent the poll beat amends the call it meant, within 5 s', async () => {
    const t = setup();
    t.event('ringing');
    t.advance(500);
    t.event('missed');
    t.advance(1000);
    const reject = { kind: 'operation', command: 'rejectcall' } as const;
    t.recorder.intend({ phoneId: 'p1', username: 'bob', action: reject, at: new Date() }).done(true);
    await t.recorder.flush();
    expect([...t.rows.values()]).toEqual([expect.objectContaining({ outcome: 'rejected', endedBy: 'bob' })]);

    t.event('ringing', { remoteNumber: '0305555' });
    t.event('missed', { remoteNumber: '0305555' });
    t.advance(6000);
    t.recorder.intend({ phoneId: 'p1', username: 'bob', action: reject, at: new Date() }).done(true);
    await t.recorder.flush();
    expect([...t.rows.values()].find((c) => c.remoteNumber === '0305555')?.outcome).toBe('missed');
    await t.recorder.close();
  });

  it('a call that ended while LineDeck was stopped closes as interrupted at the first read, once', async () => {
    const mem = memoryStore();
    await leftOpen(mem);
    const after = setup(mem);
    after.advance(60_000);
    expect(await after.recorder.recoverInterrupted()).toBe(1);
    expect(await after.recorder.recoverInterrupted()).toBe(0);
    // Nothing is decided before the phone was read: the call is still open in the store.
    await after.recorder.flush();
    expect([...mem.rows.values()][0]?.endedAt).toBeNull();
    after.firstRead('idle', '');
    await after.recorder.flush();
    const [call] = [...mem.rows.values()];
    expect(call).toMatchObject({
      outcome: 'answered',
      interrupted: true,
      endedAt: new Date(T0 + 17_000).toISOString(),
      talkSeconds: 10,
      holdSeconds: 5,
    });
    after.event('ringing', { remoteNumber: '0307777' });
    after.event('missed', { remoteNumber: '0307777' });
    await after.recorder.flush();
    expect([...mem.rows.values()].map((c) => [c.remoteNumber, c.interrupted])).toEqual([
      ['0301234567', true],
      ['0307777', false],
    ]);
    await after.recorder.close();
  });

  it('a call still on its line at the start goes on: one call, its answer after the start recorded', async () => {
    const mem = memoryStore();
    const before = setup(mem);
    before.event('ringing');
    await before.recorder.flush();
    before.advance(5000);
    await before.recorder.close();

    // The new run's clock starts at T0 again: it reads the phone 15 s after the ring, 10 s after the stop.
    const after = setup(mem);
    after.advance(15_000);
    expect(await after.recorder.recoverInterrupted()).toBe(1);
    after.firstRead('ringing', '030 1234567');
    await after.recorder.flush();
    expect([...mem.rows.values()]).toEqual([
      expect.objectContaining({ outcome: null, ringSeconds: 15, interrupted: false }),
    ]);
    after.advance(2000);
    after.event('answered');
    after.advance(3000);
    after.event('ended');
    await after.recorder.flush();
    expect([...mem.rows.values()]).toEqual([
      expect.objectContaining({
        outcome: 'answered',
        interrupted: false,
        answeredAt: new Date(T0 + 17_000).toISOString(),
        ringSeconds: 17,
        talkSeconds: 3,
      }),
    ]);
    await after.recorder.close();
  });

  it('another caller on the line at the start: the old call closes, the new one is its own', async () => {
    const mem = memoryStore();
    await leftOpen(mem);
    const after = setup(mem);
    await after.recorder.recoverInterrupted();
    after.firstRead('ringing', '0309999');
    after.event('missed', { remoteNumber: '0309999' });
    await after.recorder.flush();
    expect([...mem.rows.values()].map((c) => [c.remoteNumber, c.outcome, c.interrupted])).toEqual([
      ['0301234567', 'answered', true],
      ['0309999', 'missed', false],
    ]);
    await after.recorder.close();
  });

  it('a phone not read within the wait: its calls close as interrupted, and their end is no new call', async () => {
    const mem = memoryStore();
    await leftOpen(mem);
    const after = setup(mem, { recoveryWaitMs: 20 });
    await after.recorder.recoverInterrupted();
    await new Promise((r) => setTimeout(r, 60));
    // Read at last, the phone still shows the call: it was closed already, and its end is not a new call.
    after.firstRead('held');
    after.event('resumed');
    after.event('ended');
    await after.recorder.flush();
    expect([...mem.rows.values()]).toEqual([
      expect.objectContaining({ outcome: 'answered', interrupted: true, holdSeconds: 5 }),
    ]);
    await after.recorder.close();
  });

  it('a call in progress the journal does not know is recorded from the first read, once', async () => {
    const t = setup();
    expect(await t.recorder.recoverInterrupted()).toBe(0);
    t.firstRead('talking', '0305555');
    t.advance(4000);
    t.event('ended', { remoteNumber: '0305555', endedIn: 'connected' });
    const other = { line: 2, phase: 'ringing', remoteNumber: '0306666', remoteName: 'Bo', account: 0 };
    t.recorder.onFirstLines('p1', [other], new Date(T0 + 4000).toISOString());
    // Told twice (it is not, but a second read of a line with its call open starts nothing new).
    t.recorder.onFirstLines('p1', [other], new Date(T0 + 4000).toISOString());
    t.advance(3000);
    t.event('missed', { line: 2, remoteNumber: '0306666' });
    await t.recorder.flush();
    expect(
      [...t.rows.values()].map((c) => [c.remoteNumber, c.outcome, c.talkSeconds, c.ringSeconds]),
    ).toEqual([
      ['0305555', 'answered', 4, 0],
      ['0306666', 'missed', 0, 3],
    ]);
    expect([...t.rows.values()][1]?.remoteName).toBe('Bo');
    await t.recorder.close();
  });

  it("a removed phone's open calls end now", async () => {
    const t = setup();
    t.event('dialing');
    t.advance(4000);
    t.recorder.forgetPhone('p1');
    await t.recorder.flush();
    expect([...t.rows.values()]).toEqual([
      expect.objectContaining({
        outcome: 'no_answer',
        ringSeconds: 4,
        endedAt: new Date(T0 + 4000).toISOString(),
      }),
    ]);
    t.event('ended');
    await t.recorder.flush();
    expect(t.rows.size).toBe(1);
    await t.recorder.close();
  });

  it('a pushed ring on a guessed line moves to the line the poll sees it answered on', async () => {
    const t = setup();
    t.event('ringing', { line: 1 });
    t.event('answered', { line: 2 });
    t.event('ended', { line: 2 });
    await t.recorder.flush();
    expect([...t.rows.values()]).toEqual([expect.objectContaining({ line: 2, outcome: 'answered' })]);
    await t.recorder.close();
  });
});
