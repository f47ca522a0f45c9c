import { ADMIN_PASSWORD } from './fixtures/stack-config.ts';
import { expect, signInThroughForm, test } from './fixtures/test.ts';

test.use({ signedIn: false });

test('signs in with username and password, and signs out', async ({ page }) => {
  await signInThroughForm(page, 'admin', ADMIN_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Reception', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The session is gone on the server too, not just hidden.
  await page.reload();
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Reception', exact: true })).toHaveCount(0);
});

test('a wrong password is refused with a message', async ({ page }) => {
  await signInThroughForm(page, 'admin', 'not-the-password');
  await expect(page.getByRole('alert')).toContainText(/wrong username or password|too many/i);
  await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toHaveCount(0);
});
