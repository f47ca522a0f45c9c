/**
 * Campaigns end to end: the real server and simulated phones over HTTP. The far end of every call is
 * played by the number dialled: 201x answers (and hangs up after a moment), 202x rings out, 203x is
 * busy. Timings are short through the campaign's own rules (fractions of seconds and minutes).
 */
import {
  type Call,
  type Campaign,
  type CampaignEntry,
  type CampaignImportResult,
  callPageSchema,
  campaignSchema,
  createCampaignResultSchema,
} from '@linedeck/contract';
import type { SimPhone } from '@linedeck/phone-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionUrlTemplates } from '../simulated-fleet.ts';
import { type Harness, openSse, sleep, startHarness, waitFor } from '../test-support/harness.ts';

let h: Harness;
const timers: NodeJS.Timeout[] = [];

/** The far ends: answer 201x after 200 ms and hang up 600 ms later; 203x is busy; 202x rings out. */
function playFarEnds(sim: SimPhone): void {
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const line of sim.snapshot().lines) {
      const key = `${line.index}:${line.callId ?? ''}:${line.state}`;
      if (!seen.has(key)) seen.set(key, Date.now());
      const age = Date.now() - (seen.get(key) ?? 0);
      if (line.state === 'calling' && line.remoteNumber.startsWith('201') && age >= 200)
        sim.farEndAnswer(line.index);
      if (line.state === 'calling' && line.remoteNumber.startsWith('203') && age >= 100)
        sim.farEndHangup(line.index, { busy: true });
      if (line.state === 'connected' && line.remoteNumber.startsWith('201') && age >= 600)
        sim.farEndHangup(line.index);
    }
  }, 25);
  timers.push(timer);
}

const names = ['Ann', 'Ben', 'Cal', 'Dee', 'Eve'];
beforeAll(async () => {
  h = await startHarness(
    names.map((name) => ({ name })),
    { campaigns: { tickMs: 50, lostCallGraceMs: 3000 }, config: { defaultCountry: 'DE' } },
  );
  for (const name of names) playFarEnds(h.phone(name).sim);
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await h?.close();
});

const id = (name: string) => h.phone(name).id;
const dialled = (name: string) =>
  h
    .phone(name)
    .sim.requestLog()
    .filter((e) => e.function === 'api-make_call')
    .map((e) => e.params.phonenumber ?? '');

async function create(
  body: Record<string, unknown>,
): Promise<{ campaign: Campaign; import: CampaignImportResult | null }> {
  const res = await h.api('POST', '/api/campaigns', body);
  expect(res.status, res.text).toBe(201);
  return createCampaignResultSchema.parse(res.body);
}

async function get(campaignId: string): Promise<Campaign> {
  const res = await h.api('GET', `/api/campaigns/${campaignId}`);
  expect(res.status, res.text).toBe(200);
  return campaignSchema.parse(res.body);
}

async function post(campaignId: string, verb: string, body?: unknown) {
  return h.api<never>('POST', `/api/campaigns/${campaignId}/${verb}`, body);
}

async function entries(campaignId: string): Promise<CampaignEntry[]> {
  const res = await h.api<{ entries: CampaignEntry[] }>('GET', `/api/campaigns/${campaignId}/entries`);
  expect(res.status, res.text).toBe(200);
  return res.body.entries;
}

async function journal(phoneName: string): Promise<Call[]> {
  const res = await h.api('GET', `/api/calls?phoneId=${id(phoneName)}`);
  return callPageSchema.parse(res.body).calls;
}

const finished = (campaignId: string, ms = 20_000) =>
  waitFor(async () => (await get(campaignId)).state === 'finished', ms, 100);

