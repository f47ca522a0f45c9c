import { describe, expect, it } from 'vitest';
import { REDACTED } from './request-log.ts';
import { control, cti, get, lineStates, sleep, usePhones } from './test-support.ts';

const phone = usePhones();

describe('control API', () => {
  it('ring answers which line rings; busy under DND answers 409', async () => {
    const p = await phone();
    expect((await control(p, 'POST', 'ring', { number: '2001', name: 'Ada' })).json).toEqual({
      ok: true,
      line: 1,
    });
    expect((await control(p, 'POST', 'ring', { number: '2002' })).json.line).toBe(2);
    await cti(p, 'api-send_key', { keys: 'DND' });
    const refused = await control(p, 'POST', 'ring', { number: '2003' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ ok: false, reason: 'dnd' });
    expect((await control(p, 'POST', 'ring', {})).status).toBe(400);
  });

  it('answer and hangup act for the far end', async () => {
    const p = await phone();
    await cti(p, 'api-make_call', { phonenumber: '3501' });
    expect((await control(p, 'POST', 'answer', {})).json).toEqual({ ok: true, line: 1 });
    expect((await lineStates(p))[0]).toBe('connected');
    expect((await control(p, 'POST', 'hangup', { line: 1 })).json.ok).toBe(true);
    expect((await lineStates(p))[0]).toBe('idle');
    expect((await control(p, 'POST', 'hangup', {})).status).toBe(409);
    await cti(p, 'api-make_call', { phonenumber: '3501' });
    await control(p, 'POST', 'hangup', { busy: true });
    expect((await lineStates(p))[0]).toBe('failed');
  });

  it('operate acts as the person at the desk', async () => {
    const p = await phone();
    await control(p, 'POST', 'ring', { number: '2001' });
    expect((await control(p, 'POST', 'operate', { cmd: 'acceptcall' })).json.ok).toBe(true);
    expect((await control(p, 'POST', 'operate', { cmd: 'fly' })).status).toBe(400);
  });

  it('confirm confirms a waiting command; 409 when nothing waits', async () => {
    const p = await phone({ settings: { popupConfirmation: true } });
    expect((await control(p, 'POST', 'confirm', {})).status).toBe(409);
    const pending = cti(p, 'api-send_key', { keys: 'VUP' });
    await sleep(20);
    expect((await control(p, 'POST', 'confirm', {})).json.ok).toBe(true);
    expect((await pending).json.body).toBe('complete');
  });

  it('state shows lines with DTMF, transfers, volume, dnd, muted, locked, dialBuffer', async () => {
    const p = await phone({ model: 'GRP2601' });
    await control(p, 'POST', 'ring', { number: '2001' });
    await cti(p, 'api-send_key', { keys: 'OFFHOOK:7:MUTE:XFER:3:SEND:LINE2:9:LOCK:VDOWN' });
    const state = (await control(p, 'GET', 'state')).json;
    expect(state).toMatchObject({
      model: 'GRP2601',
      volume: 4,
      dnd: false,
      muted: true,
      locked: true,
      dialBuffer: '9',
      transfers: [{ line: 1, target: '3', remoteNumber: '2001' }],
    });
    expect(state.lines).toHaveLength(2);
    expect(state.lines[0]).toMatchObject({ state: 'idle', dtmf: '7' });
    expect(state.lines[1]).toMatchObject({ state: 'dialing' });
  });

  it('log records every CTI request with passcode redacted; DELETE clears it', async () => {
    const p = await phone();
    await cti(p, 'api-get_line_status');
    await cti(p, 'api-make_call', { phonenumber: '3501' }, 'secret');
    const log = (await control(p, 'GET', 'log')).json;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      function: 'api-get_line_status',
      status: 200,
      params: { passcode: REDACTED },
    });
    expect(log[1]).toMatchObject({ function: 'api-make_call', status: 401, params: { phonenumber: '3501' } });
    expect(Date.parse(log[0].time)).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toContain('secret');
    await control(p, 'DELETE', 'log');
    expect((await control(p, 'GET', 'log')).json).toEqual([]);
  });

  it('settings change CTI access, pop-up, click-to-dial, quirks, registration, Action URLs', async () => {
    const p = await phone();
    const patched = await control(p, 'PATCH', 'settings', {
      clickToDial: false,
      quirks: { numberField: 'remotenum' },
      accounts: [{ registered: false }],
      actionUrls: { incoming: 'http://127.0.0.1:9/x' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.settings.clickToDial).toBe(false);
    expect((await cti(p, 'api-get_phone_status')).json.body).toBe('unavailable');
    expect((await cti(p, 'api-make_call', { phonenumber: '1' })).json.body).toBe('Invalid Request');
    expect(p.snapshot().actionUrls.incoming).toBe('http://127.0.0.1:9/x');
    await control(p, 'PATCH', 'settings', { ctiEnabled: false });
    expect((await cti(p, 'api-get_line_status')).status).toBe(403);
    expect((await control(p, 'PATCH', 'settings', { colour: 'red' })).status).toBe(400);
    expect((await control(p, 'PATCH', 'settings', { quirks: { loud: true } })).status).toBe(400);
  });

  it('needs no passcode, answers 404 for unknown routes, 400 for bad JSON', async () => {
    const p = await phone();
    expect((await control(p, 'GET', 'nowhere')).status).toBe(404);
    const bad = await fetch(`${p.url}/sim/ring`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('controlApi: false removes the routes', async () => {
    const p = await phone({ controlApi: false });
    expect((await get(`${p.url}/sim/state`)).status).toBe(404);
    expect(p.ring('2001').ok).toBe(true);
  });
});
