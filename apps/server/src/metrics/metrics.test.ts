/**
 * /metrics over HTTP against the real server and simulated phones: behind its bearer token on the app,
 * also on a port of its own, off unless configured; the numbers follow what really happened (polls,
 * a failed poll's code, phones by status, an open SSE stream, a command and its outcome).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openSse, startHarness, uniquePasscode, waitFor } from '../test-support/harness.ts';

const TOKEN = uniquePasscode('metrics-token');

function get(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }),
        );
      })
      .on('error', reject);
  });
}

const bearer = { authorization: `Bearer ${TOKEN}` };

/** A sample's value: `name{labels} value` (labels exactly as written, sorted by prom-client). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness([{ name: 'Desk' }, { name: 'Flaky' }], {
    pollIntervalMs: 100,
    config: { metricsToken: TOKEN, metricsPort: 0 },
  });
  h.secrets.add(TOKEN);
  await waitFor(async () => {
    const states = (await h.api<{ status: string }[]>('GET', '/api/state')).body;
    return states.length === 2 && states.every((s) => s.status === 'available');
  });
});
afterAll(async () => {
  await h?.close();
});

describe('GET /metrics on the app', () => {
  it('needs the bearer token: none or a wrong one is 401 and shows no numbers', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const res = await get(`${h.url}/metrics`, headers);
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('linedeck_');
    }
    // A signed-in admin's session is not the token either.
    expect((await h.api('GET', '/metrics')).status).toBe(401);
  });

  it('counts polls, phones by status, SSE clients and commands', async () => {
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    expect(await sse.status).toBe(200);
    const desk = h.phone('Desk');
    const call = await h.api('POST', `/api/phones/${desk.id}/calls`, { number: '201' });
    expect(call.status).toBe(200);

    const res = await get(`${h.url}/metrics`, bearer);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(res.text, 'linedeck_poll_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(res.text, 'linedeck_sse_clients')).toBe(1);
    expect(sample(res.text, 'linedeck_commands_total{kind="call",outcome="ok"}')).toBe(1);
    const available = sample(res.text, 'linedeck_phones{status="available"}');
    const busy = sample(res.text, 'linedeck_phones{status="busy"}') ?? 0;
    expect((available ?? 0) + busy).toBe(2);
    // No label names a phone: series stay bounded whatever the fleet's size.
    expect(res.text).not.toContain(desk.id);
    sse.close();
    await waitFor(
      async () => sample((await get(`${h.url}/metrics`, bearer)).text, 'linedeck_sse_clients') === 0,
    );
  });

  it("a failed poll is counted by its error code, and the phone's status follows", async () => {
    const flaky = h.phone('Flaky').sim;
    flaky.injectFault({ kind: 'http500', times: 3 });
    const text = await waitFor(async () => {
      const res = await get(`${h.url}/metrics`, bearer);
      return (sample(res.text, 'linedeck_poll_errors_total{code="http_status"}') ?? 0) >= 1 ? res.text : null;
    });
    expect(text).toContain('# TYPE linedeck_poll_errors_total counter');
  });

  it('a command that fails is counted by its code', async () => {
    const desk = h.phone('Desk');
    // Aimed at the command: a poll every 100 ms would otherwise take the fault first.
    desk.sim.injectFault({ kind: 'http500', times: 1, fn: 'api-send_key' });
    const res = await h.api('POST', `/api/phones/${desk.id}/keys`, { keys: ['VUP'] });
    expect(res.status).toBe(502);
    const scraped = await get(`${h.url}/metrics`, bearer);
    expect(sample(scraped.text, 'linedeck_commands_total{kind="keys",outcome="http_status"}')).toBe(1);
    h.expectNoSecrets();
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics alone on its own port, with the token when one is set', async () => {
    const url = h.server.metricsUrl as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(url).not.toContain(`:${h.server.port}/`);
    expect((await get(url)).status).toBe(401);
    const res = await get(url, bearer);
    expect(res.status).toBe(200);
    expect(res.text).toContain('linedeck_poll_duration_seconds_bucket');
    expect((await get(url.replace('/metrics', '/api/health'), bearer)).status).toBe(404);
  });
});

describe('off by default', () => {
  it('without METRICS_TOKEN or METRICS_PORT there is no /metrics and no metrics port', async () => {
    const plain = await startHarness([]);
    try {
      expect(plain.server.metrics).toBeUndefined();
      expect(plain.server.metricsUrl).toBeUndefined();
      const res = await get(`${plain.url}/metrics`, bearer);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('linedeck_');
    } finally {
      await plain.close();
    }
  });
});
