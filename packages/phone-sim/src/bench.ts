/**
 * Simulator speed, so benchmarks of the server measure the server (issue 4, "Speed"): requests per second
 * one phone answers to api-get_line_status, and a fleet of 500 phones started and polled in one process.
 * Run: node --import tsx packages/phone-sim/src/bench.ts   (bench/run.ts may import these functions).
 */
import { Agent, get } from 'node:http';
import { startFleet } from './fleet.ts';
import type { SimPhone } from './phone.ts';
import { startPhone } from './phone.ts';

function request(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Line-status requests per second one phone answers, `concurrency` keep-alive clients for `ms`. */
export async function lineStatusRate(phone: SimPhone, ms = 1000, concurrency = 8): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = `${phone.url}/cgi-bin/api-get_line_status?passcode=admin`;
  const end = Date.now() + ms;
  let count = 0;
  const worker = async () => {
    while (Date.now() < end) {
      if ((await request(agent, url)) !== 200) throw new Error('unexpected status');
      count++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return count / ((Date.now() - started) / 1000);
}

export interface FleetBench {
  phones: number;
  startMs: number;
  /** One line-status request to every phone, all at once. */
  pollAllMs: number;
  heapMb: number;
}

export async function fleetBench(count = 500): Promise<FleetBench> {
  const started = Date.now();
  const fleet = await startFleet({ count });
  const startMs = Date.now() - started;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const polled = Date.now();
  await Promise.all(
    fleet.phones.map((p) => request(agent, `${p.url}/cgi-bin/api-get_line_status?passcode=admin`)),
  );
  const pollAllMs = Date.now() - polled;
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  agent.destroy();
  await fleet.close();
  return { phones: count, startMs, pollAllMs, heapMb };
}

async function run(): Promise<void> {
  const phone = await startPhone({});
  const rate = await lineStatusRate(phone, 2000);
  await phone.close();
  console.log(`one phone: ${Math.round(rate)} line-status requests/s (target >= 2000)`);
  const fleet = await fleetBench(500);
  console.log(
    `fleet: ${fleet.phones} phones started in ${fleet.startMs} ms, all polled once in ${fleet.pollAllMs} ms, heap ${fleet.heapMb} MB`,
  );
}

if (process.argv[1]?.endsWith('bench.ts')) await run();
