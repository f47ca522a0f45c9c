/**
 * The console in a hand (390x844): line actions at the bottom edge and a compact dial pad, every
 * button and link at least 44 px each way. On a desk screen, toasts keep off the keypad.
 */
import type { Page } from '@playwright/test';
import { overlaps } from './desk-support.ts';
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

/** Every shown button, link and disclosure under 44 px, skipping the visually hidden skip link. */
function smallTargets(page: Page): Promise<string[]> {
  return page.locator('button, a[href], summary, [role="button"]').evaluateAll((elements) =>
    elements
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      // sr-only (1x1, clipped) is not a target until it is focused.
      .filter(({ box }) => box.width > 1 && box.height > 1)
      .filter(({ box }) => box.width < 44 || box.height < 44)
      .map(
        ({ el, box }) =>
          `${(el.textContent || el.getAttribute('aria-label') || el.tagName).trim()}: ${Math.round(box.width)}x${Math.round(box.height)}`,
      ),
  );
}

test.describe('at 390x844', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('no target under 44 px; Answer and the call buttons are at the bottom edge; a compact dial pad', async ({
    page,
    sim,
  }) => {
    await openConsole(page, 'Reception');
    expect(await smallTargets(page)).toEqual([]);
    // Nothing wider than the screen.
    expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);

    // The dial pad fits in half the screen; the phone's other keys wait behind "More keys".
    const pad = page.getByRole('button', { name: '1', exact: true });
    const hash = page.getByRole('button', { name: '#', exact: true });
    const top = (await pad.boundingBox())?.y ?? 0;
    const bottom = await hash.boundingBox();
    expect(bottom && bottom.y + bottom.height - top).toBeLessThan(844 / 2);
    await expect(page.getByRole('button', { name: 'Soft 1' })).toBeHidden();
    await page.getByRole('button', { name: 'More keys' }).click();
    await expect(page.getByRole('button', { name: 'Soft 1' })).toBeVisible();
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: 'Fewer keys' }).click();

    await sim.ring(reception, '5550201', 'Thumb Caller');
    const bar = page.getByRole('region', { name: 'Call controls' });
    const answer = bar.getByRole('button', { name: 'Answer' });
    await expect(answer).toBeVisible({ timeout: 3000 });
    // Within thumb reach wherever the page is scrolled: the lower third of the screen.
    for (const scroll of [0, 400, 10_000]) {
      await page.locator('html').evaluate((html, y) => html.scrollTo(0, y), scroll);
      const box = await answer.boundingBox();
      expect(box?.y).toBeGreaterThan((844 * 2) / 3);
      expect(box && box.y + box.height).toBeLessThanOrEqual(844);
    }
    expect(await smallTargets(page)).toEqual([]);
    await answer.click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
    await expect(bar.getByRole('button', { name: 'Hold' })).toBeVisible();
    await expect(bar.getByRole('button', { name: 'End call' })).toBeVisible();
    expect(await smallTargets(page)).toEqual([]);
    await bar.getByRole('button', { name: 'End call' }).click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
    await expect(bar).toBeHidden();
  });
});

test('toasts do not pile up over the keypad', async ({ page, sim }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openConsole(page, 'Reception');
  await sim.ring(reception, '5550202', 'Toast Caller');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect(line.getByRole('button', { name: 'Hold' })).toBeVisible();

  const keys = page.getByRole('group', { name: 'Call keys' });
  await keys.scrollIntoViewIfNeeded();
  for (const key of ['1', '2', '3', '4', '5', '6'])
    await page.getByRole('button', { name: key, exact: true }).click();
  await line.getByRole('button', { name: 'Hold' }).click();
  await expect(line.getByRole('button', { name: 'Resume' })).toBeVisible();
  await line.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Sent/ })).toBeVisible();

  const toasts = page.getByRole('region', { name: 'Notifications' }).getByRole('listitem');
  await expect(toasts.first()).toBeVisible();
  expect(await toasts.count()).toBeLessThanOrEqual(3);
  const keypadGroups = page.locator('fieldset');
  for (const toast of await toasts.all()) {
    const box = await toast.boundingBox();
    for (const group of await keypadGroups.all()) {
      const area = await group.boundingBox();
      if (box && area)
        expect(overlaps(box, area), `${await toast.textContent()} over the keypad`).toBe(false);
    }
  }
});
