/**
 * The floor of benchmark d: the least any HTTP server in front of the phone can add. A bare node:http
 * server in its own process (as the real server is) that takes the same POST body and sends the same
 * api-send_key over a kept-alive node:http connection per phone (as the CTI client does,
 * packages/cti/src/phone-connection.ts), with no framework, auth, queue, audit or logging.
 * Started by bench/server.ts: `node --import tsx bench/lib/bare-proxy.ts`; prints its URL.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const agents = new Map<number, Agent>();

function agentFor(port: number): Agent {
  let agent = agents.get(port);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.set(port, agent);
  }
  return agent;
}

/** GET on 127.0.0.1:<port>, the answer's text. */
function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agentFor(port) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
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
