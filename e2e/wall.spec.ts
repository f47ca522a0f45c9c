import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type { APIRequestContext, Locator, Page, TestInfo } from '@playwright/test';
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

interface Fit {
  text: string;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  left: number;
  right: number;
}

/** An element's text, whether its content overflows it, and where it is (the e2e tsconfig has no DOM lib). */
function fitOf(locator: Locator): Promise<Fit> {
  return locator.evaluate((element) => {
    const e = element as unknown as Omit<Fit, 'left' | 'right'> & {
      textContent: string | null;
      getBoundingClientRect: () => { left: number; right: number };
    };
    const { left, right } = e.getBoundingClientRect();
    return {
      text: e.textContent ?? '',
      scrollWidth: e.scrollWidth,
      clientWidth: e.clientWidth,
      scrollHeight: e.scrollHeight,
      clientHeight: e.clientHeight,
      left,
      right,
    };
  });
}

/** The caller's number on a tile: the whole number, not cut, and inside its tile. */
async function expectWholeNumber(tile: Locator, number: string): Promise<void> {
  const element = tile.getByText(number, { exact: true });
  await expect(element).toBeVisible();
  const fit = await fitOf(element);
  const box = await fitOf(tile);
  expect(fit.text).toBe(number);
  expect(fit.scrollWidth, `${number}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(fit.clientWidth);
  expect(fit.left).toBeGreaterThanOrEqual(box.left);
  expect(fit.right, `${number} ends at ${fit.right}, its tile at ${box.right}`).toBeLessThanOrEqual(
    box.right,
  );
  await expect(element).toBeInViewport({ ratio: 1 });
}

/** Text that wraps (names): nothing cut sideways, and here short enough to need no clamping either. */
async function expectUnclipped(element: Locator): Promise<void> {
  const fit = await fitOf(element);
  expect(fit.scrollWidth, `${fit.text}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(fit.clientWidth);
  expect(fit.scrollHeight, `${fit.text}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(fit.clientHeight + 1);
}

async function keepScreenshot(page: Page, name: string, testInfo: TestInfo): Promise<void> {
  const screenshot = await page.screenshot();
  await testInfo.attach(name, { body: screenshot, contentType: 'image/png' });
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', `${name}.png`), screenshot);
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

test('a long phone name wraps and a caller number is never cut, at 1600x900 and 1920x1080', async ({
  browser,
  adminApi,
}, testInfo) => {
  const name = 'Accounts receivable (simulated)';
  const caller = 'Erika Mustermann-Lüdenscheid';
  const number = '+4930123456789';
  const phone = await startPhone({ port: 0, model: 'GRP2614', adminPasscode: 'accounts-pass-1' });
  let phoneId: string | undefined;
  let key: Created | undefined;
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  try {
    const created = await adminApi.post('/api/phones', {
      data: { name, host: `127.0.0.1:${phone.port}`, passcode: 'accounts-pass-1', model: 'GRP2614' },
    });
    expect(created.status(), await created.text()).toBe(201);
    phoneId = ((await created.json()) as { id: string }).id;
    // A wall of exactly 4 phones: a display key for this phone and three of the stack's.
    const all = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
    const others = all
      .filter((p) => ['Reception', 'Sales desk', 'Warehouse'].includes(p.name))
      .map((p) => p.id);
    expect(others).toHaveLength(3);
    const response = await adminApi.post('/api/display-keys', {
      data: { name: `Wall 4 ${Date.now()}`, phoneIds: [phoneId, ...others] },
    });
    expect(response.status(), await response.text()).toBe(201);
    key = (await response.json()) as Created;
    phone.ring(number, caller);

    const page = await context.newPage();
    for (const [width, height] of [
      [1600, 900],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`/wall?key=${encodeURIComponent(key.secret)}`);
      await expect(page.getByRole('article')).toHaveCount(4);
      const tile = page.getByRole('article', { name });
      await expect(tile).toHaveAttribute('data-tone', 'alert', { timeout: 5000 });
      await expect(tile).toContainText(caller);
      await expectWholeNumber(tile, number);
      await expectUnclipped(tile.getByRole('heading', { name }));
      await expectUnclipped(tile.getByText(caller, { exact: true }));
      await keepScreenshot(page, `wall-4-phones-${width}x${height}`, testInfo);
    }
  } finally {
    await context.close();
    if (key) await adminApi.delete(`/api/display-keys/${key.id}`);
    if (phoneId) await adminApi.delete(`/api/phones/${phoneId}`);
    await phone.close();
  }
});

test.describe('a wall of 50 phones', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  const extra: SimPhone[] = [];
  const added: string[] = [];

  test.afterAll(async ({ adminApi }) => {
    for (const id of added) await adminApi.delete(`/api/phones/${id}`);
    await Promise.all(extra.map((p) => p.close()));
  });

  test('fits a 1920x1080 screen without scrolling, in two pages of readable type', async ({
    page,
    adminApi,
    sim,
  }, testInfo) => {
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
    // A few calls, so the screenshot shows what a wall is for: three ringing with long numbers, one answered.
    const ringing = [
      { tile: 'Reception', number: '+4930123456789', caller: 'Grace Hopper' },
      { tile: 'Desk 01', number: '+441632960961', caller: 'Alan Turing' },
      { tile: 'Desk 02', number: '5550111', caller: '' },
    ];
    await sim.ring(reception, ringing[0]?.number as string, ringing[0]?.caller);
    await sim.ring(stackPhone('Sales desk'), '+4930123456', 'Ada Lovelace');
    await sim.post(stackPhone('Sales desk'), '/sim/operate', { cmd: 'acceptcall', line: 1 });
    extra[0]?.ring(ringing[1]?.number as string, ringing[1]?.caller);
    extra[1]?.ring(ringing[2]?.number as string);

    // 50 phones in one grid would draw the smallest texts under 14 px: they take turns in two pages of 25,
    // calls and problems first (page 1, held here: it would turn after 10 s).
    await page.goto('/wall?page=1');
    const tiles = page.getByRole('article');
    await expect(page.getByText('Page 1 of 2', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(tiles).toHaveCount(25, { timeout: 15_000 });
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
    // The ringing tiles' numbers are whole, even in small tiles.
    for (const call of ringing) {
      const tile = page.getByRole('article', { name: call.tile, exact: true });
      await expect(tile).toHaveAttribute('data-tone', 'alert');
      await expectWholeNumber(tile, call.number);
    }

    await keepScreenshot(page, 'wall-50-phones-1920x1080', testInfo);
  });
});
