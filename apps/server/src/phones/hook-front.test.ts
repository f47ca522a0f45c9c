/**
 * The hook front against the real server over raw TCP (node:net), because no HTTP client sends the request
 * lines phones send: raw spaces and quotes inside values. Polling is at 60 s, so a recorded event can
 * only come from the hook.
 */
import net from 'node:net';
import { type CallEvent, callEventSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, recordCallEvents, startHarness, waitFor } from '../test-support/harness.ts';
import { MAX_REQUEST_LINE, mendHead, mendRequestLine } from './hook-front.ts';

describe('mending a request line', () => {
  it('leaves a well-formed line alone and encodes what a strict parser refuses', () => {
    expect(mendRequestLine('GET /hooks/action-url/a/t?event=incoming&remote=+49%2030 HTTP/1.1')).toBeNull();
    expect(mendRequestLine('GET /hooks/action-url/a/t?name=John "JD" Doe&remote=+492000 HTTP/1.1')).toBe(
      'GET /hooks/action-url/a/t?name=John%20%22JD%22%20Doe&remote=+492000 HTTP/1.1',
    );
    expect(mendRequestLine('HEAD /hooks/action-url/a/t?name=100% sure #1 HTTP/1.0')).toBe(
      'HEAD /hooks/action-url/a/t?name=100%25%20sure%20%231 HTTP/1.0',
    );
    // UTF-8 bytes (read as latin1) become their own escapes, so the name decodes back to UTF-8.
    const utf8 = Buffer.from('GET /hooks/action-url/a/t?name=Jürgen HTTP/1.1', 'utf8').toString('latin1');
    expect(mendRequestLine(utf8)).toBe('GET /hooks/action-url/a/t?name=J%C3%BCrgen HTTP/1.1');
    expect(mendRequestLine('GET /hooks/action-url/a b')).toBeNull();
  });

  it('mends only a first line that starts with the hook path, and keeps the bytes after it', () => {
    const rest = '\r\nHost: x\r\n\r\nGET /api/a b HTTP/1.1\r\n';
    const hook = Buffer.from(`GET /hooks/action-url/a/t?n=A B HTTP/1.1${rest}`, 'latin1');
    expect(mendHead(hook).toString('latin1')).toBe(`GET /hooks/action-url/a/t?n=A%20B HTTP/1.1${rest}`);
    const api = Buffer.from(`GET /api/phones?n=A B HTTP/1.1${rest}`, 'latin1');
    expect(mendHead(api)).toBe(api);
    const other = Buffer.from(`GET /hooks/action-urlx?n=A B HTTP/1.1${rest}`, 'latin1');
    expect(mendHead(other)).toBe(other);
  });
});

/** Writes `parts` on one raw connection (a pause between them) and returns everything it answered. */
function exchange(base: string, parts: (string | Buffer)[], pauseMs = 0): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      answer += d;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    });
  });
}

