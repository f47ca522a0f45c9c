import { describe, expect, it } from 'vitest';
import { cti, usePhones } from './test-support.ts';

const phone = usePhones();

describe('quirks', () => {
  it('numberField remotenum instead of remotenumber', async () => {
    const p = await phone({ quirks: { numberField: 'remotenum' } });
    p.ring('2001');
    const line = (await cti(p, 'api-get_line_status')).json.body[0];
    expect(line.remotenum).toBe('2001');
    expect(line).not.toHaveProperty('remotenumber');
  });

  it('silentMakeCall: make_call answers success but no call starts', async () => {
    const p = await phone({ quirks: { silentMakeCall: true } });
    const answer = await cti(p, 'api-make_call', { phonenumber: '3501' });
    expect(answer.json).toEqual({ response: 'success', body: true });
    expect(p.snapshot().lines.every((l) => l.state === 'idle')).toBe(true);
    p.updateSettings({ quirks: { silentMakeCall: false } });
    await cti(p, 'api-make_call', { phonenumber: '3501' });
    expect(p.snapshot().lines[0]?.state).toBe('calling');
  });

  it('idleAcct "" instead of 0', async () => {
    const p = await phone({ quirks: { idleAcct: '' } });
    expect((await cti(p, 'api-get_line_status')).json.body[0].acct).toBe('');
    p.updateSettings({ quirks: { idleAcct: 0 } });
    expect((await cti(p, 'api-get_line_status')).json.body[0].acct).toBe(0);
  });

  it.each(['text/html', 'text/plain'] as const)('contentType %s on JSON answers', async (contentType) => {
    const p = await phone({ quirks: { contentType } });
    for (const fn of ['api-get_line_status', 'api-get_phone_status', 'api-get_accounts']) {
      const answer = await cti(p, fn);
      expect(answer.contentType).toBe(contentType);
      expect(answer.json.response).toBe('success');
    }
  });

  it('extraFields adds fields beside body and per line and account', async () => {
    const p = await phone({ quirks: { extraFields: true } });
    p.ring('2001');
    const status = (await cti(p, 'api-get_line_status')).json;
    expect(status).toMatchObject({ battery: 100, session_expiring: false });
    expect(status.body[0]).toMatchObject({ direction: 'incoming', dtmf: '' });
    expect(status.body[0].callid).not.toBe('');
    expect((await cti(p, 'api-get_phone_status')).json).toMatchObject({ misc: '0', battery: 100 });
    expect((await cti(p, 'api-get_accounts')).json.body[0]).toHaveProperty('transport');
  });

  it('defaults follow the captured firmware: remotenumber, acct 0, application/json, no extras', async () => {
    const p = await phone();
    const answer = await cti(p, 'api-get_line_status');
    expect(answer.contentType).toBe('application/json');
    expect(Object.keys(answer.json)).toEqual(['response', 'body']);
    expect(Object.keys(answer.json.body[0])).toEqual([
      'line',
      'state',
      'acct',
      'active',
      'remotename',
      'remotenumber',
      'conf',
    ]);
  });
});
