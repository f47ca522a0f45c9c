import { describe, expect, it } from 'vitest';
import type { ConfigPhone } from './config-api.ts';
import { configFields, configGet, configUpdate } from './config-api.ts';
import type { PhoneEvent, PhoneState, PhoneStep } from './phone-state.ts';
import { createPhoneState } from './phone-state.ts';
import { DEFAULT_QUIRKS } from './quirks.ts';
import { sidOf, web } from './session-test-support.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { usePhones } from './test-support.ts';

const phone = usePhones();

const put = (body: unknown) => ({ method: 'PUT', body: JSON.stringify(body) });

describe('config API over HTTP (session firmware)', () => {
  it('config_get reads P1561 and :dnd, one entry per key in order, unknown keys empty', async () => {
    const p = await phone({ firmwareProfile: 'session', settings: { clickToDial: false } });
    const sid = await sidOf(p);
    p.setDnd(true);
    const answer = await web(p, 'config_get', {
      method: 'GET',
      sid,
      params: { pvalues: ':dnd,P1561,P9999' },
    });
    expect(answer.json).toEqual({
      response: 'success',
      body: [
        { alias: '', pvalue: ':dnd', value: '1' },
        { alias: '', pvalue: 'P1561', value: '0' },
        { alias: '', pvalue: 'P9999', value: '' },
      ],
    });
  });

  it('config_update (PUT) writes Click-To-Dial and DND; api-make_call and the DND event follow', async () => {
    const p = await phone({ firmwareProfile: 'session' });
    const events: PhoneEvent[] = [];
    p.onEvent((e) => events.push(e));
    const sid = await sidOf(p);
    const answer = await web(p, 'config_update', {
      sid,
      ...put({ alias: {}, pvalue: { P1561: '0', ':dnd': '1' } }),
    });
    expect(answer.json).toEqual({ response: 'success', body: { status: 'right' } });
    expect(p.snapshot()).toMatchObject({ dnd: true, settings: { clickToDial: false } });
    expect(events.map((e) => e.kind)).toEqual(['dnd_on']);
    const call = await web(p, 'api-make_call', { method: 'GET', sid, params: { phonenumber: '2001' } });
    expect(call.json).toEqual({ response: 'error', body: 'Invalid Request' });
    const read = await web(p, 'config_get', { method: 'GET', sid, params: { pvalues: 'P1561,:dnd' } });
    expect(read.json.body.map((e: { value: string }) => e.value)).toEqual(['0', '1']);
  });

  it('keys in the quirk ignoredConfigWrites answer right but are not applied', async () => {
    const p = await phone({ firmwareProfile: 'session', quirks: { ignoredConfigWrites: [':dnd'] } });
    const sid = await sidOf(p);
    const answer = await web(p, 'config_update', { sid, ...put({ pvalue: { ':dnd': '1', P1561: '0' } }) });
    expect(answer.json.body).toEqual({ status: 'right' });
    expect(p.snapshot()).toMatchObject({ dnd: false, settings: { clickToDial: false } });
  });

  it('refuses a POST (501), bad values and bad JSON (nothing applied), and an expired sid', async () => {
    const p = await phone({ firmwareProfile: 'session' });
    const sid = await sidOf(p);
    const post = await web(p, 'config_update', { sid, params: { P1561: '0' } });
    expect(post.status).toBe(501);
    for (const body of [
      { pvalue: { P1561: '0', ':dnd': 'yes' } },
      { pvalue: { P1561: 0 } },
      { pvalue: [] },
    ]) {
      const answer = await web(p, 'config_update', { sid, ...put(body) });
      expect(answer.json, JSON.stringify(body)).toEqual({ response: 'error', body: 'Invalid Request' });
    }
    expect((await web(p, 'config_update', { sid, method: 'PUT', body: '{nope' })).json.response).toBe(
      'error',
    );
    expect(p.snapshot()).toMatchObject({ dnd: false, settings: { clickToDial: true } });
    const expired = await web(p, 'config_update', { sid: 'not-a-sid', ...put({ pvalue: { P1561: '0' } }) });
    expect(expired.json).toEqual({ response: 'error', body: { status: 'session-expired' } });
    expect(p.snapshot().settings.clickToDial).toBe(true);
  });

  it('passcode firmware has no config API', async () => {
    const p = await phone();
    const answer = await fetch(`${p.url}/cgi-bin/config_get?pvalues=P1561&passcode=admin`);
    expect(answer.status).toBe(404);
  });
});

/** A phone as the config API sees it, for tables the shared config-keys.ts does not hold yet. */
function fakePhone(): ConfigPhone & { events: PhoneEvent[] } {
  let state: PhoneState = createPhoneState(2, []);
  let settings = DEFAULT_SETTINGS;
  const events: PhoneEvent[] = [];
  return {
    events,
    get state() {
      return state;
    },
    get settings() {
      return settings;
    },
    quirks: DEFAULT_QUIRKS,
    commit(step: PhoneStep) {
      state = step.state;
      events.push(...step.events);
    },
    updateSettings(update) {
      settings = { ...settings, ...update };
    },
  };
}

describe('config API: forward keys from the shared table', () => {
  const key = (k: string) => ({ key: k, meaning: '', source: 'test' });
  const fields = configFields({
    test: { mode: key('P9001'), always: key('P9002'), busy: key('P9003'), noAnswer: key('P9004') },
  });

  it('a mode and its target in one write make one forward_on; off makes forward_off', () => {
    const p = fakePhone();
    const on = configUpdate(p, JSON.stringify({ pvalue: { P9001: 'always', P9002: '+4930123' } }), fields);
    expect(on).toEqual({ ok: true, applied: ['P9001', 'P9002'] });
    expect(p.state.forward).toMatchObject({ mode: 'always', always: '+4930123' });
    expect(configGet(p, 'P9001,P9002,P9003', fields).map((e) => e.value)).toEqual(['always', '+4930123', '']);
    configUpdate(p, JSON.stringify({ pvalue: { P9001: 'off' } }), fields);
    expect(p.events.map((e) => e.kind)).toEqual(['forward_on', 'forward_off']);
  });

  it('refuses forwarding to nowhere or to a non-number, and applies nothing else of that write', () => {
    const p = fakePhone();
    expect(configUpdate(p, JSON.stringify({ pvalue: { P9001: 'busy', P1561: '0' } }), fields).ok).toBe(false);
    expect(configUpdate(p, JSON.stringify({ pvalue: { P9003: 'abc' } }), fields).ok).toBe(false);
    expect(configUpdate(p, JSON.stringify({ pvalue: { P9001: 'sideways' } }), fields).ok).toBe(false);
    expect(p.state.forward.mode).toBe('off');
    expect(p.settings.clickToDial).toBe(true);
    expect(p.events).toEqual([]);
  });
});
