import { describe, expect, it } from 'vitest';
import { cti, get, lineStates, sleep, usePhones, waitFor } from './test-support.ts';

const phone = usePhones();

describe('read functions', () => {
  it('api-get_line_status: one object per model line, in the guide shape', async () => {
    const p = await phone({ model: 'GRP2602' });
    const answer = await cti(p, 'api-get_line_status');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(answer.json.response).toBe('success');
    expect(answer.json.body).toHaveLength(4);
    expect(answer.json.body[1]).toEqual({
      line: 2,
      state: 'idle',
      acct: 0,
      active: 0,
      remotename: '',
      remotenumber: '',
      conf: 0,
    });
    expect((await cti(await phone({ model: 'GRP2670' }), 'api-get_line_status')).json.body).toHaveLength(16);
  });

  it('api-get_line_status shows a call with its account, caller and active flag', async () => {
    const p = await phone();
    p.ring('+4930123', 'Ada Lovelace');
    const body = (await cti(p, 'api-get_line_status')).json.body;
    expect(body[0]).toMatchObject({
      state: 'ringing',
      acct: 1,
      active: 1,
      remotename: 'Ada Lovelace',
      remotenumber: '+4930123',
    });
  });

  it('api-get_phone_status: available, ringing, busy, unavailable with misc "0"', async () => {
    const p = await phone();
    expect((await cti(p, 'api-get_phone_status')).json).toEqual({
      response: 'success',
      body: 'available',
      misc: '0',
    });
    p.ring('2001');
    expect((await cti(p, 'api-get_phone_status')).json.body).toBe('ringing');
    p.operate('acceptcall');
    expect((await cti(p, 'api-get_phone_status')).json.body).toBe('busy');
    const unregistered = await phone({ accounts: [{ registered: false }] });
    expect((await cti(unregistered, 'api-get_phone_status')).json.body).toBe('unavailable');
  });

  it('api-get_accounts: every account slot of the model', async () => {
    const p = await phone({
      model: 'GRP2612',
      accounts: [{ sipServer: 'testsipserver.com', sipId: '1234', name: 'test_account' }],
    });
    expect((await cti(p, 'api-get_accounts')).json).toEqual({
      response: 'success',
      body: [
        { id: 1, sip_server: 'testsipserver.com', sip_id: '1234', name: 'test_account', reg: 1 },
        { id: 2, sip_server: '', sip_id: '', name: '', reg: 0 },
      ],
    });
  });

  it('unknown function: 404 HTML; other paths too', async () => {
    const p = await phone();
    const answer = await cti(p, 'api-nothing');
    expect(answer.status).toBe(404);
    expect(answer.contentType).toBe('text/html');
    expect(answer.text).toContain('<html>');
    expect((await get(`${p.url}/index.html`)).status).toBe(404);
  });
});

describe('api-phone_operation', () => {
  it('acceptcall, holdcall (toggle), unhold, endcall answer body true', async () => {
    const p = await phone();
    p.ring('2001');
    for (const cmd of ['acceptcall', 'holdcall']) {
      expect((await cti(p, 'api-phone_operation', { cmd })).json).toEqual({
        response: 'success',
        body: true,
      });
    }
    expect(await lineStates(p)).toEqual(['onhold', ...Array(7).fill('idle')]);
    expect((await cti(p, 'api-phone_operation', { cmd: 'unhold' })).json.body).toBe(true);
    expect((await cti(p, 'api-phone_operation', { cmd: 'holdcall' })).json.body).toBe(true);
    expect((await cti(p, 'api-phone_operation', { cmd: 'holdcall' })).json.body).toBe(true);
    expect((await lineStates(p))[0]).toBe('connected');
    expect((await cti(p, 'api-phone_operation', { cmd: 'endcall' })).json.body).toBe(true);
    expect((await lineStates(p))[0]).toBe('idle');
  });

  it('rejectcall and cancel end a ringing call', async () => {
    const p = await phone();
    for (const cmd of ['rejectcall', 'cancel']) {
      p.ring('2001');
      expect((await cti(p, 'api-phone_operation', { cmd })).json.body).toBe(true);
      expect((await lineStates(p))[0]).toBe('idle');
    }
  });

  it('not applicable, unknown cmd or bad arg: {"response":"error","body":false}', async () => {
    const p = await phone();
    const refused = { response: 'error', body: false };
    expect((await cti(p, 'api-phone_operation', { cmd: 'endcall' })).json).toEqual(refused);
    expect((await cti(p, 'api-phone_operation', { cmd: 'dance' })).json).toEqual(refused);
    p.ring('2001');
    expect((await cti(p, 'api-phone_operation', { cmd: 'acceptcall', arg: '9' })).json).toEqual(refused);
    expect((await cti(p, 'api-phone_operation', { cmd: 'acceptcall', arg: '2' })).json).toEqual(refused);
  });

  it('arg=<line> aims at that line', async () => {
    const p = await phone({ model: 'GRP2601' });
    p.ring('2001');
    p.ring('2002');
    expect((await cti(p, 'api-phone_operation', { cmd: 'acceptcall', arg: '2' })).json.body).toBe(true);
    expect(await lineStates(p)).toEqual(['ringing', 'connected']);
  });
});

