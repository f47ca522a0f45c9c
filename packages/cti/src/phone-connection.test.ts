/**
 * One kept-alive connection per phone (phone-connection.ts), counted on the phone's side: sequential
 * requests share one socket, close() lets it go, a phone that says `Connection: close` still answers,
 * two phones never share a socket, and a free socket is closed once it idled (or as the phone's
 * `Keep-Alive: timeout=` hint says).
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCtiClient } from './client.ts';
import { createPhoneConnection, type Wire } from './phone-connection.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A phone answering every line-status read, counting the connections it accepts and sees closed. */
async function countingPhone(options: { close?: boolean; keepAlive?: string } = {}) {
  const phone = { host: '', connections: 0, closed: 0 };
  const server = http.createServer((_req, res) => {
    const body = '{"response":"success","body":[{"line":1,"state":"idle"}]}';
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(options.close ? { connection: 'close' } : {}),
      ...(options.keepAlive ? { 'keep-alive': options.keepAlive } : {}),
    });
    res.end(body);
  });
  server.on('connection', (socket) => {
    phone.connections++;
    socket.on('close', () => phone.closed++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  phone.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return phone;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('phone connection', () => {
  it('sends sequential requests over one kept-alive socket', async () => {
    const phone = await countingPhone();
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    for (let i = 0; i < 10; i++) {
      await client.getLineStatus();
      await pause(20);
    }
    expect(phone.connections).toBe(1);
    await client.close();
  });

  it('close() lets the socket go; a later request opens a new one', async () => {
    const phone = await countingPhone();
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    await client.getLineStatus();
    await client.close();
    await client.getLineStatus();
    expect(phone.connections).toBe(2);
    await client.close();
  });

  it('a phone that closes every connection is still read, one connection per request', async () => {
    const phone = await countingPhone({ close: true });
    const client = createCtiClient({ host: phone.host, passcode: 'pw' });
    for (let i = 0; i < 3; i++) await expect(client.getLineStatus()).resolves.toHaveLength(1);
    expect(phone.connections).toBe(3);
  });

  it('two phones at the same address (two clients) never share a socket', async () => {
    const phone = await countingPhone();
    const a = createCtiClient({ host: phone.host, passcode: 'pw' });
    const b = createCtiClient({ host: phone.host, passcode: 'pw' });
    await a.getLineStatus();
    await b.getLineStatus();
    await a.getLineStatus();
    expect(phone.connections).toBe(2);
    await a.close();
    await b.close();
  });

  it('closes a free socket once it idled, and a later request opens a new one', async () => {
    const phone = await countingPhone();
    const connection = createPhoneConnection({
      origin: `http://${phone.host}`,
      allowSelfSigned: false,
      freeSocketMs: 500,
    });
    const wire: Wire = { url: '', path: '/cgi-bin/api-get_line_status', method: 'GET', headers: {} };
    for (let i = 0; i < 4; i++) {
      expect((await connection.send(wire, 2000)).ok).toBe(true);
      await pause(50);
    }
    // Used every 50 ms: one socket, never closed while in use.
    expect(phone).toMatchObject({ connections: 1, closed: 0 });
    await pause(1200);
    expect(phone.closed).toBe(1);
    expect((await connection.send(wire, 2000)).ok).toBe(true);
    expect(phone.connections).toBe(2);
    connection.close();
  });

  it("closes a free socket a second before the phone's Keep-Alive hint would", async () => {
    const phone = await countingPhone({ keepAlive: 'timeout=3' });
    const connection = createPhoneConnection({
      origin: `http://${phone.host}`,
      allowSelfSigned: false,
      freeSocketMs: 10_000,
    });
    const wire: Wire = { url: '', path: '/cgi-bin/api-get_line_status', method: 'GET', headers: {} };
    expect((await connection.send(wire, 2000)).ok).toBe(true);
    await pause(1000);
    expect(phone.closed).toBe(0);
    await pause(2000);
    expect(phone.closed).toBe(1);
    connection.close();
  });

  it('a request the phone never answers times out, and the next one is answered', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      // The first request hangs; later ones are answered.
      if (++requests > 1) res.end('{"response":"success","body":[]}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connection = createPhoneConnection({ origin, allowSelfSigned: false });
    const wire: Wire = { url: '', path: '/cgi-bin/api-get_line_status', method: 'GET', headers: {} };
    const started = Date.now();
    expect(await connection.send(wire, 200)).toMatchObject({ ok: false, kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await connection.send(wire, 2000)).toMatchObject({ ok: true, response: { status: 200 } });
    connection.close();
  });

  it('each request gets its full timeout, also when sent while another is still waiting', async () => {
    // Answers `/slow` after 250 ms, `/hang` never, anything else at once.
    const server = http.createServer((req, res) => {
      if (req.url === '/hang') return;
      setTimeout(() => res.end('{}'), req.url === '/slow' ? 250 : 0);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const connection = createPhoneConnection({ origin, allowSelfSigned: false });
    const get = (path: string): Wire => ({ url: '', path, method: 'GET', headers: {} });
    // An answered request's deadline does not cut the next one short: 200 ms + 250 ms > 400 ms.
    expect((await connection.send(get('/fast'), 400)).ok).toBe(true);
    await pause(200);
    expect((await connection.send(get('/slow'), 400)).ok).toBe(true);
    // Two at once: the first never answered times out; the second, queued behind it, is answered.
    const [first, second] = await Promise.all([
      connection.send(get('/hang'), 200),
      connection.send(get('/fast'), 2000),
    ]);
    expect(first).toMatchObject({ ok: false, kind: 'timeout' });
    expect(second).toMatchObject({ ok: true });
    connection.close();
  });

  it('times out while still connecting (a TLS handshake never answered), then connects anew', async () => {
    // Takes the TCP connection and never says a word: the TLS handshake, part of connecting, hangs.
    const sockets: net.Socket[] = [];
    let closed = 0;
    const silent = net.createServer((socket) => {
      sockets.push(socket);
      // Read (and drop) what comes, so the client's hang-up is seen as 'end' and then 'close'.
      socket.resume();
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `https://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const connection = createPhoneConnection({ origin, allowSelfSigned: true });
      const wire: Wire = { url: '', path: '/cgi-bin/api-get_line_status', method: 'GET', headers: {} };
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        expect(await connection.send(wire, 200)).toMatchObject({ ok: false, kind: 'timeout' });
        expect(Date.now() - started).toBeLessThan(1000);
        await pause(50);
      }
      // The second send did not queue behind the first attempt, and each attempt let its half-open
      // connection go soon after its timeout (undici's connect timer ticks about once a second), not
      // after undici's default connect timeout of 10 s.
      expect(sockets).toHaveLength(2);
      for (let waited = 0; closed < 2 && waited < 3000; waited += 50) await pause(50);
      expect(closed).toBe(2);
      connection.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
