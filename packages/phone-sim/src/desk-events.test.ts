import { describe, expect, it } from 'vitest';
import { sidOf, web } from './session-test-support.ts';
import { control, cti, sleep, usePhones, usePushReceivers, waitFor } from './test-support.ts';

const phone = usePhones();
const receiver = usePushReceivers();

describe('DND and forward set at the desk (control API)', () => {
  it('POST /sim/dnd switches DND and sends dnd_on/dnd_off; the same value again sends nothing', async () => {
    const { base, hits } = await receiver();
    const p = await phone({ actionUrls: { dnd_on: `${base}/dnd_on`, dnd_off: `${base}/dnd_off` } });
    expect((await control(p, 'POST', 'dnd', { on: true })).status).toBe(200);
    await control(p, 'POST', 'dnd', { on: true });
    expect(p.snapshot().dnd).toBe(true);
    await control(p, 'POST', 'dnd', { on: false });
    await waitFor(() => hits.length === 2, 500);
    expect(hits).toEqual(['/dnd_on', '/dnd_off']);
    expect((await control(p, 'POST', 'dnd', { on: 'yes' })).status).toBe(400);
  });

  it('POST /sim/forward sets forward and sends forward_on/forward_off; an incoming call is forwarded', async () => {
    const { base, hits } = await receiver();
    const p = await phone({
      actionUrls: { forward_on: `${base}/forward_on?mac=$mac`, forward_off: `${base}/forward_off?r=$remote` },
    });
    const on = await control(p, 'POST', 'forward', { mode: 'always', number: '+4930555' });
    expect(on.json).toMatchObject({ ok: true });
    expect(p.snapshot().forward).toMatchObject({ mode: 'always', always: '+4930555' });
    expect(p.ring('2001')).toMatchObject({ ok: false, reason: 'forwarded' });
    expect(p.snapshot().lines.every((l) => l.state === 'idle')).toBe(true);
    await control(p, 'POST', 'forward', { mode: 'off' });
    await waitFor(() => hits.length === 2, 500);
    expect(hits).toEqual([`/forward_on?mac=${p.snapshot().mac}`, '/forward_off?r=$remote']);
    expect(p.ring('2001').ok).toBe(true);
  });

  it('forward is configuration: it survives a reboot, not a factory reset', async () => {
    const p = await phone({ rebootMs: 30 });
    p.setForward({ mode: 'busy', number: '2000' });
    await cti(p, 'api-sys_operation', { request: 'REBOOT' });
    await sleep(60);
    await waitFor(() => !p.snapshot().down, 1000);
    expect(p.snapshot().forward).toMatchObject({ mode: 'busy', busy: '2000' });
    await cti(p, 'api-sys_operation', { request: 'RESET' });
    await sleep(60);
    await waitFor(() => !p.snapshot().down, 1000);
    expect(p.snapshot().forward.mode).toBe('off');
  });

  it('refuses a forward without a number or with a bad mode, changing nothing', async () => {
    const p = await phone();
    expect((await control(p, 'POST', 'forward', { mode: 'busy' })).status).toBe(400);
    expect((await control(p, 'POST', 'forward', { mode: 'always', number: 'abc' })).status).toBe(400);
    expect((await control(p, 'POST', 'forward', { mode: 'elsewhere', number: '1' })).status).toBe(400);
    expect(p.snapshot().forward.mode).toBe('off');
  });

  it('DND written through config_update sends dnd_on as well', async () => {
    const { base, hits } = await receiver();
    const p = await phone({ firmwareProfile: 'session', actionUrls: { dnd_on: `${base}/dnd_on` } });
    const sid = await sidOf(p);
    await web(p, 'config_update', { sid, method: 'PUT', body: JSON.stringify({ pvalue: { ':dnd': '1' } }) });
    await waitFor(() => hits.length === 1, 500);
    expect(hits).toEqual(['/dnd_on']);
  });
});

describe('Action URL as phones send it', () => {
  it('blind transfer (XFER, digits, SEND) sends blind_transfer with the transferred caller', async () => {
    const { base, hits } = await receiver();
    const p = await phone({ actionUrls: { blind_transfer: `${base}/xfer?r=$remote&d=$calldirection` } });
    p.ring('2001');
    p.operate('acceptcall');
    await cti(p, 'api-send_key', { keys: 'XFER:3:0:0:SEND' });
    expect(p.snapshot().transfers).toMatchObject([{ target: '300', remoteNumber: '2001' }]);
    await waitFor(() => hits.length === 1, 500);
    expect(hits).toEqual(['/xfer?r=2001&d=incoming']);
  });

  it('path-style variables without "?" are filled anywhere in the path', async () => {
    const { base, hits } = await receiver();
    const p = await phone({
      mac: 'c074ad0000aa',
      actionUrls: {
        incoming: `${base}/hooks/action-url/ph1/t0ken/mac=$mac&remote=$remote&x=$display_remote`,
      },
    });
    p.ring('+4930123', 'Ada Lovelace');
    await waitFor(() => hits.length === 1, 500);
    expect(hits[0]).toBe('/hooks/action-url/ph1/t0ken/mac=c074ad0000aa&remote=+4930123&x=Ada%20Lovelace');
  });

  it('a template without a scheme is sent over http', async () => {
    const { base, hits } = await receiver();
    const p = await phone({ actionUrls: { missed: `${base.slice('http://'.length)}/missed/$remote` } });
    p.ring('2002');
    p.farEndHangup();
    await waitFor(() => hits.length === 1, 500);
    expect(hits).toEqual(['/missed/2002']);
    expect(p.snapshot().actionUrlStats).toEqual({ sent: 1, failed: 0 });
  });
});
