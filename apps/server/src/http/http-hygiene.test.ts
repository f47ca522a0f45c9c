/**
 * HTTP hygiene through the real server: broken percent-escapes are a 400 without a stack, the request
 * log redacts secret parameters however their names are spelled (and the call journal's search terms),
 * every /api answer is `no-store`, a foreign Host is refused (DNS rebinding), the database files are
 * 0600, source maps are not served unless configured, a phone's new host needs its passcode again, and
 * the passthrough answers an unknown phone and another user's phone alike.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniquePasscode, waitFor } from '../test-support/harness.ts';
import { type AuthHarness, startAuthHarness } from '../users/test-support.ts';

let h: AuthHarness;
let dist: string;
let dataDir: string;

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-dist-'));
  fs.mkdirSync(path.join(dist, 'assets'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>LineDeck</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app-1234.js'), 'console.log(1);\n');
  fs.writeFileSync(path.join(dist, 'assets', 'app-1234.js.map'), '{"version":3,"sources":["secret.ts"]}');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-data-'));
  h = await startAuthHarness([{ name: 'Alpha' }, { name: 'Bravo' }], { webDist: dist, config: { dataDir } });
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A GET with the path byte for byte and the given Host header. */
function getWithHost(urlPath: string, host: string, headers: Record<string, string> = {}) {
  const address = new URL(h.url);
  return new Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }>(
    (resolve, reject) => {
      const req = http.request(
        { host: address.hostname, port: address.port, path: urlPath, headers: { ...headers, host } },
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
      req.end();
    },
  );
}

describe('malformed percent-escapes', () => {
  it('answer 400 and log no stack', async () => {
    const before = h.logLines.length;
    for (const bad of ['/%ff', '/api/phones/%ff', '/api/phones/%ff/state', '/phones/%E0%A4%A']) {
      const res = await h.raw(bad);
      expect(res.status, bad).toBe(400);
      expect(res.text).toMatch(/percent-encoding/);
    }
    const logged = h.logLines.slice(before).join('\n');
    expect(logged).not.toMatch(/unhandled error|"stack"|URIError/);
  });
});

describe('the request log', () => {
  it('redacts secret parameters whatever the spelling of their names, and call searches', async () => {
    const values = Array.from({ length: 8 }, () => uniquePasscode('logged'));
    const before = h.logLines.length;
    const urls = [
      `/wall?%6Bey=${values[0]}`,
      `/wall?k%65y=${values[1]}`,
      `/wall?key[]=${values[2]}`,
      `/api/health?%50ASS%43ODE=${values[3]}`,
      `/wall?KEY%5B%5D=${values[4]}`,
      `/api/health?t%6Fken=${values[5]}`,
      `/api/calls?q=${values[6]}`,
      `/api/calls?number=${values[7]}&q=x`,
    ];
    for (const url of urls) await h.raw(url);
    await waitFor(() => h.logLines.length >= before + urls.length);
    const logged = h.logLines.slice(before).join('\n');
    for (const value of values) expect(logged).not.toContain(value);
    expect(logged).toContain('[Redacted]');
  });
});

describe('answers and hosts', () => {
  it('every /api answer is no-store', async () => {
    for (const url of ['/api/health', '/api/phones', '/api/session', '/api/nothing-here']) {
      const res = await h.api('GET', url);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('refuses a Host that is not allowed (DNS rebinding), with a clear message', async () => {
    const port = new URL(h.url).port;
    const foreign = await getWithHost('/api/health', `rebind.attacker.example:${port}`);
    expect(foreign.status).toBe(421);
    expect(foreign.text).toMatch(/ALLOWED_HOSTS/);
    const page = await getWithHost('/', 'rebind.attacker.example');
    expect(page.status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await getWithHost('/api/health', host)).status, host).toBe(200);
    }
  });

  it('serves no source maps unless configured', async () => {
    expect((await h.raw('/assets/app-1234.js')).status).toBe(200);
    const map = await h.raw('/assets/app-1234.js.map');
    expect(map.status).toBe(404);
    expect(map.text).not.toContain('secret.ts');
  });

  it('keeps the database and its WAL files 0600', async () => {
    if (h.server.store.dialect !== 'sqlite') return;
    const dir = dataDir;
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('linedeck.db'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect((fs.statSync(path.join(dir, f)).mode & 0o777).toString(8), f).toBe('600');
  });
});

describe('phones and the passthrough', () => {
  it("a phone's new host needs its passcode again", async () => {
    const alpha = h.phone('Alpha');
    const moved = await h.api<{ error: { message: string; issues?: { path: string }[] } }>(
      'PATCH',
      `/api/phones/${alpha.id}`,
      { host: '127.0.0.2:9' },
    );
    expect(moved.status).toBe(400);
    expect(moved.body.error.message).toMatch(/passcode/i);
    expect(moved.body.error.issues?.[0]?.path).toBe('passcode');
    const record = await h.api<{ host: string }>('GET', `/api/phones/${alpha.id}`);
    expect(record.body.host).toBe(alpha.sim.host);
    const same = await h.api('PATCH', `/api/phones/${alpha.id}`, { host: alpha.sim.host, name: 'Alpha' });
    expect(same.status).toBe(200);
    const withPasscode = await h.api('PATCH', `/api/phones/${alpha.id}`, {
      host: alpha.sim.host.replace('127.0.0.1', 'localhost'),
      passcode: alpha.passcode,
    });
    expect(withPasscode.status, withPasscode.text).toBe(200);
  });

  it("/cti answers an unknown phone and another user's phone the same", async () => {
    const viewer = await h.user('viewer', { phoneIds: [h.phone('Alpha').id] });
    const other = await viewer.req('GET', `/cti/${h.phone('Bravo').id}/cgi-bin/api-get_line_status`);
    const unknown = await viewer.req(
      'GET',
      '/cti/0f8fad5b-d9cb-469f-a165-70867728950e/cgi-bin/api-get_line_status',
    );
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    const strip = (text: string) => text.replace(/"requestId":"[^"]*"/, '').replace(/[0-9a-f-]{36}/g, 'ID');
    expect(strip(other.text)).toBe(strip(unknown.text));
    const own = await viewer.req('GET', `/cti/${h.phone('Alpha').id}/cgi-bin/api-get_line_status`);
    expect(own.status).toBe(200);
  });
});

describe('ALLOWED_HOSTS', () => {
  it('names the hosts a browser may use; others are refused', async () => {
    const custom = await startHarness([], {
      config: { allowedHosts: ['linedeck.example.org', '127.0.0.1'] },
    });
    try {
      const address = new URL(custom.url);
      const ask = (host: string) =>
        new Promise<number>((resolve, reject) => {
          http
            .get(
              { host: address.hostname, port: address.port, path: '/api/health', headers: { host } },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              },
            )
            .on('error', reject);
        });
      expect(await ask('linedeck.example.org')).toBe(200);
      expect(await ask(`LineDeck.Example.org:${address.port}`)).toBe(200);
      expect(await ask(`localhost:${address.port}`)).toBe(421);
    } finally {
      await custom.close();
    }
  });
});
