/**
 * A wall of 200 phones must not cry wolf: every healthy phone is read each second, so no tile may say
 * "Not current" while the server's data is fresh, however busy the page is (callers ring all the time); and a phone that stops
 * answering must be flagged within a few seconds. The 200 simulated phones and a second LineDeck server
 * (its own PHONES_FILE, the default 1 s poll, a temporary data directory) are started here, so the
 * shared stack and what other specs see stay as they are.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fleet, startFleet } from '@linedeck/phone-sim';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';

const PHONES = 200;
const WATCH_MS = 30_000;
const SAMPLE_MS = 500;
const ADMIN_PASSWORD = 'freshness-admin-password';

interface Deck {
  url: string;
  child: ChildProcess;
  dir: string;
}

/** The real server as a child process on a free port, knowing the phones from a PHONES_FILE. */
async function startDeck(hosts: readonly string[]): Promise<Deck> {
  const dir = mkdtempSync(join(tmpdir(), 'linedeck-wall-freshness-'));
  const phonesFile = join(dir, 'phones.json');
  writeFileSync(
    phonesFile,
    JSON.stringify(hosts.map((host, i) => ({ name: `Desk ${i + 1}`, host, passcode: 'admin' }))),
  );
  const child = spawn(process.execPath, ['apps/server/dist/index.mjs'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      PHONES_FILE: phonesFile,
      SIMULATED_PHONES: '0',
      POLL_INTERVAL_MS: '1000',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { url, child, dir };
}

async function stopDeck(deck: Deck | undefined): Promise<void> {
  if (!deck) return;
  if (deck.child.exitCode === null) {
    const exited = new Promise((resolve) => deck.child.once('exit', resolve));
    deck.child.kill('SIGTERM');
    await exited;
  }
  rmSync(deck.dir, { recursive: true, force: true });
}

/** Tiles flagged "Not current", by name (the attribute and the words: either one is a flag). */
function flaggedTiles(page: Page): Promise<string[]> {
  return page
    .locator('article')
    .evaluateAll((tiles) =>
      tiles
        .filter(
          (t) => t.getAttribute('data-stale') === 'true' || (t.textContent ?? '').includes('Not current'),
        )
        .map((t) => t.getAttribute('aria-labelledby') ?? '?'),
    );
}

test.describe('a wall of 200 phones', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  let fleet: Fleet | undefined;
  let deck: Deck | undefined;

  test.afterAll(async () => {
    await stopDeck(deck);
    await fleet?.close();
  });

  test('flags no fresh tile in 30 s, and flags a phone that stops answering within seconds', async ({
    browser,
  }) => {
    test.setTimeout(150_000);
    // Callers ring now and then, as in an office: the wall gets a steady flow of state events.
    fleet = await startFleet({ count: PHONES, demo: { seed: 7 } });
    deck = await startDeck(fleet.phones.map((p) => `127.0.0.1:${p.port}`));
    const context = await browser.newContext({
      baseURL: deck.url,
      storageState: { cookies: [], origins: [] },
      viewport: { width: 1920, height: 1080 },
    });
    try {
      const signIn = await context.request.post('/api/session', {
        data: { username: 'admin', password: ADMIN_PASSWORD },
        headers: { Origin: deck.url },
      });
      expect(signIn.status(), await signIn.text()).toBe(200);
      // Every phone read once before the wall opens: from then on each one is fresh.
      await expect
        .poll(
          async () => {
            const states = (await (await context.request.get('/api/state')).json()) as { status: string }[];
            return states.filter((s) => s.status !== 'unknown').length;
          },
          { timeout: 30_000, intervals: [500] },
        )
        .toBe(PHONES);

      const page = await context.newPage();
      await page.goto('/wall');
      // All 200 at once, or in pages that take turns (then every page is watched as it comes).
      await expect.poll(() => page.getByRole('article').count(), { timeout: 15_000 }).toBeGreaterThan(20);
      // The first render may precede the first freshness word from the server.
      await expect.poll(async () => (await flaggedTiles(page)).length, { timeout: 10_000 }).toBe(0);

      // While the stream is up the page polls no state: the stream carries every change.
      let stateReads = 0;
      page.on('request', (request) => {
        if (/\/api\/(state|phones\/[^/]+\/state)(\?|$)/.test(new URL(request.url()).pathname)) stateReads++;
      });
      const samples: number[] = [];
      let firstFlagged: string[] = [];
      const end = Date.now() + WATCH_MS;
      while (Date.now() < end) {
        const flagged = await flaggedTiles(page);
        samples.push(flagged.length);
        if (flagged.length > 0 && firstFlagged.length === 0) firstFlagged = flagged.slice(0, 5);
        await page.waitForTimeout(SAMPLE_MS);
      }
      expect(samples.length).toBeGreaterThanOrEqual(WATCH_MS / SAMPLE_MS / 2);
      expect(
        Math.max(...samples),
        `fresh tiles flagged in ${samples.filter((n) => n > 0).length} of ${samples.length} samples, ` +
          `at most ${Math.max(...samples)} at once (first: ${firstFlagged.join(', ')})`,
      ).toBe(0);

      expect(stateReads, 'state fetched while the stream was up').toBe(0);

      // One phone is switched off: its tile, and only its tile, is flagged within a few seconds.
      const victim = fleet.phones[7];
      if (!victim) throw new Error('no phone 8');
      const phones = (await (await context.request.get('/api/phones')).json()) as {
        id: string;
        host: string;
      }[];
      const victimId = phones.find((p) => p.host === `127.0.0.1:${victim.port}`)?.id;
      expect(victimId).toBeDefined();
      // A wall of that one phone (`?phones=`; a wall without the option shows it among all the others).
      const single = await context.newPage();
      await single.goto(`/wall?phones=${victimId}`);
      const tile = single.locator(`article[aria-labelledby="wall-${victimId}"]`);
      await expect(tile).toHaveAttribute('data-stale', 'false');
      const downAt = Date.now();
      victim.injectFault({ kind: 'down', ms: 60_000 });
      await expect(tile).toHaveAttribute('data-stale', 'true', { timeout: 8000 });
      await expect(tile).toContainText('Not current');
      const flaggedAfterMs = Date.now() - downAt;
      // And on the big wall nothing else is flagged.
      const others = (await flaggedTiles(page)).filter((t) => t !== `wall-${victimId}`);
      expect(others).toEqual([]);
      test.info().annotations.push({
        type: 'freshness',
        description: `${samples.length} samples, 0 flagged, ${stateReads} state reads; the unreachable phone flagged after ${flaggedAfterMs} ms`,
      });
    } finally {
      await context.close();
    }
  });
});