describe('an automatic campaign over two phones', () => {
  it('dials every entry exactly once, waits out wrap-up, and its results match the journal', async () => {
    const numbers = ['2011', '2012', '2021', '2022', '2013'];
    const { campaign } = await create({
      name: 'Spring',
      mode: 'automatic',
      phoneIds: [id('Ann'), id('Ben')],
      entries: numbers.map((number, i) => ({ number, name: `Person ${i}` })),
      wrapUpSeconds: 0.6,
      ringTimeoutSeconds: 1,
      maxAttempts: 1,
    });
    expect(campaign.state).toBe('draft');
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    expect((await post(campaign.id, 'start')).status).toBe(200);
    await finished(campaign.id);

    // Exactly once each, over both phones; and both phones worked.
    const all = [...dialled('Ann'), ...dialled('Ben')];
    expect(all.sort()).toEqual([...numbers].sort());
    expect(dialled('Ann').length).toBeGreaterThan(0);
    expect(dialled('Ben').length).toBeGreaterThan(0);

    const done = await entries(campaign.id);
    const calls = [...(await journal('Ann')), ...(await journal('Ben'))];
    for (const entry of done) {
      const expected = entry.number.startsWith('201') ? 'answered' : 'no_answer';
      expect([entry.number, entry.state, entry.outcome, entry.attempts]).toEqual([
        entry.number,
        'done',
        expected,
        1,
      ]);
      const call = calls.find((c) => c.id === entry.callId);
      expect(call, entry.number).toBeDefined();
      expect(call?.remoteNumber).toBe(entry.number);
      expect(call?.phoneId).toBe(entry.phoneId);
      expect(call?.talkSeconds).toBe(entry.talkSeconds);
      // The journal says LineDeck ended an unanswered call; for the campaign that is the ring timeout.
      expect(call?.outcome).toBe(expected === 'answered' ? 'answered' : 'cancelled');
    }
    // Wrap-up: on each phone, the next call started no sooner than 0.6 s after the one before ended.
    for (const name of ['Ann', 'Ben']) {
      const own = calls
        .filter((c) => c.phoneId === id(name))
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      for (let i = 1; i < own.length; i++) {
        const gap = Date.parse(own[i]?.startedAt ?? '') - Date.parse(own[i - 1]?.endedAt ?? '');
        expect(gap, name).toBeGreaterThanOrEqual(600 - 120);
      }
    }
    const shown = await get(campaign.id);
    expect(shown.counts).toMatchObject({ total: 5, done: 5, remaining: 0, dialling: 0 });
    expect(shown.counts.outcomes).toMatchObject({ answered: 3, no_answer: 2 });
    expect(shown.progress).toBe(1);

    // Every dial is in the audit log with its campaign.
    const audited = await h.server.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'campaigns:dial')
      .execute();
    const ours = audited.filter((a) => JSON.parse(a.params_json).campaignId === campaign.id);
    expect(ours.map((a) => JSON.parse(a.params_json).number).sort()).toEqual([...numbers].sort());
    expect(ours.every((a) => a.result === 'ok' && a.username === 'admin')).toBe(true);

    // SSE told of its progress.
    await sse.next(
      (f) => f.event === 'campaign' && (f.data as { campaign: Campaign }).campaign?.state === 'finished',
    );
    sse.close();

    const csv = await h.api<string>('GET', `/api/campaigns/${campaign.id}/results.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toContain('position,name,number,note,state,outcome');
    expect(csv.text).toContain(',answered,');
  });
});

describe('retries, a busy far end and do-not-call at dial time', () => {
  it('retries no answer as set, does not retry a failed call, and never dials a listed number', async () => {
    const { campaign } = await create({
      name: 'Retries',
      mode: 'automatic',
      phoneIds: [id('Cal')],
      entries: [{ number: '2023' }, { number: '2031' }, { number: '030 2014' }],
      wrapUpSeconds: 0.2,
      ringTimeoutSeconds: 1,
      maxAttempts: 2,
      retryAfterMinutes: 0.02,
    });
    // Listed after the import in another written form: the dial-time check still finds it.
    const listed = await h.api('POST', '/api/do-not-call', { numbers: ['+49 30 2014'] });
    expect(listed.status, listed.text).toBe(201);
    expect((await post(campaign.id, 'start')).status).toBe(200);
    await finished(campaign.id, 25_000);

    expect(dialled('Cal').sort()).toEqual(['2023', '2023', '2031']);
    const byNumber = Object.fromEntries((await entries(campaign.id)).map((e) => [e.number, e]));
    expect(byNumber['2023']).toMatchObject({ outcome: 'no_answer', attempts: 2, state: 'done' });
    // The simulator's busy far end leaves the line `failed` (as the phones do): the journal says failed.
    expect(byNumber['2031']).toMatchObject({ outcome: 'failed', attempts: 1, state: 'done' });
    expect(byNumber['0302014']).toMatchObject({ outcome: 'do_not_call', attempts: 0, state: 'done' });
    const calls = await journal('Cal');
    expect(calls.filter((c) => c.remoteNumber === '2023')).toHaveLength(2);
    // The dialer hung up the failed line, so the phone is idle again.
    await waitFor(() =>
      h
        .phone('Cal')
        .sim.snapshot()
        .lines.every((l) => l.state === 'idle'),
    );
  });
});

describe('imports', () => {
  it('takes pasted text, CSV and entries; refuses invalid, duplicate and do-not-call numbers with why', async () => {
    await h.api('POST', '/api/do-not-call', { numbers: ['030 1234567'] });
    const { campaign } = await create({ name: 'Import', mode: 'preview', phoneIds: [id('Eve')] });
    const dry = await post(campaign.id, 'entries', {
      text: '+49 30 1234567, Listed\n2001\tAda\tVIP\nnot a number\n2001, Again\n',
      dryRun: true,
    });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const result = dry.body as CampaignImportResult;
    expect(result.taken).toEqual([{ row: 2, number: '2001', name: 'Ada' }]);
    expect(result.refused.map((r) => [r.row, r.reason])).toEqual([
      [1, 'do_not_call'],
      [3, 'invalid'],
      [4, 'duplicate'],
    ]);
    expect(await entries(campaign.id)).toHaveLength(0);

    const csv = await post(campaign.id, 'entries', {
      csv: 'Name;Phone;Note\n=HYPERLINK("x");2002;call after 3\nBob;(030) 555-1234;\n',
    });
    expect(csv.status).toBe(200);
    expect((csv.body as CampaignImportResult).taken.map((t) => t.number)).toEqual(['2002', '0305551234']);
    const again = await post(campaign.id, 'entries', { entries: [{ number: '+49 30 5551234' }] });
    expect((again.body as CampaignImportResult).refused[0]?.reason).toBe('duplicate');

    const bad = await post(campaign.id, 'entries', { csv: 'who,what\nx,y\n' });
    expect(bad.status).toBe(400);
    const out = await h.api<string>('GET', `/api/campaigns/${campaign.id}/results.csv`);
    // Formula-safe: a cell that would run in a spreadsheet is prefixed with '.
    expect(out.text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(
      (await h.api('POST', '/api/campaigns', { name: 'x', mode: 'automatic', phoneIds: ['nope'] })).status,
    ).toBe(400);
    await h.api('DELETE', `/api/campaigns/${campaign.id}`);
  });
});

describe('safety on one phone', () => {
  it('never dials in DND, while ringing, in a call or offline; pauses at once; comes back paused after a restart', async () => {
    const dee = h.phone('Dee');
    const hooks = () =>
      dee.sim.updateSettings({
        actionUrls: actionUrlTemplates(h.url, dee.id, h.server.registry.hookToken(dee.id)),
      });
    hooks();
    dee.sim.setDnd(true);
    await waitFor(() => h.server.cache.get(dee.id)?.dnd === true);
    const { campaign } = await create({
      name: 'Careful',
      mode: 'automatic',
      phoneIds: [dee.id],
      entries: ['2015', '2016', '2017', '2018'].map((number) => ({ number })),
      wrapUpSeconds: 1,
      ringTimeoutSeconds: 2,
      maxAttempts: 1,
    });
    expect((await post(campaign.id, 'start')).status).toBe(200);
    const waiting = async (reason: string) =>
      waitFor(async () => (await get(campaign.id)).phones[0]?.waiting === reason, 3000, 50);

    await waiting('dnd');
    await sleep(1300);
    expect(dialled('Dee')).toEqual([]);

    // DND off and a caller at once: the phone rings before the wrap-up is over.
    dee.sim.setDnd(false);
    dee.sim.ring('3001', 'Caller');
    await waiting('ringing');
    await sleep(1300);
    expect(dialled('Dee')).toEqual([]);

    dee.sim.operate('acceptcall', 1);
    await waiting('in_call');
    await sleep(1300);
    expect(dialled('Dee')).toEqual([]);

    dee.sim.injectFault({ kind: 'http500' });
    dee.sim.operate('endcall', 1);
    await waiting('offline');
    await sleep(1300);
    expect(dialled('Dee')).toEqual([]);

    dee.sim.clearFaults();
    await waitFor(() => dialled('Dee').length === 1, 5000);
    // The call is answered and ends; the countdown to the next starts: Pause cancels it at once.
    const counting = await waitFor(
      async () => {
        const c = await get(campaign.id);
        return c.phones[0]?.waiting === 'wrap_up' && c.phones[0].nextDialAt ? c : null;
      },
      5000,
      20,
    );
    expect(Date.parse(counting.phones[0]?.nextDialAt ?? '')).toBeGreaterThan(Date.now());
    const paused = await post(campaign.id, 'pause');
    expect(paused.status).toBe(200);
    expect(campaignSchema.parse(paused.body).phones[0]).toMatchObject({
      nextDialAt: null,
      waiting: 'not_running',
    });
    await sleep(1800);
    expect(dialled('Dee')).toHaveLength(1);

    // Resumed, then the server restarts: the campaign comes back paused and dials nothing.
    expect((await post(campaign.id, 'resume')).status).toBe(200);
    await waitFor(() => dialled('Dee').length === 2, 5000);
    await waitFor(async () => (await get(campaign.id)).phones[0]?.waiting === 'wrap_up', 5000, 20);
    await h.restart();
    hooks();
    const after = await get(campaign.id);
    expect([after.state, after.pausedBy]).toEqual(['paused', 'restart']);
    await sleep(2000);
    expect(dialled('Dee')).toHaveLength(2);
    expect((await post(campaign.id, 'resume')).status).toBe(200);
    await waitFor(() => dialled('Dee').length === 3, 5000);
    expect((await post(campaign.id, 'stop')).status).toBe(200);
  }, 45_000);
});

describe('a preview campaign', () => {
  it('dials only on the agent’s press; skip offers the next entry; the agent sets a call back', async () => {
    const { campaign } = await create({
      name: 'By hand',
      mode: 'preview',
      phoneIds: [id('Eve')],
      entries: [
        { number: '2024', name: 'Skip me' },
        { number: '2019', name: 'Call me', note: 'asks for Mo' },
        { number: '2025', name: 'Later' },
      ],
      ringTimeoutSeconds: 1,
    });
    expect((await post(campaign.id, 'start')).status).toBe(200);
    const offered = async (number: string) =>
      waitFor(async () => {
        const phone = (await get(campaign.id)).phones[0];
        return phone?.entry?.state === 'offered' && phone.entry.number === number ? phone : null;
      });
    const first = await offered('2024');
    expect(first.waiting).toBe('preview');
    expect(first.next?.number).toBe('2019');
    await sleep(800);
    expect(dialled('Eve')).toEqual([]);

    const skip = await post(campaign.id, 'next', { phoneId: id('Eve'), action: 'skip' });
    expect(skip.status, JSON.stringify(skip.body)).toBe(200);
    await offered('2019');
    expect(dialled('Eve')).toEqual([]);
    const dial = await post(campaign.id, 'next', { phoneId: id('Eve'), action: 'dial' });
    expect(dial.status, JSON.stringify(dial.body)).toBe(200);
    await waitFor(() => dialled('Eve').includes('2019'));
    // A second press while the call is on is refused: one attempt per phone.
    expect((await post(campaign.id, 'next', { phoneId: id('Eve'), action: 'dial' })).status).toBe(409);

    const later = await offered('2025');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const back = await post(campaign.id, `entries/${later.entry?.id}/outcome`, {
      outcome: 'callback',
      callbackAt: at,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const byNumber = Object.fromEntries((await entries(campaign.id)).map((e) => [e.number, e]));
    expect(byNumber['2024']).toMatchObject({ state: 'done', outcome: 'skipped', attempts: 0 });
    expect(byNumber['2019']).toMatchObject({ state: 'done', outcome: 'answered', attempts: 1 });
    expect(byNumber['2025']).toMatchObject({ state: 'pending', callbackAt: at, nextAttemptAt: at });
    expect(dialled('Eve')).toEqual(['2019']);
    expect((await post(campaign.id, 'stop')).status).toBe(200);
    h.expectNoSecrets();
  });
});