describe('api-make_call', () => {
  it('starts calling on the first idle line; the far end answers', async () => {
    const p = await phone();
    const answer = await cti(p, 'api-make_call', { phonenumber: '3501' });
    expect(answer.json).toEqual({ response: 'success', body: true });
    const line = (await cti(p, 'api-get_line_status')).json.body[0];
    expect(line).toMatchObject({ state: 'calling', remotenumber: '3501', acct: 1 });
    expect(p.farEndAnswer().ok).toBe(true);
    expect((await lineStates(p))[0]).toBe('connected');
  });

  it('account= picks the (0-based) account', async () => {
    const p = await phone({ accounts: [{}, { sipId: '1002' }] });
    await cti(p, 'api-make_call', { phonenumber: '3501', account: '1' });
    expect((await cti(p, 'api-get_line_status')).json.body[0].acct).toBe(2);
  });

  it('Invalid Request: click-to-dial off, keypad locked, empty/invalid number, no usable account', async () => {
    const invalid = { response: 'error', body: 'Invalid Request' };
    const off = await phone({ settings: { clickToDial: false } });
    expect((await cti(off, 'api-make_call', { phonenumber: '3501' })).json).toEqual(invalid);
    const p = await phone({ accounts: [{}, { registered: false }] });
    expect((await cti(p, 'api-make_call', { phonenumber: '' })).json).toEqual(invalid);
    expect((await cti(p, 'api-make_call', {})).json).toEqual(invalid);
    expect((await cti(p, 'api-make_call', { phonenumber: '35 01' })).json).toEqual(invalid);
    expect((await cti(p, 'api-make_call', { phonenumber: '1', account: '1' })).json).toEqual(invalid);
    expect((await cti(p, 'api-make_call', { phonenumber: '1', account: '7' })).json).toEqual(invalid);
    await cti(p, 'api-send_key', { keys: 'LOCK' });
    expect((await cti(p, 'api-make_call', { phonenumber: '3501' })).json).toEqual(invalid);
    expect(await lineStates(p)).toEqual(Array(8).fill('idle'));
  });

  it('autoAnswerMs: the far end answers by itself', async () => {
    const p = await phone({ autoAnswerMs: 20 });
    await cti(p, 'api-make_call', { phonenumber: '3501' });
    expect((await lineStates(p))[0]).toBe('calling');
    await waitFor(() => p.snapshot().lines[0]?.state === 'connected');
  });
});

describe('api-send_key', () => {
  it('runs keys in order and answers complete', async () => {
    const p = await phone();
    const answer = await cti(p, 'api-send_key', { keys: '1:0:0:0:SEND' });
    expect(answer.json).toEqual({ response: 'success', body: 'complete' });
    expect((await cti(p, 'api-get_line_status')).json.body[0]).toMatchObject({
      state: 'calling',
      remotenumber: '1000',
    });
  });

  it('an unknown key answers unknown and nothing runs', async () => {
    const p = await phone();
    expect((await cti(p, 'api-send_key', { keys: 'VUP:BOGUS' })).json).toEqual({
      response: 'error',
      body: 'unknown',
    });
    expect((await cti(p, 'api-send_key', {})).json.body).toBe('unknown');
    expect(p.snapshot().volume).toBe(4);
  });

  it('DTMF, volume, mute, DND, transfer and conference show in the state', async () => {
    const p = await phone();
    p.ring('2001');
    await cti(p, 'api-send_key', { keys: 'OFFHOOK:4:2:VUP:MUTE:CONF' });
    let s = p.snapshot();
    expect(s.lines[0]).toMatchObject({ state: 'connected', dtmf: '42', conf: true });
    expect(s).toMatchObject({ volume: 5, muted: true, conference: true });
    await cti(p, 'api-send_key', { keys: 'XFER:2:0:0:SEND:DND' });
    s = p.snapshot();
    expect(s.transfers[0]).toMatchObject({ line: 1, target: '200', remoteNumber: '2001' });
    expect(s.dnd).toBe(true);
    expect(p.ring('2002')).toMatchObject({ ok: false, reason: 'dnd' });
  });
});

describe('api-sys_operation', () => {
  it('REBOOT answers savereboot, is down for rebootMs, comes back idle', async () => {
    const p = await phone({ rebootMs: 150 });
    p.ring('2001');
    expect((await cti(p, 'api-sys_operation', { request: 'REBOOT' })).json).toEqual({
      response: 'success',
      body: 'savereboot',
    });
    await expect(fetch(`${p.url}/cgi-bin/api-get_phone_status?passcode=admin`)).rejects.toThrow();
    await sleep(250);
    expect(await lineStates(p)).toEqual(Array(8).fill('idle'));
  });

  it('RESET needs the admin passcode: user passcode gets 401, admin gets reset', async () => {
    const p = await phone({ rebootMs: 50 });
    p.updateSettings({ clickToDial: false });
    const user = await cti(p, 'api-sys_operation', { request: 'RESET' }, '123');
    expect(user.status).toBe(401);
    expect(p.snapshot().passcode.failures).toBe(0);
    expect((await cti(p, 'api-sys_operation', { request: 'RESET' })).json).toEqual({
      response: 'success',
      body: 'reset',
    });
    await sleep(120);
    expect(p.snapshot().settings.clickToDial).toBe(true);
  });

  it('unknown request answers unknown', async () => {
    const p = await phone();
    expect((await cti(p, 'api-sys_operation', { request: 'SHUTDOWN' })).json).toEqual({
      response: 'error',
      body: 'unknown',
    });
  });
});
