import { expect, stackPhone, test } from './fixtures/test.ts';

test('the fleet shows every phone with its calls, finds by name or number, and opens a console', async ({
  page,
  sim,
}) => {
  await page.goto('/');
  for (const name of ['Reception', 'Sales desk', 'Warehouse', 'Locked out']) {
    await expect(page.getByRole('article', { name })).toBeVisible();
  }
  await sim.ring(stackPhone('Warehouse'), '5554321', 'Erin Fleet');
  const warehouse = page.getByRole('article', { name: 'Warehouse' });
  await expect(warehouse).toContainText('Erin Fleet', { timeout: 2000 });
  await expect(warehouse).toContainText('Ringing');
  await expect(warehouse).toContainText(/updated \d+ s ago/);
  await expect(warehouse).toContainText(/0:0\d/);

  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('sales');
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(page.getByRole('article', { name: 'Sales desk' })).toBeVisible();
  // A caller's number finds the phone they are on.
  await search.fill('555 4321');
  await expect(page.getByRole('article')).toHaveCount(1);
  await expect(warehouse).toBeVisible();
  await search.fill('nobody-here');
  await expect(page.getByRole('article')).toHaveCount(0);
  await expect(page.getByText('No phone matches')).toBeVisible();

  await search.fill('');
  await warehouse.getByRole('link', { name: 'Warehouse' }).click();
  await expect(page).toHaveURL(/\/phones\//);
  await expect(page.getByRole('heading', { level: 1, name: 'Warehouse' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Line 1', exact: true })).toContainText('Erin Fleet');
});

test('when the server cannot be reached, the data stays with its age and a banner says so, then it recovers', async ({
  page,
  context,
  sim,
}) => {
  test.setTimeout(45_000);
  await page.goto('/');
  await sim.ring(stackPhone('Reception'), '5550111', 'Frank Offline');
  const reception = page.getByRole('article', { name: 'Reception' });
  await expect(reception).toContainText('Frank Offline');

  // The server stops answering (connections refused), the network itself is fine.
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  // A server that refuses connections has lost its open ones too: a moment offline cuts the event stream
  // (routes only see new requests), and its reconnects meet the refusal.
  await context.setOffline(true);
  await context.setOffline(false);
  const banner = page.getByRole('alert').filter({ hasText: 'The LineDeck server is not answering' });
  await expect(banner).toBeVisible();
  await expect(reception).toContainText('Frank Offline');
  await expect(reception).toContainText(/updated ([3-9]|\d\d) s ago/, { timeout: 10_000 });

  await page.unroute('**/api/**');
  await expect(banner).toBeHidden({ timeout: 10_000 });
  await expect(reception).toContainText(/updated [0-2] s ago/, { timeout: 10_000 });

  // The device losing its network says so too, and recovers the same way.
  await context.setOffline(true);
  const deviceBanner = page.getByRole('alert').filter({ hasText: 'This device is offline' });
  await expect(deviceBanner).toBeVisible();
  await context.setOffline(false);
  await expect(deviceBanner).toBeHidden({ timeout: 10_000 });
});

test('a long phone name wraps to two lines instead of being cut, with the full name as its name', async ({
  page,
  adminApi,
}) => {
  const name = `Front Desk (sign-in counter, ground floor, east wing) ${Date.now()}`;
  const created = await adminApi.post('/api/phones', { data: { name, host: '127.0.0.1:9', passcode: 'p' } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    await page.goto('/');
    const card = page.getByRole('article', { name, exact: true });
    await expect(card).toBeVisible();
    const link = card.getByRole('link', { name, exact: true });
    await expect(link).toHaveAttribute('title', name);
    const heading = card.getByRole('heading', { level: 2 });
    const box = await heading.evaluate((el) => {
      // The e2e tsconfig has no DOM types: the one browser global used here, typed by hand.
      const { getComputedStyle } = globalThis as unknown as {
        getComputedStyle: (e: typeof el) => { lineHeight: string };
      };
      return {
        lines: Math.round(el.clientHeight / Number.parseFloat(getComputedStyle(el).lineHeight)),
        clippedSideways: el.scrollWidth > el.clientWidth,
      };
    });
    // One line with an ellipsis was the bug: two lines show where "Front Desk (si…" names differ.
    expect(box).toEqual({ lines: 2, clippedSideways: false });
  } finally {
    await adminApi.delete(`/api/phones/${id}`);
  }
});
