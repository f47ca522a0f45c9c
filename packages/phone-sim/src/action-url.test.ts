import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fillTemplate } from './action-url.ts';
import type { PhoneOptions } from './options.ts';
import type { SimPhone } from './phone.ts';
import { startPhone } from './phone.ts';
import { cti, waitFor } from './test-support.ts';

interface Hit {
  url: string;
  at: number;
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A receiver like LineDeck's /hooks/action-url. */
async function receiver(): Promise<{ base: string; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', at: Date.now() });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function phone(options: PhoneOptions): Promise<SimPhone> {
  const p = await startPhone(options);
  closers.push(() => p.close());
  return p;
}

describe('Action URL', () => {
  it('sends incoming within ~100 ms with the variables filled', async () => {
    const { base, hits } = await receiver();
    const p = await phone({
      model: 'GRP2614',
      firmware: '1.0.11.3',
      mac: 'C0:74:AD:11:22:33',
      accounts: [{ sipId: '1001', name: 'Front Desk', sipServer: 'pbx.test' }],
      actionUrls: {
        incoming:
          `${base}/hook?e=incoming&ip=$phone_ip&mac=$mac&p=$product&v=$program_version&l=$local&dl=$display_local` +
          '&r=$remote&dr=$display_remote&id=$call-id&u=$active_user&h=$active_host&d=$duration&dir=$calldirection',
      },
    });
    const rang = Date.now();
    p.ring('+4930123', 'Ada Lovelace');
    await waitFor(() => hits.length === 1, 500);
    expect((hits[0]?.at ?? 0) - rang).toBeLessThan(100);
    const query = new URL(hits[0]?.url ?? '', base).search;
    expect(query).toContain('r=+4930123');
    const params = new URLSearchParams(query);
    expect(Object.fromEntries(params)).toMatchObject({
      e: 'incoming',
      ip: '127.0.0.1',
      mac: 'c074ad112233',
      p: 'GRP2614',
      v: '1.0.11.3',
      l: '1001',
      dl: 'Front Desk',
      dr: 'Ada Lovelace',
      u: '1001',
      h: 'pbx.test',
      d: '0',
      dir: 'incoming',
    });
    // The raw `+` reaches a query parser as a space: the quirk a receiver must survive.
    expect(params.get('r')).toBe(' 4930123');
    expect(params.get('id')).toMatch(/c074ad112233/);
  });

  it('sends established, hold, unhold, terminated with a duration, and missed', async () => {
    const { base, hits } = await receiver();
    const events = ['established', 'hold', 'unhold', 'terminated', 'missed', 'offhook', 'onhook'] as const;
    const p = await phone({
      actionUrls: Object.fromEntries(events.map((e) => [e, `${base}/${e}?d=$duration&r=$remote`])),
    });
    p.ring('2001');
    p.operate('acceptcall');
    p.operate('holdcall');
    p.operate('unhold');
    p.operate('endcall');
    p.ring('2002');
    p.farEndHangup();
    await waitFor(() => hits.length === 7, 500);
    expect(hits.map((h) => h.url.split('?')[0]).sort()).toEqual(
      ['/established', '/hold', '/unhold', '/terminated', '/missed', '/offhook', '/onhook'].sort(),
    );
    expect(hits.find((h) => h.url.startsWith('/missed'))?.url).toContain('r=2002');
  });

  it('sends outgoing, dnd_on/dnd_off, and registered/unregistered; unfilled variables go literally', async () => {
    const { base, hits } = await receiver();
    const p = await phone({
      actionUrls: {
        outgoing: `${base}/outgoing?r=$remote&dir=$calldirection`,
        dnd_on: `${base}/dnd_on?r=$remote`,
        dnd_off: `${base}/dnd_off`,
        registered: `${base}/registered?l=$local`,
        unregistered: `${base}/unregistered?l=$local`,
      },
    });
    await cti(p, 'api-make_call', { phonenumber: '3501' });
    await cti(p, 'api-send_key', { keys: 'DND:DND' });
    p.updateSettings({ accounts: [{ registered: false }] });
    p.updateSettings({ accounts: [{ registered: true }] });
    await waitFor(() => hits.length === 5, 500);
    const urls = hits.map((h) => h.url);
    expect(urls).toContain('/outgoing?r=3501&dir=outgoing');
    expect(urls).toContain('/dnd_on?r=$remote');
    expect(urls).toContain('/dnd_off');
    expect(urls).toContain('/unregistered?l=1001');
    expect(urls).toContain('/registered?l=1001');
  });

  it('rawDisplayNames sends display names unencoded, spaces in the request line', async () => {
    const lines: string[] = [];
    const server = createTcpServer((socket: Socket) => {
      socket.once('data', (chunk) => {
        lines.push(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const p = await phone({
      quirks: { rawDisplayNames: true },
      actionUrls: { incoming: `http://127.0.0.1:${port}/hook?dr=$display_remote` },
    });
    p.ring('2001', 'Ada Lovelace');
    await waitFor(() => lines.length === 1 && p.snapshot().actionUrlStats.sent === 1, 500);
    expect(lines[0]).toBe('GET /hook?dr=Ada Lovelace HTTP/1.1');
  });

  it('swallows failures but counts them', async () => {
    const p = await phone({ actionUrls: { incoming: 'http://127.0.0.1:1/hook', missed: 'ftp://nowhere/' } });
    p.ring('2001');
    p.farEndHangup();
    await waitFor(() => p.snapshot().actionUrlStats.failed === 2, 1000);
    expect(p.snapshot().actionUrlStats.sent).toBe(0);
  });

  it('fillTemplate leaves unknown and unfilled variables alone', () => {
    const url = fillTemplate(
      'http://x/?a=$remote&b=$unknown&c=$duration',
      { kind: 'dnd_on', duration: 0 },
      { phoneIp: '1.2.3.4', mac: 'm', product: 'GRP2614', firmware: '1' },
    );
    expect(url).toBe('http://x/?a=$remote&b=$unknown&c=$duration');
  });
});
