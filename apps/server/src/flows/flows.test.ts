/**
 * Transfer and conference flows over HTTP, against the real server and simulated phones: a consult-style
 * phone (XFER/CONF hold the call and open a line, as GRP26xx do) and an instant one (XFER, digits, SEND
 * hands over at once). Every failure must leave the calls as they were; nothing reaches a phone before
 * the body is valid.
 */
import type { Call, CallFlow, PhoneState } from '@linedeck/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionUrlTemplates } from '../simulated-fleet.ts';
import { type Harness, openSse, type SseFrame, startHarness, waitFor } from '../test-support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { name: 'Consult', model: 'GRP2614', flowStyle: 'consult' },
      { name: 'Instant', model: 'GRP2614' },
      { name: 'Popup', model: 'GRP2612', flowStyle: 'consult', confirmTimeoutMs: 100 },
      { name: 'Quiet', model: 'GRP2612' },
      { name: 'Small', model: 'GRP2601', flowStyle: 'consult' },
    ],
    { pollIntervalMs: 500, ctiTimeoutMs: 1000 },
  );
  await waitFor(async () => {
    const states = (await h.api<PhoneState[]>('GET', '/api/state')).body;
    return states.length === 5 && states.every((s) => s.updatedAt !== null);
  });
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  for (const phone of h.phones) {
    const sim = phone.sim;
    sim.updateSettings({ popupConfirmation: false });
    for (const l of sim.snapshot().lines) {
      if (l.state === 'failed' || l.state === 'dialing') sim.operate('endcall', l.index);
      else if (l.state !== 'idle') sim.farEndHangup(l.index);
    }
  }
  // A flow waiting for the person ends when the next poll shows its calls gone.
  const finished = ['done', 'cancelled', 'failed'];
  for (const phone of h.phones) {
    await waitFor(async () => {
      const flow = await flowOf(phone.name);
      return !flow || finished.includes(flow.stage);
    });
  }
});

type FlowAnswer = { flow: CallFlow; error: { code: string; message: string } };
const post = (phone: string, what: string, body: unknown) =>
  h.api<FlowAnswer>('POST', `/api/phones/${h.phone(phone).id}/${what}`, body);
const sim = (phone: string) => h.phone(phone).sim;
/** The first four lines' states (the two-line phone shows two). */
const states = (phone: string) =>
  sim(phone)
    .snapshot()
    .lines.slice(0, 4)
    .map((l) => l.state);
const keysSeen = (phone: string) =>
  sim(phone)
    .requestLog()
    .filter((e) => e.function === 'api-send_key')
    .map((e) => e.params.keys);
const flowOf = async (phone: string) =>
  (await h.api<PhoneState>('GET', `/api/phones/${h.phone(phone).id}/state`)).body.flow;

/** Caller 2001 talking on line 1. */
function call(phone: string): void {
  sim(phone).ring('2001', 'Ada');
  sim(phone).operate('acceptcall');
  sim(phone).clearLog();
}

/** Answers as the target once the phone calls it on `line`. */
async function answerWhenCalled(phone: string, line = 2): Promise<void> {
  await waitFor(() => states(phone)[line - 1] === 'calling');
  sim(phone).farEndAnswer(line);
}

