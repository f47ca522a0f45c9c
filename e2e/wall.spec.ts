import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type { APIRequestContext } from '@playwright/test';
import { BASE_URL, expect, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

interface Created {
  id: string;
  secret: string;
}

async function createDisplayKey(adminApi: APIRequestContext, name: string): Promise<Created> {
  const response = await adminApi.post('/api/display-keys', { data: { name, phoneIds: [] } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Created;
}

test('a display key opens the wall without signing in, shows a ringing call within 2 s, and stops when revoked', async ({
  browser,
  adminApi,
  sim,
}) => {
  const key = await createDisplayKey(adminApi, `Wall e2e ${Date.now()}`);
  // A fresh browser: no cookie, nobody signed in (Playwright would otherwise lend it the admin's storage).
  const context = await browser.newContext({
    baseURL: BASE_URL,
    colorScheme: 'light',
    storageState: { cookies: [], origins: [] },
  });
  try {
    const page = await context.newPage();
    await page.goto(`/wall?key=${encodeURIComponent(key.secret)}`);
    // The server swaps the key for a session cookie and sends the browser to /wall: the key leaves the address bar.
    await expect(page).toHaveURL(`${BASE_URL}/wall`);
    const tile = page.getByRole('article', { name: 'Reception' });
    await expect(tile).toBeVisible();
    await expect(page.getByLabel('Password')).toHaveCount(0);
    // No controls on a wall.
    await expect(page.getByRole('button')).toHaveCount(0);
    await expect(page.getByText(/^Last update \d/)).toBeVisible();

    const rangAt = Date.now();
    await sim.ring(reception, '5550199', 'Wall Caller');
    await expect(tile).toContainText('Wall Caller', { timeout: 2000 });
    expect(Date.now() - rangAt).toBeLessThan(2000);
    await expect(tile).toContainText('5550199');
    await expect(tile).toContainText('Ringing');
    await expect(tile).toHaveAttribute('data-tone', 'alert');

    // Revoked: the wall is signed out on its next request, and shows no phone any more.
    const revoked = await adminApi.delete(`/api/display-keys/${key.id}`);
    expect(revoked.status()).toBe(204);
    await expect(page.getByRole('heading', { name: 'This wall display is signed out' })).toBeVisible({
      timeout: 5000,
    });
    await expect(page.getByRole('article')).toHaveCount(0);
    // The link itself no longer works either.
    const again = await context.request.get(`/wall?key=${encodeURIComponent(key.secret)}`, {
      maxRedirects: 0,
    });
    expect(again.status()).toBe(401);
  } finally {
    await context.close();
    await adminApi.delete(`/api/display-keys/${key.id}`);
  }
});

test('a stale phone is marked, not shown as current', async ({ page, sim }) => {
  await page.goto('/wall');
  // The phone configured with a wrong passcode is never read: its tile must say so.
  const locked = page.getByRole('article', { name: 'Locked out' });
  await expect(locked).toHaveAttribute('data-stale', 'true');
  await expect(locked).toContainText('Not current');
  const live = page.getByRole('article', { name: 'Reception' });
  await expect(live).toHaveAttribute('data-stale', 'false');
  // The phone stops answering CTI (its /sim/ control API still works, so the fixture can clear the fault).
  await sim.post(reception, '/sim/faults', { kind: 'hang' });
  await expect(live).toHaveAttribute('data-stale', 'true', { timeout: 8000 });
  await expect(live).toContainText('Not current');
});

test.describe('a wall of 50 phones', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  const extra: SimPhone[] = [];
  const added: string[] = [];

  test.afterAll(async ({ adminApi }) => {
    for (const id of added) await adminApi.delete(`/api/phones/${id}`);
    await Promise.all(extra.map((p) => p.close()));
  });

  test('fits a 1920x1080 screen without scrolling', async ({ page, adminApi, sim }, testInfo) => {
    test.setTimeout(90_000);
    // Leftovers of an interrupted run would take names and places.
    const existing = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
    for (const phone of existing.filter((p) => /^Desk \d+$/.test(p.name))) {
      await adminApi.delete(`/api/phones/${phone.id}`);
    }
    const before = existing.filter((p) => !/^Desk \d+$/.test(p.name));
    const missing = Math.max(0, 50 - before.length);
    const models = ['GRP2601', 'GRP2602', 'GRP2614', 'GRP2616', 'GRP2670'];
    for (let i = 0; i < missing; i++) {
      const passcode = `wall-pass-${i}`;
      const model = models[i % models.length] as string;
      const phone = await startPhone({ port: 0, model, adminPasscode: passcode, name: `Desk ${i + 1}` });
      extra.push(phone);
      const response = await adminApi.post('/api/phones', {
        data: {
          name: `Desk ${String(i + 1).padStart(2, '0')}`,
          host: `127.0.0.1:${phone.port}`,
          passcode,
          model,
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      added.push(((await response.json()) as { id: string }).id);
    }
    // A few calls, so the screenshot shows what a wall is for.
    await sim.ring(reception, '5550142', 'Grace Hopper');
    await sim.ring(stackPhone('Sales desk'), '+4930123456', 'Ada Lovelace');
    await sim.post(stackPhone('Sales desk'), '/sim/operate', { cmd: 'acceptcall', line: 1 });
    extra[0]?.ring('5550111', 'Alan Turing');

    await page.goto('/wall');
    const tiles = page.getByRole('article');
    await expect(tiles).toHaveCount(50, { timeout: 15_000 });
    // Every simulated phone read at least once: only the wrong-passcode phone stays stale.
    await expect(page.locator('article[data-stale="true"]')).toHaveCount(1, { timeout: 20_000 });

    interface Box {
      scrollHeight: number;
      clientHeight: number;
      scrollWidth: number;
      clientWidth: number;
    }
    const scroll = await page.evaluate(() => {
      const { document } = globalThis as unknown as {
        document: { scrollingElement: Box | null; documentElement: Box };
      };
      const root = document.scrollingElement ?? document.documentElement;
      return {
        rootScroll: root.scrollHeight,
        rootClient: root.clientHeight,
        rootScrollW: root.scrollWidth,
        rootClientW: root.clientWidth,
      };
    });
    expect(scroll.rootScroll).toBeLessThanOrEqual(scroll.rootClient);
    expect(scroll.rootScrollW).toBeLessThanOrEqual(scroll.rootClientW);
    // Every tile is entirely on screen.
    const boxes = await tiles.evaluateAll((elements) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect();
        return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, height: r.height };
      }),
    );
    for (const box of boxes) {
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThanOrEqual(1080);
      expect(box.right).toBeLessThanOrEqual(1920);
      expect(box.height).toBeGreaterThan(40);
    }
    for (const tile of await tiles.all()) await expect(tile).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('article', { name: 'Reception' })).toContainText('Grace Hopper');

    const screenshot = await page.screenshot();
    await testInfo.attach('wall-50-phones-1920x1080', { body: screenshot, contentType: 'image/png' });
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'wall-50-phones-1920x1080.png'), screenshot);
  });
});
