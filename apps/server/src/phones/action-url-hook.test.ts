/**
 * The Action URL hook against the real server and real simulated phones over HTTP. Polling is set to 60 s,
 * so only the hook can explain a state or event seen within half a second; the simulators' request logs
 * prove which hits reached a phone and which did not.
 */

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { callSchema, phoneSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAccess } from '../access/access.ts';
import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../server.ts';
import { actionUrlTemplates } from '../simulated-fleet.ts';
import {
  functionsSeen,
  type Harness,
  openSse,
  type SseFrame,
  sleep,
  startHarness,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';
import { isLoopback, normalizeIp, redactHookUrl, sourceMatches, tokensMatch } from './action-url-hook.ts';

describe('address rules and redaction', () => {
  it('matches the phone address, IPv4-mapped sources, and loopback for loopback phones only', () => {
    expect(normalizeIp('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(sourceMatches('::ffff:10.0.0.5', new Set(['10.0.0.5']))).toBe(true);
    expect(sourceMatches('10.0.0.6', new Set(['10.0.0.5']))).toBe(false);
    expect(sourceMatches('127.0.0.1', new Set(['10.0.0.5']))).toBe(false);
    expect(sourceMatches('::1', new Set(['127.0.0.1']))).toBe(true);
    expect(sourceMatches('127.0.0.1', new Set())).toBe(false);
  });

  it('keeps the id and the event name, redacts the token, path-style variables and query values', () => {
    expect(redactHookUrl('/hooks/action-url/a?event=incoming&remote=+4930123&name=Ann%20Smith')).toBe(
      '/hooks/action-url/a?event=incoming&remote=[Redacted]&name=[Redacted]',
    );
    expect(redactHookUrl('/hooks/action-url/a?event=<x>')).toBe('/hooks/action-url/a?event=[Redacted]');
    expect(redactHookUrl('/hooks/action-url/a/s3cr3t?event=missed')).toBe(
      '/hooks/action-url/a/[Redacted]?event=missed',
    );
    expect(redactHookUrl('/hooks/action-url/a/s3cr3t/remote=2000&name=Ann')).toBe(
      '/hooks/action-url/a/[Redacted]',
    );
    expect(redactHookUrl('/hooks/action-url/a/?Ann%20Smith')).toBe('/hooks/action-url/a?[Redacted]');
  });

  it('compares tokens exactly, also of other lengths, and never matches an empty one', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('abcd', 'abc')).toBe(false);
    expect(tokensMatch('', '')).toBe(false);
  });
});

/** A hook hit as a phone sends it: no cookie, no token; optionally from a given local address. */
function hit(
  base: string,
  path: string,
  localAddress?: string,
): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, ...(localAddress ? { localAddress } : {}), agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
      },
    );
    req.on('error', reject);
  });
}

const lineReads = (h: Harness, name: string) =>
  functionsSeen(h.phone(name).sim, 'api-get_line_status').length;

/** A non-loopback IPv4 of this machine, to run a phone at an address a loopback source does not match. */
const lanIp = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { name: 'Push', model: 'GRP2614' },
      { name: 'Quiet', model: 'GRP2612' },
      { name: 'Locked', model: 'GRP2601', passcode: uniquePasscode('wrong') },
      ...(lanIp ? [{ name: 'Lan', model: 'GRP2614', host: lanIp }] : []),
    ],
    { pollIntervalMs: 60_000 },
  );
  const push = h.phone('Push');
  // As an admin would set them (with the caller's number and name, so the logs can be checked for them).
  push.sim.updateSettings({
    actionUrls: actionUrlTemplates(h.url, push.id, h.server.registry.hookToken(push.id)),
  });
  // Every phone has had its first poll (the one at start); from now on only a hook makes another.
  await waitFor(async () => {
    const states = (await h.api<{ status: string; updatedAt: string | null }[]>('GET', '/api/state')).body;
    return (
      states.length === h.phones.length && states.every((s) => s.updatedAt || s.status === 'unauthorized')
    );
  });
  await sleep(100);
});
afterAll(async () => {
  await h?.close();
});

