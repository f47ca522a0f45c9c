/**
 * What comes back from a phone is bounded and filtered: the passthrough relays only Content-Type and
 * Content-Length of the phone's headers (with LineDeck's own security headers), and one answer cap
 * (MAX_ANSWER_BYTES, shared with the CTI client) holds for the passthrough and the poller alike, so an
 * answer of hundreds of megabytes leaves the server's memory flat.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ANSWER_BYTES } from '@linedeck/cti';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, sleep, startHarness, waitFor } from './test-support/harness.ts';

/** Headers a hostile phone (or something at its address) could send to steer a browser. */
const HOSTILE_HEADERS: Record<string, string> = {
  Location: 'https://attacker.example/',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Credentials': 'true',
  'Set-Cookie': 'linedeck_session=planted; Path=/',
  Refresh: '0; url=https://attacker.example/',
  'Clear-Site-Data': '"*"',
  Link: '<https://attacker.example/x.css>; rel=stylesheet',
  'Content-Disposition': 'attachment; filename=evil.html',
  'X-Frame-Options': 'ALLOWALL',
  'X-Phone-Banner': 'GRP2614',
};

const LINES = JSON.stringify({
  response: 'success',
  body: [{ line: 1, state: 'idle', acct: 0, active: 0, remotename: '', remotenumber: '' }],
});
const STATUS = JSON.stringify({ response: 'success', body: { model: 'GRP2614', fw_version: '1.0.5.67' } });

let h: Harness;
let hostile: http.Server;
let big: http.Server;
/** Bytes the big phone managed to write before the server hung up, per request. */
const written: number[] = [];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

beforeAll(async () => {
  hostile = http.createServer((req, res) => {
    const body = req.url?.includes('api-get_line_status') ? LINES : STATUS;
    res.writeHead(200, { ...HOSTILE_HEADERS, 'Content-Type': 'application/json' });
    res.end(body);
  });
  // 300 MB of line status in 64 kB chunks, written as fast as the reader takes it.
  big = http.createServer((req, res) => {
    if (!req.url?.includes('api-get_line_status')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(STATUS);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const total = 300 * 1024 * 1024;
    res.write('{"response":"success","body":[');
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end(']}');
    };
    res.once('close', () => written.push(sent));
    pump();
  });
  const [hostileHost, bigHost] = await Promise.all([listen(hostile), listen(big)]);
  h = await startHarness([], { pollIntervalMs: 100, ctiTimeoutMs: 2000 });
  for (const [name, host] of [
    ['Hostile', hostileHost],
    ['Big', bigHost],
  ]) {
    const res = await h.api('POST', '/api/phones', { name, host, passcode: `pc-${name}-123456` });
    expect(res.status, res.text).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
  hostile?.close();
  big?.closeAllConnections();
  big?.close();
});

async function phoneId(name: string): Promise<string> {
  const list = (await h.api<{ id: string; name: string }[]>('GET', '/api/phones')).body;
  return (list.find((p) => p.name === name) as { id: string }).id;
}

describe('the passthrough relays no phone header but Content-Type and Content-Length', () => {
  it('drops Location, CORS, cookies, Refresh, Clear-Site-Data, Link, Content-Disposition, framing', async () => {
    const id = await phoneId('Hostile');
    const res = await h.raw(`/cti/${id}/cgi-bin/api-get_line_status`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual(JSON.parse(LINES));
    for (const name of Object.keys(HOSTILE_HEADERS)) {
      const ours = name === 'X-Frame-Options' ? 'SAMEORIGIN' : undefined;
      expect(res.headers[name.toLowerCase()], name).toBe(ours);
    }
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('one answer cap for the passthrough and the poller', () => {
  it('cuts a 300 MB answer at the cap, and memory stays flat', async () => {
    const id = await phoneId('Big');
    // The poller has been reading the big phone since it was added: every read was cut off.
    await waitFor(() => written.length >= 3, 5000);
    const state = await h.api<{ error?: { code: string } | null }>('GET', `/api/phones/${id}/state`);
    expect(state.body.error?.code).toBe('malformed');
    global.gc?.();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) {
      const res = await h.raw(`/cti/${id}/cgi-bin/api-get_line_status`);
      expect(res.status).toBe(502);
      expect(res.text).toContain(`${MAX_ANSWER_BYTES / 1024} kB`);
    }
    await sleep(300);
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    // No read got anywhere near the 300 MB: each was cut a few socket buffers after the cap.
    expect(written.length).toBeGreaterThanOrEqual(8);
    for (const sent of written) expect(sent).toBeLessThan(32 * 1024 * 1024);
  }, 30_000);
});
