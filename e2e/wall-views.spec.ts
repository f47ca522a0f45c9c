/**
 * The wall as a room sees it: the URL's choice of phones for a kiosk, offline and refused phones in
 * words and colour with their timers stopped, and a 4K screen's space used for larger type.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPhone } from '@linedeck/phone-sim';
import type { Locator, Page } from '@playwright/test';
import { BASE_URL, expect, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

/** The computed font size (px) of an element. */
function fontPx(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const g = globalThis as unknown as { getComputedStyle: (e: unknown) => { fontSize: string } };
    return Number.parseFloat(g.getComputedStyle(element).fontSize);
  });
}

function computed(locator: Locator, property: 'borderTopColor' | 'backgroundColor'): Promise<string> {
  return locator.evaluate((element, name) => {
    const g = globalThis as unknown as { getComputedStyle: (e: unknown) => Record<string, string> };
    return g.getComputedStyle(element)[name] ?? '';
  }, property as string);
}

/** The dark wall's "bad" colour (wall.css --wall-bad). */
const WALL_BAD = 'rgb(248, 113, 113)';

async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', `${name}.png`), await page.screenshot());
}

test('?show=active shows only phones with calls or problems, ?phones= the ones named', async ({
  page,
  sim,
}) => {
  await sim.ring(reception, '5550123', 'Active Caller');
  await page.goto('/wall?show=active');
  await expect(page.getByRole('article', { name: 'Reception' })).toContainText('Active Caller');
  // The wrong-passcode phone is a problem: it stays.
  await expect(page.getByRole('article', { name: 'Locked out' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Sales desk' })).toHaveCount(0);
  await expect(page.getByRole('article', { name: 'Warehouse' })).toHaveCount(0);
  await expect(page.getByText('(calls and problems)')).toBeVisible();
  // Calls first: the ringing phone is the first tile.
  await expect(page.getByRole('article').first()).toHaveAccessibleName('Reception');

  await page.goto('/wall?phones=Warehouse,sales%20desk');
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(page.getByRole('article', { name: 'Warehouse' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Sales desk' })).toBeVisible();

  // What the wall cannot use it says, and shows the default instead.
  await page.goto('/wall?show=everything&phones=Kitchen,Warehouse');
  await expect(page.getByText(/show must be all or active/)).toBeVisible();
  await expect(page.getByText(/no phone named "Kitchen"/)).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(1);
});

test('an offline tile says Offline in red, and its timer and the fleet card timer stop', async ({
  page,
  adminApi,
}) => {
  test.setTimeout(60_000);
  const name = 'Offline desk';
  const phone = await startPhone({ port: 0, model: 'GRP2614', adminPasscode: 'offline-pass-1' });
  let phoneId: string | undefined;
  try {
    const created = await adminApi.post('/api/phones', {
      data: { name, host: phone.host, passcode: 'offline-pass-1', model: 'GRP2614' },
    });
    expect(created.status(), await created.text()).toBe(201);
    phoneId = ((await created.json()) as { id: string }).id;
    phone.ring('+4930555000', 'Gone Caller');

    await page.goto('/wall');
    const tile = page.getByRole('article', { name });
    await expect(tile).toContainText('Gone Caller', { timeout: 5000 });
    const timer = tile.getByText(/^\d+:\d\d$/);
    await expect(timer).toHaveText(/0:0[1-9]/, { timeout: 5000 });

    // The phone drops off the network.
    phone.injectFault({ kind: 'down' });
    await expect(tile.getByText('Offline', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(tile).toHaveAttribute('data-tone', 'bad');
    const frozen = await timer.textContent();
    await page.waitForTimeout(3000);
    await expect(timer).toHaveText(frozen ?? '');
    await expect(tile).toContainText('Gone Caller');
    // In colour as in words: a red frame and a red status, not a grey "stale" tile.
    expect(await computed(tile, 'borderTopColor')).toBe(WALL_BAD);
    expect(await computed(tile.getByText('Offline', { exact: true }), 'backgroundColor')).toBe(WALL_BAD);
    await keepScreenshot(page, 'wall-offline-tile');

    // The fleet overview's card stops too.
    await page.goto('/');
    const card = page.getByRole('article', { name });
    await expect(card).toContainText('Offline');
    const cardTimer = card.getByText(/\d+:\d\d$/).first();
    const shown = await cardTimer.textContent();
    await page.waitForTimeout(3000);
    await expect(cardTimer).toHaveText(shown ?? '');
  } finally {
    if (phoneId) await adminApi.delete(`/api/phones/${phoneId}`);
    await phone.close();
  }
});

test('an unauthorized tile says so in words and in red', async ({ page }) => {
  await page.goto('/wall');
  const tile = page.getByRole('article', { name: 'Locked out' });
  await expect(tile.getByText('Unauthorized', { exact: true })).toBeVisible();
  await expect(tile).toHaveAttribute('data-tone', 'bad');
  expect(await computed(tile, 'borderTopColor')).toBe(WALL_BAD);
  expect(await computed(tile.getByText('Unauthorized', { exact: true }), 'backgroundColor')).toBe(WALL_BAD);
});

test('a 4K wall of 4 phones uses its space: larger type than 1080p, every call listed', async ({
  browser,
  adminApi,
  sim,
}) => {
  test.setTimeout(60_000);
  const all = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  const ids = all.filter((p) => ['Reception', 'Sales desk', 'Warehouse', 'Locked out'].includes(p.name));
  expect(ids).toHaveLength(4);
  const response = await adminApi.post('/api/display-keys', {
    data: { name: `Wall 4K ${Date.now()}`, phoneIds: ids.map((p) => p.id) },
  });
  expect(response.status(), await response.text()).toBe(201);
  const key = (await response.json()) as { id: string; secret: string };
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  try {
    // Three calls on Reception: connected, held, ringing.
    await sim.ring(reception, '+4930100001', 'First Caller');
    await sim.post(reception, '/sim/operate', { cmd: 'acceptcall', line: 1 });
    await sim.post(reception, '/sim/operate', { cmd: 'holdcall', line: 1 });
    await sim.ring(reception, '+4930100002', 'Second Caller');
    await sim.post(reception, '/sim/operate', { cmd: 'acceptcall', line: 2 });
    await sim.ring(reception, '+4930100003', 'Third Caller');

    const page = await context.newPage();
    const sizes: Record<string, { name: number; caller: number }> = {};
    const listed: Record<string, string[]> = {};
    for (const [width, height] of [
      [1920, 1080],
      [3840, 2160],
    ] as const) {
      await page.setViewportSize({ width, height });
      // The key link only once: opening it again ends the session the open wall streams on, and that
      // page's re-read with the old cookie may come back 401 after the new sign-in, clearing its cookie.
      await page.goto(width === 1920 ? `/wall?key=${encodeURIComponent(key.secret)}` : '/wall');
      await expect(page.getByRole('article')).toHaveCount(4);
      const tile = page.getByRole('article', { name: 'Reception' });
      await expect(tile).toHaveAttribute('data-tone', 'alert', { timeout: 5000 });
      sizes[width] = {
        name: await fontPx(page.getByRole('article', { name: 'Warehouse' }).getByRole('heading')),
        // The phone's name and the number on the busy tile: present however the calls are shown.
        caller: await fontPx(tile.getByRole('heading')),
      };
      listed[width] = (await tile.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
      await keepScreenshot(page, `wall-4-phones-3-calls-${width}x${height}`);
    }
    const hd = sizes[1920];
    const uhd = sizes[3840];
    expect(hd && uhd, JSON.stringify(sizes)).toBeTruthy();
    // Measured: the 4K tiles' type is at least 1.5 times the 1080p one's.
    expect(uhd?.name ?? 0, JSON.stringify(sizes)).toBeGreaterThan((hd?.name ?? 0) * 1.5);
    expect(uhd?.caller ?? 0, JSON.stringify(sizes)).toBeGreaterThan((hd?.caller ?? 0) * 1.5);
    // Every call listed at 4K, the ringing one first, then connected, then held.
    const order = (listed[3840] ?? []).map((t) => /(First|Second|Third) Caller/.exec(t)?.[1]);
    expect(order, JSON.stringify(listed)).toEqual(['Third', 'Second', 'First']);
  } finally {
    await context.close();
    await adminApi.delete(`/api/display-keys/${key.id}`);
  }
});
