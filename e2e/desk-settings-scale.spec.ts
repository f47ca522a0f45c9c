/**
 * Settings at scale: with 200 phones the phones list is searched and paged instead of 10,000 px
 * long; "Call from" shows each phone's status and leaves out the phones that cannot call.
 */
import { expect, test } from './fixtures/test.ts';

test('200 phones: the list stays a page long, search finds one, Next and Previous page', async ({
  page,
  adminApi,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const created: string[] = [];
  try {
    // Addresses nothing listens on: each phone is simply offline.
    for (let i = 0; i < 200; i++) {
      const response = await adminApi.post('/api/phones', {
        data: { name: `Bulk ${stamp} ${i}`, host: `127.0.0.1:${40_000 + i}`, passcode: 'bulk-pass-1' },
      });
      expect(response.status(), await response.text()).toBe(201);
      created.push(((await response.json()) as { id: string }).id);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/settings/phones');
    const list = page.getByRole('region', { name: /Phones \(\d+\)/ });
    await expect(list.getByRole('heading', { name: /Phones \(20\d\)/ })).toBeVisible();
    const rows = list.locator('tbody > tr');
    expect(await rows.count()).toBeLessThanOrEqual(25);
    expect(await page.locator('html').evaluate((html) => html.scrollHeight)).toBeLessThan(4000);

    await list.getByRole('button', { name: 'Next' }).click();
    await expect(list).toContainText(/page 2 of \d+/);
    await list.getByRole('button', { name: 'Previous' }).click();
    await expect(list).toContainText(/page 1 of \d+/);

    await list.getByLabel('Search phones').fill(`Bulk ${stamp} 187`);
    await expect(rows).toHaveCount(1);
    await expect(list.getByRole('link', { name: `Bulk ${stamp} 187`, exact: true })).toBeVisible();
    await list.getByLabel('Search phones').fill('127.0.0.1:40123');
    await expect(list.getByRole('link', { name: `Bulk ${stamp} 123`, exact: true })).toBeVisible();
  } finally {
    for (const id of created) await adminApi.delete(`/api/phones/${id}`);
  }
});

test('"Call from" shows each phone\'s status and hides those that cannot call', async ({ page }) => {
  await page.goto('/contacts');
  const callFrom = page.getByLabel('Call from');
  await expect(callFrom.locator('option', { hasText: 'Reception' })).toHaveText(
    /Reception · (Available|Busy|Ringing)/,
  );
  const options = await callFrom.locator('option').allTextContents();
  expect(
    options.every((o) => / · \w+/.test(o)),
    options.join(', '),
  ).toBe(true);
  // Locked out refuses LineDeck's password: a call from it would fail.
  expect(options.some((o) => o.startsWith('Locked out'))).toBe(false);
  expect(options.some((o) => o.startsWith('Sales desk'))).toBe(true);
});
