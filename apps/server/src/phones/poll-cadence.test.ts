/**
 * What a poll sends, against real simulated phones over HTTP (polls every 50 ms): line status every
 * poll, the phone status word only when it can tell something new (phone-status-cadence.ts), and all of
 * it over one kept-alive connection per phone, counted where the phone accepts connections.
 */
import net from 'node:net';
import { phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsSeen, type Harness, sleep, startHarness, waitFor } from '../test-support/harness.ts';

const INTERVAL_MS = 50;
let h: Harness;

beforeAll(async () => {
  h = await startHarness([{ name: 'Cadence', model: 'GRP2614' }, { name: 'Desk' }], {
    pollIntervalMs: INTERVAL_MS,
    ctiTimeoutMs: 400,
  });
});
afterAll(async () => {
  await h?.close();
});

async function state(name: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${h.phone(name).id}/state`)).body);
}

describe('phone status cadence', () => {
  it('reads line status on every poll and the phone status word only every few polls', async () => {
    const { sim } = h.phone('Cadence');
    await waitFor(async () => (await state('Cadence')).status === 'available');
    sim.clearLog();
    await sleep(1000);
    const lines = functionsSeen(sim, 'api-get_line_status').length;
    const words = functionsSeen(sim, 'api-get_phone_status').length;
    // 1 s at 50 ms: about 20 line reads (a loaded machine may manage fewer), a word every 5th poll.
    expect(lines).toBeGreaterThanOrEqual(12);
    expect(words).toBeGreaterThanOrEqual(2);
    expect(words).toBeLessThanOrEqual(Math.ceil(lines / 3));
  });

  it('reads the word in the same poll as a line change: a call ends on an unregistered phone as unavailable', async () => {
    const { sim } = h.phone('Cadence');
    // Three rounds: a word read only every 5th poll would show a stale status at the end of most of them.
    for (let round = 0; round < 3; round++) {
      await waitFor(async () => (await state('Cadence')).status === 'available');
      expect(sim.ring(`200${round}`).ok).toBe(true);
      await waitFor(async () => (await state('Cadence')).status === 'ringing');
      sim.updateSettings({ accounts: [{ registered: false }] });
      await sleep(3 * INTERVAL_MS);
      expect((await state('Cadence')).status).toBe('ringing');
      expect(sim.farEndHangup().ok).toBe(true);
      // The first state with every line idle must already say unavailable, never a stale `ringing`.
      const idle = await waitFor(
        async () => {
          const s = await state('Cadence');
          return s.lines.every((l) => l.state === 'idle') ? s : undefined;
        },
        3000,
        2,
      );
      expect(idle.status).toBe('unavailable');
      sim.updateSettings({ accounts: [{ registered: true }] });
    }
  });

  it('a registration lost while the lines stay idle shows within a few polls', async () => {
    const { sim } = h.phone('Cadence');
    await waitFor(async () => (await state('Cadence')).status === 'available');
    const started = Date.now();
    sim.updateSettings({ accounts: [{ registered: false }] });
    await waitFor(async () => (await state('Cadence')).status === 'unavailable', 3000, 5);
    // At most 5 polls (the word's cadence) plus the requests themselves.
    expect(Date.now() - started).toBeLessThan(5 * INTERVAL_MS + 400);
    sim.updateSettings({ accounts: [{ registered: true }] });
    await waitFor(async () => (await state('Cadence')).status === 'available');
  });

  it('a command wakes the poller and its next poll reads the word too', async () => {
    const { sim } = h.phone('Cadence');
    await waitFor(async () => (await state('Cadence')).status === 'available');
    await sleep(2 * INTERVAL_MS);
    sim.clearLog();
    const res = await h.api('POST', `/api/phones/${h.phone('Cadence').id}/keys`, { keys: ['1'] });
    expect(res.status).toBe(200);
    await sleep(INTERVAL_MS / 2);
    const seen = functionsSeen(sim);
    const sent = seen.indexOf('api-send_key');
    expect(sent).toBeGreaterThanOrEqual(0);
    // The poll right after the command: line status, then the word.
    expect(seen.slice(sent + 1, sent + 3)).toEqual(['api-get_line_status', 'api-get_phone_status']);
  });
});

describe('connection reuse', () => {
  it('a polled phone is read over one kept-alive connection', async () => {
    const desk = h.phone('Desk');
    await waitFor(async () => (await state('Desk')).status === 'available');
    // Counted where the phone accepts connections: a TCP relay in front of the simulated phone.
    let accepted = 0;
    const open = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      accepted++;
      open.add(client);
      const upstream = net.connect(desk.sim.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as net.AddressInfo).port;
    try {
      const patch = await h.api('PATCH', `/api/phones/${desk.id}`, {
        host: `127.0.0.1:${port}`,
        passcode: desk.passcode,
      });
      expect(patch.status).toBe(200);
      desk.sim.clearLog();
      await sleep(1000);
      const requests = desk.sim.requestLog().length;
      expect(requests).toBeGreaterThanOrEqual(12);
      expect(accepted).toBe(1);
    } finally {
      await h.api('PATCH', `/api/phones/${desk.id}`, { host: desk.sim.host, passcode: desk.passcode });
      for (const socket of open) socket.destroy();
      relay.close();
    }
  });
});
