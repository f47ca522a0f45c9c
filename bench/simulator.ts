/**
 * Simulator speed (issue 4, "Speed"), so that the server benchmarks measure the server, not the simulator:
 * a. line-status requests per second one simulated phone answers, against a bare node:http server sending
 *    the same JSON (the most any node:http server can do here), client and server in this process;
 * b. 500 phones in one process: start time, heap growth, one line-status poll of all, against 500 bare
 *    node:http servers measured the same way.
 */
import type { Server } from 'node:http';
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SimPhone } from '@linedeck/phone-sim';
import { fleetBench, lineStatusRate, startPhone } from '@linedeck/phone-sim';
import type { Figure } from './lib/report.ts';
import { figure } from './lib/report.ts';
import { mean } from './lib/stats.ts';

const LINE_STATUS = '/cgi-bin/api-get_line_status?passcode=admin';

/** global.gc without --expose-gc on the command line (npm run bench runs plain node). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1e6;
}

async function bareServer(body: string, contentType: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function fetchText(url: string): Promise<{ body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ body, contentType: res.headers['content-type'] ?? '' }));
    }).on('error', reject);
  });
}

/** a. One phone vs a bare server, alternated in rounds so drift (JIT, CPU clock) hits both alike. */
export async function simulatorThroughput(): Promise<Figure[]> {
  const phone = await startPhone({});
  const { body, contentType } = await fetchText(`${phone.url}${LINE_STATUS}`);
  const bare = await bareServer(body, contentType);
  // lineStatusRate reads only `url`; the bare server answers any path.
  const baseline = { url: urlOf(bare) } as Pick<SimPhone, 'url'> as SimPhone;
  try {
    await lineStatusRate(phone, 300);
    await lineStatusRate(baseline, 300);
    const sim: number[] = [];
    const base: number[] = [];
    for (let round = 0; round < 3; round++) {
      sim.push(await lineStatusRate(phone, 1000));
      base.push(await lineStatusRate(baseline, 1000));
    }
    return [
      figure({
        bench: 'a. simulator, one phone',
        name: 'line-status answers/s',
        unit: 'req/s',
        value: mean(sim),
        baseline: mean(base),
        baselineLabel: 'bare node:http',
        target: { on: 'value', op: '>=', limit: 2000, label: '>= 2,000 req/s' },
        note: `8 keep-alive clients in the same process, 3 x 1 s rounds; bare server sends the same ${body.length}-byte JSON`,
      }),
    ];
  } finally {
    await close(bare);
    await phone.close();
  }
}

interface BareFleet {
  startMs: number;
  pollAllMs: number;
  heapMb: number;
}

/** The same steps as fleetBench (start, poll every server once, read the heap), with bare servers. */
async function bareFleetBench(count: number, body: string, contentType: string): Promise<BareFleet> {
  const started = Date.now();
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await bareServer(body, contentType));
    const startMs = Date.now() - started;
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const polled = Date.now();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            get(`${urlOf(s)}${LINE_STATUS}`, { agent }, (res) => {
              res.resume();
              res.on('end', resolve);
            }).on('error', reject);
          }),
      ),
    );
    const pollAllMs = Date.now() - polled;
    const heap = heapMb();
    agent.destroy();
    return { startMs, pollAllMs, heapMb: heap };
  } finally {
    await Promise.all(servers.map(close));
  }
}

/** b. 500 phones in this process. */
export async function simulatorFleet(count = 500): Promise<Figure[]> {
  const probe = await startPhone({});
  const { body, contentType } = await fetchText(`${probe.url}${LINE_STATUS}`);
  await probe.close();

  collectGarbage();
  const bareBefore = heapMb();
  const bare = await bareFleetBench(count, body, contentType);
  collectGarbage();
  const simBefore = heapMb();
  const sim = await fleetBench(count);
  const bench = `b. simulator, ${count} phones`;
  const label = `${count} bare servers`;
  return [
    figure({
      bench,
      name: 'phones running in one process',
      unit: '',
      value: sim.phones,
      target: { on: 'value', op: '>=', limit: 500, label: '>= 500, all answer' },
    }),
    figure({
      bench,
      name: 'start all',
      unit: 'ms',
      value: sim.startMs,
      baseline: bare.startMs,
      baselineLabel: label,
    }),
    figure({
      bench,
      name: 'heap growth',
      unit: 'MB',
      value: sim.heapMb - simBefore,
      baseline: bare.heapMb - bareBefore,
      baselineLabel: label,
      note: 'heapUsed after starting and polling, minus heapUsed after a GC before starting',
    }),
    figure({
      bench,
      name: 'one line-status poll of all',
      unit: 'ms',
      value: sim.pollAllMs,
      baseline: bare.pollAllMs,
      baselineLabel: label,
    }),
  ];
}
