/**
 * f. push to SSE: how soon a browser hears of a ring when the phone pushes (Action URL with its hook token)
 * against when only polling tells. The real server polls every 5 s, so polling cannot explain a push figure
 * of a few milliseconds. Simulated phones (the simulator's CLI, another process) send real Action URL
 * requests to their token URLs; one SSE client (GET /api/events, the admin's session) hears the events.
 * - push: the state event with the line ringing; the line's `since` is stamped by the hook when the request
 *   arrives, so "hook to SSE" is the SSE client's clock minus `since` (same machine, ms resolution); "ring
 *   to SSE" adds the phone's send.
 * - poll only (the baseline, same run): phones without Action URLs, each rung at a random moment of the
 *   5-s poll period; ring to SSE.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { http, httpJson } from './lib/http.ts';
import type { Figure } from './lib/report.ts';
import { figure } from './lib/report.ts';
import type { LineDeck } from './lib/stack.ts';
import { listPhones, startLineDeck, startSimFleet, waitAllPolled } from './lib/stack.ts';
import { fmt, median, percentile, sleep } from './lib/stats.ts';

const log = (message: string) => process.stderr.write(`  ${message}\n`);

const PUSH_PHONES = 10;
const PUSH_ROUNDS = 5;
const POLL_PHONES = 20;
const POLL_INTERVAL_MS = 5000;
/** A pushed ring must be heard well within this; a polled one within one poll period and a margin. */
const PUSH_WAIT_MS = 2000;
const POLL_WAIT_MS = POLL_INTERVAL_MS + 2000;

interface Heard {
  /** performance.now() when the frame arrived. */
  atPerf: number;
  /** Date.now() when the frame arrived, to compare with the event's `at` (server clock, same machine). */
  atWall: number;
  event: { remoteNumber: string; at: string };
}

interface RingingLine {
  state: string;
  remoteNumber: string;
  since: string | null;
}

/** A minimal SSE reader: resolves waiters for the first ringing event of a number. */
function listen(deck: LineDeck) {
  const heard = new Map<string, Heard>();
  const waiters = new Map<string, (h: Heard) => void>();
  let buffer = '';
  const req = request(`${deck.url}/api/events`, {
    headers: { accept: 'text/event-stream', cookie: deck.cookie },
  });
  req.on('response', (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const atPerf = performance.now();
      const atWall = Date.now();
      buffer += chunk;
      for (let cut = buffer.indexOf('\n\n'); cut !== -1; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        // What a browser's pop-up follows: a state event with a line ringing; `since` is when the line
        // started ringing on the server's clock (a push: when the hook got it).
        if (!block.includes('event: state')) continue;
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        const state = data ? (JSON.parse(data.slice(6)) as { lines: RingingLine[] }) : undefined;
        for (const line of state?.lines ?? []) {
          if (line.state !== 'ringing' || line.since === null || heard.has(line.remoteNumber)) continue;
          const entry = { atPerf, atWall, event: { remoteNumber: line.remoteNumber, at: line.since } };
          heard.set(line.remoteNumber, entry);
          waiters.get(line.remoteNumber)?.(entry);
        }
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    /** The ringing event of `number` (already heard or the next one), or undefined after `ms`. */
    ringing(number: string, ms: number): Promise<Heard | undefined> {
      const known = heard.get(number);
      if (known) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(number);
          resolve(undefined);
        }, ms);
        waiters.set(number, (h) => {
          clearTimeout(timer);
          waiters.delete(number);
          resolve(h);
        });
      });
    },
    close: () => req.destroy(),
  };
}

const post = (url: string, body: unknown, agent: Agent) =>
  http(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    agent,
  });

interface Sample {
  ringToSse: number;
  hookToSse: number;
}

/** Rings `number` on the phone and waits for its SSE ringing event; the caller then gives up. */
async function ringOnce(
  sim: string,
  number: string,
  sse: ReturnType<typeof listen>,
  waitMs: number,
  agent: Agent,
): Promise<Sample | undefined> {
  const started = performance.now();
  const rung = await post(`${sim}/sim/ring`, { number, name: 'Bench Caller' }, agent);
  if (rung.status !== 200) throw new Error(`ring: HTTP ${rung.status} ${rung.text.slice(0, 200)}`);
  const heard = await sse.ringing(number, waitMs);
  await post(`${sim}/sim/hangup`, {}, agent);
  if (!heard) return undefined;
  return { ringToSse: heard.atPerf - started, hookToSse: heard.atWall - Date.parse(heard.event.at) };
}