describe('transfer', () => {
  it('blind on consult firmware: XFER, the target dialled, XFER again; both lines free', async () => {
    call('Consult');
    const res = await post('Consult', 'transfer', { line: 1, number: '200', mode: 'blind' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.flow).toMatchObject({ kind: 'transfer', mode: 'blind', stage: 'done', consultLine: 2 });
    expect(res.body.flow.message).toBe('Transferred to 200.');
    expect(states('Consult')).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(sim('Consult').snapshot().transfers.at(-1)).toMatchObject({ target: '200', mode: 'blind' });
    expect(keysSeen('Consult')).toEqual(['XFER', '2:0:0:SEND', 'XFER']);
  });

  it('the call journal records where the call was transferred', async () => {
    call('Consult');
    // The journal follows calls from polls: let it see this one talking first.
    const id = h.phone('Consult').id;
    await waitFor(async () => {
      const state = (await h.api<PhoneState>('GET', `/api/phones/${id}/state`)).body;
      return state.lines[0]?.state === 'connected';
    });
    expect((await post('Consult', 'transfer', { line: 1, number: '208', mode: 'blind' })).status).toBe(200);
    const calls = await waitFor(async () => {
      const page = (await h.api<{ calls: Call[] }>('GET', `/api/calls?phoneId=${id}`)).body;
      return page.calls?.find((c) => c.transferTarget === '208');
    });
    expect(calls).toMatchObject({ remoteNumber: '2001', transferTarget: '208' });
  });

  it('blind on instant firmware: XFER, digits, SEND', async () => {
    call('Instant');
    const res = await post('Instant', 'transfer', { line: 1, number: '201', mode: 'blind' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.flow).toMatchObject({ stage: 'done', consultLine: null });
    expect(sim('Instant').snapshot().transfers.at(-1)).toMatchObject({ target: '201', remoteNumber: '2001' });
    expect(keysSeen('Instant')).toEqual(['XFER', '2:0:1:SEND']);
  });

  it('attended on instant firmware is not available, and the call is as it was', async () => {
    call('Instant');
    const res = await post('Instant', 'transfer', { line: 1, number: '201', mode: 'attended' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'not_available' });
    expect(res.body.error.message).toMatch(/only a blind transfer/);
    expect(states('Instant')[0]).toBe('connected');
    expect(sim('Instant').snapshot().xfer).toBeNull();
  });

  it('attended: waits for the answer (the console sees it), then completes', async () => {
    call('Consult');
    const pending = post('Consult', 'transfer', { line: 1, number: '202', mode: 'attended' });
    await waitFor(async () => (await flowOf('Consult'))?.stage === 'ringing');
    expect(states('Consult').slice(0, 2)).toEqual(['onhold', 'calling']);
    await answerWhenCalled('Consult');
    const res = await pending;
    expect(res.status, res.text).toBe(200);
    expect(res.body.flow).toMatchObject({ stage: 'talking', line: 1, consultLine: 2, number: '202' });
    expect((await flowOf('Consult'))?.stage).toBe('talking');
    const done = await post('Consult', 'transfer/complete', { line: 1 });
    expect(done.status, done.text).toBe(200);
    expect(done.body.flow.stage).toBe('done');
    expect(states('Consult')).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(sim('Consult').snapshot().transfers.at(-1)).toMatchObject({ target: '202', mode: 'attended' });
  });

  it('the progress reaches every page by SSE, step by step', async () => {
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    try {
      expect(await sse.status).toBe(200);
      const id = h.phone('Consult').id;
      const stageIs = (stage: string) => (f: SseFrame) =>
        f.event === 'state' &&
        (f.data as PhoneState).phoneId === id &&
        (f.data as PhoneState).flow?.stage === stage &&
        (f.data as PhoneState).flow?.number === '209';
      call('Consult');
      const pending = post('Consult', 'transfer', { line: 1, number: '209', mode: 'attended' });
      expect((await sse.next(stageIs('ringing'))).data).toMatchObject({
        flow: { number: '209', consultLine: 2 },
      });
      await answerWhenCalled('Consult');
      await sse.next(stageIs('talking'));
      await pending;
      await post('Consult', 'transfer/complete', { line: 1 });
      expect((await sse.next(stageIs('done'))).data).toMatchObject({
        flow: { message: 'Transferred to 209.' },
      });
      // After a few seconds on screen the finished flow goes.
      const gone = await sse.next(
        (f) => f.event === 'state' && (f.data as PhoneState).phoneId === id && !(f.data as PhoneState).flow,
        8000,
      );
      expect(gone).toBeDefined();
    } finally {
      sse.close();
    }
  });

  it('attended, cancelled after the answer: the consultation ends and the caller is back', async () => {
    call('Consult');
    const pending = post('Consult', 'transfer', { line: 1, number: '203', mode: 'attended' });
    await answerWhenCalled('Consult');
    expect((await pending).body.flow.stage).toBe('talking');
    const back = await post('Consult', 'transfer/cancel', { line: 1 });
    expect(back.status, back.text).toBe(200);
    expect(back.body.flow).toMatchObject({ stage: 'cancelled', message: 'Back to the caller.' });
    expect(states('Consult')).toEqual(['connected', 'idle', 'idle', 'idle']);
    expect(sim('Consult').snapshot().lines[0]?.remoteNumber).toBe('2001');
  });

  it('target busy: a clear 409, the caller back on the line', async () => {
    call('Consult');
    const pending = post('Consult', 'transfer', { line: 1, number: '204', mode: 'attended' });
    await waitFor(() => states('Consult')[1] === 'calling');
    sim('Consult').farEndHangup(2, { busy: true });
    const res = await pending;
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('204 is busy.');
    expect(states('Consult')).toEqual(['connected', 'idle', 'idle', 'idle']);
    expect(await flowOf('Consult')).toMatchObject({ stage: 'failed', reason: 'target_busy' });
  });

  it('no answer within ringSeconds: 409, the target call ended, the caller back', async () => {
    call('Consult');
    const res = await post('Consult', 'transfer', {
      line: 1,
      number: '205',
      mode: 'attended',
      ringSeconds: 1,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('205 did not answer within 1 s.');
    expect(states('Consult')).toEqual(['connected', 'idle', 'idle', 'idle']);
  });

  it('one flow per phone: a second is 409; cancel while ringing ends the first', async () => {
    call('Consult');
    const first = post('Consult', 'transfer', { line: 1, number: '206', mode: 'attended' });
    await waitFor(() => states('Consult')[1] === 'calling');
    const second = await post('Consult', 'conference', { line: 1, number: '300' });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/A transfer to 206 is already under way on this phone/);
    const cancel = await post('Consult', 'transfer/cancel', { line: 1 });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body.flow.stage).toBe('cancelled');
    expect((await first).body.flow.stage).toBe('cancelled');
    expect(states('Consult')).toEqual(['connected', 'idle', 'idle', 'idle']);
  });

  it('a held caller is taken back first, and held again when the transfer fails', async () => {
    call('Consult');
    sim('Consult').operate('holdcall', 1);
    const res = await post('Consult', 'transfer', {
      line: 1,
      number: '207',
      mode: 'attended',
      ringSeconds: 1,
    });
    expect(res.status).toBe(409);
    expect(states('Consult')).toEqual(['onhold', 'idle', 'idle', 'idle']);
  });

  it('bad bodies are 400 and nothing reaches the phone', async () => {
    call('Consult');
    for (const body of [
      { line: 1, number: '+4930123', mode: 'blind' },
      { line: 0, number: '200', mode: 'blind' },
      { line: 1, number: '200', mode: 'sideways' },
      { line: 1, number: '200', mode: 'blind', extra: true },
      { line: 1, number: '', mode: 'blind' },
    ]) {
      const res = await post('Consult', 'transfer', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    expect((await post('Consult', 'conference', { line: 1 })).status).toBe(400);
    expect((await post('Consult', 'transfer/complete', {})).status).toBe(400);
    const commands = sim('Consult')
      .requestLog()
      .filter((e) => e.function !== 'api-get_line_status' && e.function !== 'api-get_phone_status');
    expect(commands).toEqual([]);
    expect(states('Consult')[0]).toBe('connected');
  });

  it('no established call on the line: 409 before any key', async () => {
    call('Consult');
    const res = await post('Consult', 'transfer', { line: 3, number: '200', mode: 'blind' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('There is no established call on line 3.');
    expect(keysSeen('Consult')).toEqual([]);
  });

  it('every other line in use: 409 before any key (the digits would reach the caller)', async () => {
    call('Small');
    sim('Small').ring('2002');
    const res = await post('Small', 'transfer', { line: 1, number: '200', mode: 'blind' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/Every other line of the phone is in use/);
    expect(keysSeen('Small')).toEqual([]);
    expect(states('Small')).toEqual(['connected', 'ringing']);
  });

  it('complete or cancel without a flow on that line: 409', async () => {
    const res = await post('Consult', 'transfer/complete', { line: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('No transfer is under way on line 2.');
  });

  it('the pop-up confirmation unanswered: 409 that says so, the call untouched', async () => {
    call('Popup');
    sim('Popup').updateSettings({ popupConfirmation: true });
    const res = await post('Popup', 'transfer', { line: 1, number: '200', mode: 'blind' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/confirmation on its screen/);
    expect(states('Popup')[0]).toBe('connected');
  });
});

describe('conference', () => {
  async function joined(): Promise<CallFlow> {
    call('Consult');
    const pending = post('Consult', 'conference', { line: 1, number: '300' });
    await answerWhenCalled('Consult');
    const res = await pending;
    expect(res.status, res.text).toBe(200);
    return res.body.flow;
  }

  it('adds a party and joins: both lines in the conference', async () => {
    const flow = await joined();
    expect(flow).toMatchObject({ kind: 'conference', mode: null, stage: 'joined', conferenceLines: [1, 2] });
    const lines = sim('Consult').snapshot().lines;
    expect(lines.slice(0, 2).map((l) => [l.state, l.conf])).toEqual([
      ['connected', true],
      ['connected', true],
    ]);
    expect(keysSeen('Consult')).toEqual(['CONF', '3:0:0:SEND', 'CONF']);
    // A joined conference is a flow: no transfer meanwhile.
    expect((await post('Consult', 'transfer', { line: 1, number: '1', mode: 'blind' })).status).toBe(409);
  });

  it('end: every party hung up', async () => {
    await joined();
    const res = await post('Consult', 'conference/end', { line: 1 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.flow).toMatchObject({ stage: 'done', message: 'The conference ended.' });
    expect(states('Consult')).toEqual(['idle', 'idle', 'idle', 'idle']);
  });

  it('drop a party: the other call goes on', async () => {
    await joined();
    const res = await post('Consult', 'conference/drop', { line: 2 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.flow.stage).toBe('done');
    expect(states('Consult')).toEqual(['connected', 'idle', 'idle', 'idle']);
  });

  it('the parties leaving by themselves end the flow', async () => {
    await joined();
    sim('Consult').farEndHangup(2);
    await waitFor(async () => (await flowOf('Consult'))?.stage === 'done');
    expect(states('Consult')[0]).toBe('connected');
  });

  it('a party that does not answer: 409 and the caller back, unmarked', async () => {
    call('Consult');
    const res = await post('Consult', 'conference', { line: 1, number: '301', ringSeconds: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('301 did not answer within 1 s.');
    const line = sim('Consult').snapshot().lines[0];
    expect([line?.state, line?.conf]).toEqual(['connected', false]);
  });
});

describe('DND', () => {
  it('turns a ring away as busy, and the push tells the server DND is on', async () => {
    const quiet = h.phone('Quiet');
    quiet.sim.updateSettings({
      actionUrls: actionUrlTemplates(h.url, quiet.id, h.server.registry.hookToken(quiet.id)),
    });
    quiet.sim.setDnd(true);
    await waitFor(async () => (await h.api<PhoneState>('GET', `/api/phones/${quiet.id}/state`)).body.dnd);
    expect(quiet.sim.ring('2009', 'Grace')).toMatchObject({ ok: false, reason: 'dnd' });
    expect(states('Quiet')).toEqual(['idle', 'idle', 'idle', 'idle']);
    quiet.sim.setDnd(false);
    await waitFor(
      async () => (await h.api<PhoneState>('GET', `/api/phones/${quiet.id}/state`)).body.dnd === false,
    );
  });
});