// Not anchored to a line start: a pipelined answer follows the previous body directly.
const statuses = (answer: string) => [...answer.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
const last = 'Host: localhost\r\nConnection: close\r\n\r\n';

let h: Harness;
let callsSeen: CallEvent[];
let base: string;

beforeAll(async () => {
  h = await startHarness([{ name: 'Front', model: 'GRP2614' }], { pollIntervalMs: 60_000 });
  const front = h.phone('Front');
  base = `/hooks/action-url/${front.id}/${h.server.registry.hookToken(front.id)}`;
  await waitFor(() => h.server.cache.get(front.id)?.updatedAt);
  callsSeen = recordCallEvents(h.server);
});
afterAll(async () => {
  await h?.close();
});

/** The next call event of the phone with this kind and number (after the first `from`). */
async function callEvent(kind: string, remoteNumber: string, from: number) {
  const id = h.phone('Front').id;
  const match = (d: CallEvent) => d.phoneId === id && d.kind === kind && d.remoteNumber === remoteNumber;
  return callEventSchema.parse(await waitFor(() => callsSeen.slice(from).find(match), 2000, 5));
}

describe('hook request lines as phones send them', () => {
  it('raw spaces and quotes in a name, a raw +: 204, and the ring is recorded with that name', async () => {
    const from = callsSeen.length;
    const line = `GET ${base}?event=incoming&name=John "JD" Doe&remote=+492000 HTTP/1.1\r\n${last}`;
    const answer = await exchange(h.url, [line]);
    expect(statuses(answer)).toEqual([204]);
    const ring = await callEvent('ringing', '+492000', from);
    expect(ring.remoteName).toBe('John "JD" Doe');
    // No such call on the phone: the poll the push kicked finds the line idle, so it was missed.
    await callEvent('missed', '+492000', from);
  });

  it('path-style variables without ?, and a request line arriving a few bytes at a time', async () => {
    const from = callsSeen.length;
    const line = `GET ${base}/event=missed&remote=+492001&name=Jane Roe HTTP/1.1\r\n${last}`;
    const bytes = Buffer.from(line, 'latin1');
    const parts = [0, 5, 12, 30, 60].map((at, i, all) => bytes.subarray(at, all[i + 1] ?? bytes.length));
    expect(statuses(await exchange(h.url, parts, 20))).toEqual([204]);
    expect((await callEvent('missed', '+492001', from)).remoteName).toBe('Jane Roe');
  });

  it('a literal $remote is an unknown caller; HEAD is a hook too', async () => {
    const from = callsSeen.length;
    const line = `HEAD ${base}?event=incoming&remote=$remote&name=$display_remote HTTP/1.1\r\n${last}`;
    expect(statuses(await exchange(h.url, [line]))).toEqual([204]);
    expect((await callEvent('ringing', '', from)).remoteName).toBe('');
    await callEvent('missed', '', from);
  });

  it('a mended hook line pipelined with an API request: both answered, the second untouched', async () => {
    const answer = await exchange(h.url, [
      `GET ${base}?event=hold&name=A B HTTP/1.1\r\nHost: localhost\r\n\r\n` +
        `GET /api/health HTTP/1.1\r\n${last}`,
    ]);
    expect(statuses(answer)).toEqual([204, 200]);
    expect(answer).toContain('"ok":true');
  });
});

describe('everything else stays strict and untouched', () => {
  it('a raw space in an API request line is still 400, also in a hook-like path', async () => {
    expect(statuses(await exchange(h.url, [`GET /api/health?x=a b HTTP/1.1\r\n${last}`]))).toEqual([400]);
    expect(statuses(await exchange(h.url, [`GET /hooks/other?x=a b HTTP/1.1\r\n${last}`]))).toEqual([400]);
    expect(statuses(await exchange(h.url, [`POST ${base}?x=a b HTTP/1.1\r\n${last}`]))).toEqual([400]);
  });

  it('a hook line longer than the bound is given up on and handed over as it is: 400', async () => {
    const long = `GET ${base}?name=${'a b'.repeat(MAX_REQUEST_LINE / 3 + 10)} HTTP/1.1\r\n${last}`;
    expect(statuses(await exchange(h.url, [long]))).toEqual([400]);
  });

  it('keep-alive, pipelining and a body split over pauses pass byte for byte', async () => {
    const body = JSON.stringify({ username: 'admin', password: 'not the password' });
    const answer = await exchange(
      h.url,
      [
        'GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n',
        `POST /api/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
        body.slice(10),
        `GET /api/health HTTP/1.1\r\n${last}`,
      ],
      50,
    );
    // The sign-in read the whole JSON body: a wrong password (401), not a broken body (400).
    expect(statuses(answer)).toEqual([200, 200, 401, 200]);
  });

  it('a connection that waits before it speaks is still served', async () => {
    const answer = await exchange(h.url, ['', `GET /api/health HTTP/1.1\r\n${last}`], 300);
    expect(statuses(answer)).toEqual([200]);
  });
});
