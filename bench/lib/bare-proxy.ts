/**
 * The floor of benchmark d: the least any HTTP server in front of the phone can add. A bare node:http
 * server in its own process (as the real server is) that takes the same POST body and sends the same
 * api-send_key over the same kept-alive connection per phone the CTI client uses
 * (packages/cti/src/phone-connection.ts, one undici Client per phone), with no framework, auth, queue,
 * audit or logging. What the server adds on top of this is LineDeck's own share.
 * Started by bench/server.ts: `node --import tsx bench/lib/bare-proxy.ts`; prints its URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPhoneConnection, type PhoneConnection } from '../../packages/cti/src/phone-connection.ts';

const connections = new Map<number, PhoneConnection>();

function connectionTo(port: number): PhoneConnection {
  let connection = connections.get(port);
  if (!connection) {
    connection = createPhoneConnection({ origin: `http://127.0.0.1:${port}`, allowSelfSigned: false });
    connections.set(port, connection);
  }
  return connection;
}

/** GET on 127.0.0.1:<port>, the answer's text. */
async function get(port: number, path: string): Promise<string> {
  const outcome = await connectionTo(port).send(
    { url: `http://127.0.0.1:${port}${path}`, path, method: 'GET', headers: { accept: 'application/json' } },
    5000,
  );
  if (!outcome.ok) throw new Error(`phone: ${outcome.kind}`);
  return outcome.response.text;
}

const server = createServer(async (req, res) => {
  try {
    let text = '';
    for await (const chunk of req) text += chunk;
    const { keys } = JSON.parse(text) as { keys: string[] };
    // POST /<simulator port>: the phone to send to, on 127.0.0.1 only.
    const port = Number((req.url ?? '').slice(1));
    if (!Number.isInteger(port) || port <= 0) throw new Error('bad port');
    const query = new URLSearchParams({ passcode: 'admin', keys: keys.join(':') });
    const envelope = JSON.parse(await get(port, `/cgi-bin/api-send_key?${query}`)) as { body: unknown };
    const body = JSON.stringify({ ok: true, body: envelope.body });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare proxy at http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
