import { describe, expect, it } from 'vitest';
import { normalizeIp } from './settings.ts';
import { cti, sleep, usePhones } from './test-support.ts';

const phone = usePhones();

describe('passcode', () => {
  it('wrong or missing passcode: HTTP 401 HTML page', async () => {
    const p = await phone();
    for (const passcode of ['wrong', '', null]) {
      const answer = await cti(p, 'api-get_line_status', {}, passcode);
      expect(answer.status).toBe(401);
      expect(answer.contentType).toBe('text/html');
      expect(answer.text).toMatch(/401 Unauthorized/);
    }
  });

  it('the user passcode does everything but RESET', async () => {
    const p = await phone({ userPasscode: 'u5er' });
    expect((await cti(p, 'api-get_line_status', {}, 'u5er')).status).toBe(200);
    expect((await cti(p, 'api-make_call', { phonenumber: '1' }, 'u5er')).json.body).toBe(true);
    expect((await cti(p, 'api-send_key', { keys: 'VUP' }, 'u5er')).json.body).toBe('complete');
  });

  it('locks after 5 failures in a row: even the right passcode gets "locked"', async () => {
    const p = await phone({ lockoutMs: 150 });
    for (let i = 0; i < 5; i++) expect((await cti(p, 'api-get_line_status', {}, 'bad')).status).toBe(401);
    const locked = await cti(p, 'api-get_line_status');
    expect(locked.status).toBe(200);
    expect(locked.json).toEqual({ response: 'error', body: 'locked' });
    await sleep(200);
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
  });

  it('a success resets the failure count', async () => {
    const p = await phone();
    for (let i = 0; i < 4; i++) await cti(p, 'api-get_line_status', {}, 'bad');
    expect(p.snapshot().passcode.failures).toBe(4);
    await cti(p, 'api-get_line_status');
    expect(p.snapshot().passcode.failures).toBe(0);
    for (let i = 0; i < 4; i++) await cti(p, 'api-get_line_status', {}, 'bad');
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
  });
});

describe('CTI access', () => {
  it('CTI disabled: HTTP 403 HTML, before the passcode is looked at', async () => {
    const p = await phone({ settings: { ctiEnabled: false } });
    const answer = await cti(p, 'api-get_line_status', {}, 'wrong');
    expect(answer.status).toBe(403);
    expect(answer.contentType).toBe('text/html');
    expect(p.snapshot().passcode.failures).toBe(0);
  });

  it('caller not in the allowed IP list: 403; listed or any: served', async () => {
    const p = await phone({ settings: { allowedIps: ['10.0.0.9'] } });
    expect((await cti(p, 'api-get_line_status')).status).toBe(403);
    p.updateSettings({ allowedIps: '10.0.0.9, 127.0.0.1' });
    expect((await cti(p, 'api-get_line_status')).status).toBe(200);
    p.updateSettings({ allowedIps: ['any'] });
    expect((await cti(p, 'api-get_line_status')).status).toBe(200);
  });

  it('normalizes IPv4-mapped addresses', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeIp('::1')).toBe('::1');
  });
});

describe('pop-up confirmation', () => {
  it('a command waits for the confirmation at the handset', async () => {
    const p = await phone({ settings: { popupConfirmation: true } });
    const pending = cti(p, 'api-make_call', { phonenumber: '3501' });
    await sleep(30);
    expect(p.snapshot().pendingConfirmations).toBe(1);
    expect(p.snapshot().lines[0]?.state).toBe('idle');
    expect(p.confirm()).toBe(true);
    expect((await pending).json).toEqual({ response: 'success', body: true });
    expect(p.snapshot().lines[0]?.state).toBe('calling');
  });

  it('reads need no confirmation', async () => {
    const p = await phone({ settings: { popupConfirmation: true } });
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
  });

  it('fails when nobody confirms in time, or the person declines', async () => {
    const p = await phone({ settings: { popupConfirmation: true }, confirmTimeoutMs: 60 });
    const started = Date.now();
    expect((await cti(p, 'api-send_key', { keys: 'VUP' })).json).toEqual({
      response: 'error',
      body: 'failed',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(p.snapshot().volume).toBe(4);
    const declined = cti(p, 'api-phone_operation', { cmd: 'endcall' });
    await sleep(20);
    p.confirm(false);
    expect((await declined).json.body).toBe('failed');
    expect(p.confirm()).toBe(false);
  });
});
