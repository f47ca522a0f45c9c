/**
 * The incoming-call pop-up as desk users found it: not for the phone already on screen, never over
 * the page's controls, one "Enable notifications" prompt for all calls, and gone with its phone.
 */

import { createUser, overlaps, ownPhone, phoneIds, signedInAs } from './desk-support.ts';
import { expect, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');
const sales = stackPhone('Sales desk');

test('no pop-up for the phone on screen; for another phone it covers no control, with one prompt', async ({
  browser,
  adminApi,
  sim,
}) => {
  const ids = await phoneIds(adminApi);
  const username = `desk-popup-${Date.now()}`;
  const userId = await createUser(adminApi, {
    username,
    password: 'desk-popup-pass-1',
    role: 'operator',
    phoneIds: [ids.get('Reception') ?? '', ids.get('Sales desk') ?? ''],
  });
  const { context, page } = await signedInAs(browser, username, 'desk-popup-pass-1');
  try {
    await page.getByRole('link', { name: 'Sales desk', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sales desk' })).toBeVisible();

    // The phone on screen rings: its line shows Answer; no pop-up repeats it over the page.
    await sim.ring(sales, '5550171', 'On Screen');
    const line = page.getByRole('region', { name: 'Line 1', exact: true });
    await expect(line.getByRole('button', { name: 'Answer' })).toBeVisible();
    await page.waitForTimeout(600);
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Two calls on another phone: two calls listed, one prompt for notifications.
    await sim.ring(reception, '5550172', 'First Caller');
    await sim.ring(reception, '5550173', 'Second Caller');
    const region = page.getByRole('region', { name: 'Incoming calls' });
    const popups = page.getByRole('dialog', { name: /Incoming call on Reception/ });
    await expect(popups).toHaveCount(2, { timeout: 3000 });
    await expect(page.getByRole('button', { name: /Enable notifications/ })).toHaveCount(1);

    // Nothing the page offers is under a pop-up.
    const area = await region.boundingBox();
    expect(area).not.toBeNull();
    const covered = await page
      .locator('button, a[href], input, select, summary')
      .evaluateAll((elements, a) => {
        return elements
          .filter(
            (el) => !el.closest('section[aria-label="Incoming calls"]') && el.getClientRects().length > 0,
          )
          .filter((el) => {
            const b = el.getBoundingClientRect();
            return (
              b.width > 1 &&
              a.x < b.right &&
              b.left < a.x + a.width &&
              a.y < b.bottom &&
              b.top < a.y + a.height
            );
          })
          .map((el) => el.textContent || el.getAttribute('aria-label') || el.tagName);
      }, area ?? { x: 0, y: 0, width: 0, height: 0 });
    expect(covered).toEqual([]);
    // And the console's own Answer is still the one on top where it is drawn.
    const answer = await line.getByRole('button', { name: 'Answer' }).boundingBox();
    const box = await region.boundingBox();
    expect(answer && box && overlaps(answer, box)).toBe(false);
    await line.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(async () => (await sim.line(sales, 1))?.state).toBe('connected');
  } finally {
    await context.close();
    await adminApi.delete(`/api/users/${userId}`);
  }
});

test('a pop-up goes when its phone goes offline, and when its phone is removed', async ({
  browser,
  adminApi,
}) => {
  const stamp = Date.now();
  const unplugged = await ownPhone(adminApi, `Unplugged ${stamp}`);
  const removed = await ownPhone(adminApi, `Removed ${stamp}`);
  const username = `desk-gone-${stamp}`;
  const userId = await createUser(adminApi, {
    username,
    password: 'desk-gone-pass-1',
    role: 'operator',
    phoneIds: [unplugged.id, removed.id],
  });
  const { context, page } = await signedInAs(browser, username, 'desk-gone-pass-1');
  try {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();

    // Unplugged while ringing: its last known line still says ringing, but nothing can answer it.
    const offlinePopup = page.getByRole('dialog', { name: `Incoming call on Unplugged ${stamp}` });
    unplugged.sim.ring('5550174', 'Offline Caller');
    await expect(offlinePopup).toBeVisible({ timeout: 3000 });
    unplugged.sim.injectFault({ kind: 'down', ms: 60_000 });
    await expect(offlinePopup).toBeHidden({ timeout: 10_000 });

    // Removed while ringing: the pop-up goes with it.
    const removedPopup = page.getByRole('dialog', { name: `Incoming call on Removed ${stamp}` });
    removed.sim.ring('5550175', 'Removed Caller');
    await expect(removedPopup).toBeVisible({ timeout: 3000 });
    await adminApi.delete(`/api/phones/${removed.id}`);
    await expect(removedPopup).toBeHidden({ timeout: 5000 });
    expect(removed.sim.snapshot().lines[0]?.state).toBe('ringing');
  } finally {
    await context.close();
    await adminApi.delete(`/api/users/${userId}`);
    await unplugged.remove();
    await removed.remove();
  }
});
