/**
 * Transfer, conference, DND and forward over HTTP: the keys as api-send_key takes them, the far end by
 * the control API, and the Action URL pushes every step sends.
 */
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.ts';
import { control, cti, lineStates, usePhones, usePushReceivers, waitFor } from './test-support.ts';

const phone = usePhones();
const receiver = usePushReceivers();

const EVENTS = ['hold', 'unhold', 'blind_transfer', 'attended_transfer'] as const;

async function consultPhone(options: { consultHangup?: 'cancel' | 'transfer' } = {}) {
  const { base, hits } = await receiver();
  const urls = Object.fromEntries(EVENTS.map((e) => [e, `${base}/${e}?r=$remote`]));
  const p = await phone({ model: 'GRP2612', flowStyle: 'consult', actionUrls: urls, ...options });
  p.ring('2001', 'Ada');
  p.operate('acceptcall');
  return { p, hits };
}

describe('consult-style keys over HTTP', () => {
  it('attended transfer: XFER pushes hold, the answered target is handed the caller (attended_transfer)', async () => {
    const { p, hits } = await consultPhone();
    await cti(p, 'api-send_key', { keys: 'XFER' });
    expect(await lineStates(p)).toEqual(['onhold', 'dialing', 'idle', 'idle']);
    await cti(p, 'api-send_key', { keys: '2:0:0:SEND' });
    expect((await control(p, 'POST', 'answer', { line: 2 })).status).toBe(200);
    await cti(p, 'api-send_key', { keys: 'XFER' });
    expect(await lineStates(p)).toEqual(['idle', 'idle', 'idle', 'idle']);
    await waitFor(() => hits.length === 2, 500);
    expect(hits).toEqual(['/hold?r=2001', '/attended_transfer?r=2001']);
    expect((await control(p, 'GET', 'state')).json).toMatchObject({
      transfers: [{ line: 1, target: '200', remoteNumber: '2001', mode: 'attended' }],
      consult: null,
      flowStyle: 'consult',
    });
  });

  it('blind transfer while the target rings pushes blind_transfer', async () => {
    const { p, hits } = await consultPhone();
    await cti(p, 'api-send_key', { keys: 'XFER:2:0:0:SEND:XFER' });
    await waitFor(() => hits.length === 2, 500);
    expect(hits).toEqual(['/hold?r=2001', '/blind_transfer?r=2001']);
  });

  it('the target hanging up brings the caller back and pushes unhold', async () => {
    const { p, hits } = await consultPhone();
    await cti(p, 'api-send_key', { keys: 'XFER:2:0:0:SEND' });
    await control(p, 'POST', 'answer', { line: 2 });
    await control(p, 'POST', 'hangup', { line: 2 });
    expect(await lineStates(p)).toEqual(['connected', 'idle', 'idle', 'idle']);
    await waitFor(() => hits.length === 2, 500);
    expect(hits).toEqual(['/hold?r=2001', '/unhold?r=2001']);
  });

  it('consultHangup "transfer": ending the answered target line at the desk completes the transfer', async () => {
    const { p, hits } = await consultPhone({ consultHangup: 'transfer' });
    await cti(p, 'api-send_key', { keys: 'XFER:2:0:0:SEND' });
    await control(p, 'POST', 'answer', { line: 2 });
    await cti(p, 'api-phone_operation', { cmd: 'endcall', arg: '2' });
    expect(await lineStates(p)).toEqual(['idle', 'idle', 'idle', 'idle']);
    await waitFor(() => hits.length === 2, 500);
    expect(hits[1]).toBe('/attended_transfer?r=2001');
  });

  it('conference: CONF, digits, SEND, the answer, CONF joins; line status marks both lines conf', async () => {
    const { p } = await consultPhone();
    await cti(p, 'api-send_key', { keys: 'CONF:3:0:0:SEND' });
    await control(p, 'POST', 'answer', { line: 2 });
    await cti(p, 'api-send_key', { keys: 'CONF' });
    const lines = (await cti(p, 'api-get_line_status')).json.body;
    expect(lines.slice(0, 2).map((l: { state: string; conf: number }) => [l.state, l.conf])).toEqual([
      ['connected', 1],
      ['connected', 1],
    ]);
  });
});

describe('settings and the far end', () => {
  it('PATCH /sim/settings switches the style; bad values are refused', async () => {
    const p = await phone();
    expect(p.snapshot()).toMatchObject({ flowStyle: 'instant', consultHangup: 'cancel' });
    expect((await control(p, 'PATCH', 'settings', { flowStyle: 'sideways' })).status).toBe(400);
    expect((await control(p, 'PATCH', 'settings', { consultHangup: 'never' })).status).toBe(400);
    const patched = await control(p, 'PATCH', 'settings', {
      flowStyle: 'consult',
      consultHangup: 'transfer',
    });
    expect(patched.json).toMatchObject({ flowStyle: 'consult', consultHangup: 'transfer' });
    p.ring('2001');
    p.operate('acceptcall');
    await cti(p, 'api-send_key', { keys: 'XFER' });
    expect(p.snapshot().consult).toEqual({ kind: 'transfer', held: 1, line: 2 });
  });

  it('a ring under DND is turned away as busy; a forwarded one says where it went', async () => {
    const p = await phone({ model: 'GRP2612' });
    await control(p, 'POST', 'dnd', { on: true });
    const refused = await control(p, 'POST', 'ring', { number: '2001' });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ ok: false, reason: 'dnd', farEnd: 'busy' });
    expect(await lineStates(p)).toEqual(['idle', 'idle', 'idle', 'idle']);
    await control(p, 'POST', 'dnd', { on: false });
    await control(p, 'POST', 'forward', { mode: 'always', number: '555' });
    const forwarded = await control(p, 'POST', 'ring', { number: '2001' });
    expect(forwarded.json).toMatchObject({ reason: 'forwarded', farEnd: 'forwarded', forwardedTo: '555' });
  });

  it('the CLI takes --flow-style and --consult-hangup', () => {
    const args = parseCli(['--flow-style', 'consult', '--consult-hangup', 'transfer']);
    expect(args.options).toMatchObject({ flowStyle: 'consult', consultHangup: 'transfer' });
    expect(() => parseCli(['--flow-style', 'fast'])).toThrow(/--flow-style must be one of instant, consult/);
  });
});
