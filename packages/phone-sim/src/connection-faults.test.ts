import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cti, sleep, usePhones, waitFor } from './test-support.ts';

const phone = usePhones();

describe('quirk rebootDropsConnection', () => {
  it('REBOOT closes the connection instead of answering savereboot, then the phone reboots', async () => {
    const p = await phone({ quirks: { rebootDropsConnection: true }, rebootMs: 100 });
    await expect(cti(p, 'api-sys_operation', { request: 'REBOOT' })).rejects.toThrow(/fetch failed/);
    expect(p.requestLog().at(-1)).toMatchObject({ function: 'api-sys_operation', status: 'reset' });
    expect(p.snapshot().down).toBe(true);
    await waitFor(() => !p.snapshot().down, 1000);
    expect((await cti(p, 'api-get_phone_status')).json.body).toBe('available');
  });

  it('without the quirk REBOOT answers savereboot', async () => {
    const p = await phone({ rebootMs: 50 });
    expect((await cti(p, 'api-sys_operation', { request: 'REBOOT' })).json.body).toBe('savereboot');
  });
});

async function rawGet(url: string): Promise<Socket> {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
  return socket;
}

describe('fault endless', () => {
  it('a 200 answer whose body never ends; the command does not run; the phone answers after the client cuts it', async () => {
    const p = await phone();
    p.injectFault({ kind: 'endless', times: 1 });
    const controller = new AbortController();
    const res = await fetch(`${p.url}/cgi-bin/api-send_key?passcode=admin&keys=VUP`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    const reader = res.body?.getReader();
    let received = 0;
    let head = '';
    while (received < 1_000_000) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) throw new Error('the endless body ended');
      if (head.length < 40) head += Buffer.from(chunk.value).toString('utf8');
      received += chunk.value.length;
    }
    controller.abort();
    expect(head.startsWith('{"response":"success","body":[')).toBe(true);
    expect(p.snapshot().volume).toBe(4);
    expect(p.requestLog().at(-1)).toMatchObject({ status: 200, fault: 'endless' });
    expect((await cti(p, 'api-get_line_status')).json.response).toBe('success');
  });

  it('keeps memory flat for a client that stops reading (backpressure), and stops when it closes', async () => {
    const p = await phone();
    p.injectFault({ kind: 'endless' });
    const socket = await rawGet(`${p.url}/cgi-bin/api-get_line_status?passcode=admin`);
    socket.once('data', () => socket.pause());
    await sleep(100);
    const before = process.memoryUsage();
    await sleep(500);
    const after = process.memoryUsage();
    const grownMb = (after.heapUsed + after.external - before.heapUsed - before.external) / 1e6;
    expect(grownMb).toBeLessThan(20);
    socket.destroy();
    // The event loop is not kept busy by a writer that outlived its client.
    await sleep(50);
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeLessThan(60);
  });
});
