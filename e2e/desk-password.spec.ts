/**
 * After a sign-in with a temporary password, the change form asks only for the new password: the one
 * just typed is sent once from memory, never stored. After a reload it is asked for again.
 */

import { createUser } from './desk-support.ts';
import { expect, signInThroughForm, test } from './fixtures/test.ts';

test.use({ signedIn: false });

test('the forced change does not ask again for the password just typed', async ({ page, adminApi }) => {
  const username = `desk-temp-${Date.now()}`;
  const id = await createUser(adminApi, {
    username,
    password: 'desk-first-pass-1',
    role: 'viewer',
    phoneIds: [],
  });
  try {
    const reset = await adminApi.patch(`/api/users/${id}`, { data: { password: 'desk-temporary-2' } });
    expect(reset.ok(), await reset.text()).toBe(true);

    // A reload forgets the typed password (memory only): then the form asks for it.
    await signInThroughForm(page, username, 'desk-temporary-2');
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await expect(page.getByLabel('Current password')).toHaveCount(0);
    const stored = await page.evaluate(() => {
      // The e2e tsconfig has no DOM types: the two browser globals used here, typed by hand.
      const g = globalThis as unknown as { localStorage: object; sessionStorage: object };
      return JSON.stringify({ ...g.localStorage, ...g.sessionStorage });
    });
    expect(stored).not.toContain('desk-temporary-2');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await expect(page.getByLabel('Current password')).toBeVisible();

    // Signed in again: only the new password, twice.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughForm(page, username, 'desk-temporary-2');
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await expect(page.getByLabel('Current password')).toHaveCount(0);
    await page.getByLabel('New password', { exact: true }).fill('desk-own-pass-3');
    await page.getByLabel('Repeat new password').fill('desk-own-pass-3');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();

    // The new password is the one that works now.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughForm(page, username, 'desk-own-pass-3');
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
  } finally {
    await adminApi.delete(`/api/users/${id}`);
  }
});