export async function pushLatency(): Promise<Figure[]> {
  const sim = await startSimFleet(PUSH_PHONES + POLL_PHONES);
  let deck: LineDeck | undefined;
  let sse: ReturnType<typeof listen> | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  try {
    deck = await startLineDeck(
      sim.urls.map((u) => u.slice('http://'.length)),
      { pollIntervalMs: POLL_INTERVAL_MS },
    );
    await waitAllPolled(deck, sim.urls.length, 15_000);
    const byHost = new Map((await listPhones(deck)).map((r) => [r.host, r.id]));
    const pushSims = sim.urls.slice(0, PUSH_PHONES);
    const pollSims = sim.urls.slice(PUSH_PHONES);
    // Each pushing phone gets its own Action URL (with its token), as an admin pastes it.
    for (const url of pushSims) {
      const id = byHost.get(url.slice('http://'.length));
      const phone = await httpJson<{ actionUrl?: { url: string } }>(`${deck.url}/api/phones/${id}`, {
        headers: { cookie: deck.cookie },
        agent: deck.agent,
      });
      if (!phone.actionUrl) throw new Error('GET /api/phones/:id gave no actionUrl');
      const base = phone.actionUrl.url;
      const settings = await http(`${url}/sim/settings`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          actionUrls: {
            incoming: `${base}?event=incoming&remote=$remote&name=$display_remote`,
            missed: `${base}?event=missed&remote=$remote`,
          },
        }),
        agent,
      });
      if (settings.status !== 200) throw new Error(`sim settings: HTTP ${settings.status}`);
    }
    sse = listen(deck);
    await sleep(300);

    log(`f. ${PUSH_PHONES} pushing phones x ${PUSH_ROUNDS} rings, polls every ${POLL_INTERVAL_MS / 1000} s`);
    const pushed: (Sample | undefined)[] = [];
    await Promise.all(
      pushSims.map(async (url, p) => {
        for (let r = 0; r < PUSH_ROUNDS; r++) {
          pushed.push(
            await ringOnce(url, `+4930100${p}${r}`, sse as ReturnType<typeof listen>, PUSH_WAIT_MS, agent),
          );
          await sleep(150);
        }
      }),
    );

    log(`f. ${POLL_PHONES} phones without push, each rung once at a random moment of the poll period`);
    const polled = await Promise.all(
      pollSims.map(async (url, p) => {
        await sleep(Math.random() * POLL_INTERVAL_MS);
        return ringOnce(url, `+4930200${p}`, sse as ReturnType<typeof listen>, POLL_WAIT_MS, agent);
      }),
    );

    const push = pushed.filter((s): s is Sample => s !== undefined);
    const poll = polled.filter((s): s is Sample => s !== undefined);
    const hook = push.map((s) => s.hookToSse);
    const ringPush = push.map((s) => s.ringToSse);
    const ringPoll = poll.map((s) => s.ringToSse);
    const bench = `f. push to SSE (polls every ${POLL_INTERVAL_MS / 1000} s)`;
    const heardNote =
      `${push.length} of ${pushed.length} pushed rings heard within ${PUSH_WAIT_MS / 1000} s, ` +
      `${poll.length} of ${polled.length} polled rings within ${POLL_WAIT_MS / 1000} s`;
    return [
      figure({
        bench,
        name: 'hook to SSE ringing event, p50',
        unit: 'ms',
        value: median(hook),
        baseline: median(ringPoll),
        baselineLabel: 'poll only, ring to SSE',
        target: { on: 'value', op: '<', limit: 50, label: '< 50 ms' },
        note:
          `${heardNote}; ring to SSE with push (the phone's own send included) p50 ${fmt(median(ringPush))} ms, ` +
          `p95 ${fmt(percentile(ringPush, 95))} ms, max ${fmt(Math.max(...ringPush))} ms; hook times in ms ` +
          'resolution (the event time stamped by the hook against the SSE client clock)',
      }),
      figure({
        bench,
        name: 'hook to SSE ringing event, p95',
        unit: 'ms',
        value: percentile(hook, 95),
        baseline: percentile(ringPoll, 95),
        baselineLabel: 'poll only, ring to SSE',
        target: { on: 'value', op: '<', limit: 100, label: '< 100 ms' },
        note: `poll only: p50 ${fmt(median(ringPoll))} ms, max ${fmt(Math.max(...ringPoll))} ms (half a poll period expected)`,
      }),
    ];
  } finally {
    sse?.close();
    agent.destroy();
    await deck?.stop();
    await sim.child.stop();
  }
}