describe('GET /hooks/action-url/:phoneId', () => {
  it('a ringing call shows within 500 ms and its SSE call event arrives, with polling at 60 s', async () => {
    const push = h.phone('Push');
    const quiet = h.phone('Quiet');
    const sse = openSse(`${h.url}/api/events`, h.authHeaders());
    expect(await sse.status).toBe(200);
    try {
      const started = Date.now();
      expect(push.sim.ring('+4930123456', 'Ann Smith').ok).toBe(true);
      expect(quiet.sim.ring('+4930999999', 'Bo Quiet').ok).toBe(true);
      await waitFor(
        async () =>
          (await h.api<{ status: string }>('GET', `/api/phones/${push.id}/state`)).body.status === 'ringing',
        500,
        10,
      );
      expect(Date.now() - started).toBeLessThan(500);
      const isRinging = (f: SseFrame) =>
        f.event === 'call' && (f.data as { phoneId?: string }).phoneId === push.id;
      // The journal's call, still ringing (no outcome yet).
      const call = callSchema.parse((await sse.next(isRinging, 500)).data);
      expect(call).toMatchObject({ outcome: null, direction: 'incoming', remoteNumber: '+4930123456' });
      expect(push.sim.snapshot().actionUrlStats.sent).toBeGreaterThan(0);
      // The control: a phone without Action URLs is not seen ringing before its next poll.
      const quietState = await h.api<{ status: string }>('GET', `/api/phones/${quiet.id}/state`);
      expect(quietState.body.status).not.toBe('ringing');
    } finally {
      sse.close();
      push.sim.farEndHangup();
      quiet.sim.farEndHangup();
    }
    await waitFor(
      async () =>
        (await h.api<{ status: string }>('GET', `/api/phones/${push.id}/state`)).body.status === 'available',
      500,
      10,
    );
  });

  it('an unknown phone id: 204 with no body, and no phone is asked anything', async () => {
    for (const p of h.phones) p.sim.clearLog();
    const paths = [
      '/hooks/action-url/nope?event=incoming',
      '/hooks/action-url',
      '/hooks/action-url/',
      '/hooks/action-url/%E0%A4%A?event=x',
      `/hooks/action-url/${'a'.repeat(3000)}`,
      `/hooks/action-url/${h.phone('Push').id}/${h.server.registry.hookToken(h.phone('Push').id)}/${'a'.repeat(3000)}`,
    ];
    for (const path of paths) {
      const res = await hit(h.url, path);
      expect(res.status, path).toBe(204);
      expect(res.text).toBe('');
    }
    await sleep(300);
    for (const p of h.phones) expect(functionsSeen(p.sim), p.name).toEqual([]);
  });

  it.skipIf(!lanIp)(
    'a known id from another address is ignored; from the phone address it polls',
    async () => {
      const lan = h.phone('Lan');
      lan.sim.clearLog();
      const unknown = await hit(h.url, '/hooks/action-url/nope?event=incoming');
      const spoofed = await hit(h.url, `/hooks/action-url/${lan.id}?event=incoming`);
      // Same answer as for an id that does not exist: nothing tells a caller which ids are real.
      expect(spoofed.status).toBe(204);
      expect(spoofed.text).toBe('');
      expect(Object.keys(spoofed.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      await sleep(300);
      expect(functionsSeen(lan.sim)).toEqual([]);
      const phone = phoneSchema.parse((await h.api('GET', `/api/phones/${lan.id}`)).body);
      expect(phone.actionUrl?.lastReceivedAt).toBeNull();

      await hit(h.url, `/hooks/action-url/${lan.id}?event=incoming`, lanIp);
      await waitFor(() => lineReads(h, 'Lan') === 1, 500, 10);
    },
  );

  it('a burst of 50 hits makes at most two extra polls', async () => {
    const push = h.phone('Push');
    push.sim.clearLog();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => hit(h.url, `/hooks/action-url/${push.id}?event=incoming`)),
    );
    const spread = Date.now() - started;
    expect(results.every((r) => r.status === 204)).toBe(true);
    await sleep(600);
    const reads = lineReads(h, 'Push');
    expect(reads).toBeGreaterThanOrEqual(1);
    // One poll now and one at the end of the 150 ms gap; a slow machine spreading the burst gets one more per gap.
    expect(reads).toBeLessThanOrEqual(2 + Math.floor(spread / 150));
  });

  it('a phone stopped for a refused passcode is not polled by a hook (lockouts)', async () => {
    const locked = h.phone('Locked');
    const state = await h.api<{ status: string }>('GET', `/api/phones/${locked.id}/state`);
    expect(state.body.status).toBe('unauthorized');
    locked.sim.clearLog();
    for (let i = 0; i < 3; i++) {
      await hit(h.url, `/hooks/action-url/${locked.id}?event=incoming`);
      await sleep(200);
    }
    await sleep(200);
    expect(functionsSeen(locked.sim)).toEqual([]);
    const after = await h.api<{ status: string }>('GET', `/api/phones/${locked.id}/state`);
    expect(after.body.status).toBe('unauthorized');
  });

  it('GET /api/phones/:id gives the URL to paste, with the token, and when the last pushes arrived', async () => {
    const push = phoneSchema.parse((await h.api('GET', `/api/phones/${h.phone('Push').id}`)).body);
    const token = h.server.registry.hookToken(push.id);
    expect(push.actionUrl?.url).toBe(`${h.url}/hooks/action-url/${push.id}/${token}`);
    expect(Date.parse(push.actionUrl?.lastReceivedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(push.actionUrl?.lastTrustedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const quiet = phoneSchema.parse((await h.api('GET', `/api/phones/${h.phone('Quiet').id}`)).body);
    expect(quiet.actionUrl).toEqual({
      url: `${h.url}/hooks/action-url/${quiet.id}/${h.server.registry.hookToken(quiet.id)}`,
      lastReceivedAt: null,
      lastTrustedAt: null,
    });
  });

  it('logs: no passcode or hook token anywhere, no caller data, hook URLs redacted', async () => {
    h.expectNoSecrets();
    // The token is in the admin's GET /api/phones/:id answer by design, never in a log line.
    const tokens = h.phones.map((p) => h.server.registry.hookToken(p.id));
    for (const line of h.logLines) for (const token of tokens) expect(line).not.toContain(token);
    const hookLines = h.logLines.filter((l) => l.includes('/hooks/action-url'));
    expect(hookLines.some((l) => l.includes('action url trusted'))).toBe(true);
    for (const line of h.logLines) {
      expect(line).not.toContain('4930123456');
      expect(line).not.toMatch(/Ann(%20| )Smith/);
    }
    for (const line of hookLines) expect(JSON.parse(line).level).toBe(20);
  });
});

describe('simulated fleet (demo mode)', () => {
  it('points its phones at the hook, also with HOST=0.0.0.0: a call rings within 500 ms', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-hook-'));
    const config = {
      port: 0,
      host: '0.0.0.0',
      dataDir,
      simulatedPhones: 2,
      pollIntervalMs: 60_000,
      ctiTimeoutMs: 400,
      logLevel: 'silent',
    } as Config;
    const server = await startServer(config, {
      logger: createLogger({ level: 'silent' }),
      access: createOpenAccess(),
      webDist: null,
      demo: false,
    });
    try {
      const sim = server.fleet?.phones[1];
      const id = server.fleet?.ids[1] ?? '';
      expect(sim?.snapshot().actionUrls.incoming).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/action-url\//);
      // Its own URL, with its token: the demo's pushes are trusted.
      expect(sim?.snapshot().actionUrls.incoming).toContain(
        `/${id}/${server.registry.hookToken(id)}?event=incoming`,
      );
      await waitFor(() => server.cache.get(id)?.status === 'available');
      await sleep(100);
      sim?.ring('2001', 'Demo Caller');
      await waitFor(() => server.cache.get(id)?.status === 'ringing', 500, 10);
    } finally {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
