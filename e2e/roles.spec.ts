import { expect, openConsole, signInThroughForm, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

test.use({ signedIn: false });

test('a viewer sees the phones and their calls, but no controls', async ({ page, adminApi, sim }) => {
  const username = `viewer-${Date.now()}`;
  const password = 'viewer-password-1';
  const created = await adminApi.post('/api/users', {
    data: { username, password, role: 'viewer', phoneIds: [] },
  });
  expect(created.ok(), await created.text()).toBe(true);

  await sim.ring(reception, '5550100', 'Bob Viewer');
  await signInThroughForm(page, username, password);
  const changePassword = page.getByRole('heading', { name: 'Choose a new password' });
  const phones = page.getByRole('heading', { level: 1, name: 'Phones' });
  await expect(changePassword.or(phones)).toBeVisible();
  if (await changePassword.isVisible()) {
    await page.getByLabel('Current password').fill(password);
    await page.getByLabel('New password').fill('viewer-password-2');
    await page.getByLabel('Repeat new password').fill('viewer-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
  }
  await expect(page.getByText('Viewer', { exact: false }).first()).toBeVisible();

  await openConsole(page, 'Reception');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await expect(line.getByText('Bob Viewer')).toBeVisible();
  await expect(line.getByText('Ringing', { exact: true })).toBeVisible();

  // Nothing to act with: no line actions, no dialer, no keypad, no function keys, no system menu.
  const main = page.getByRole('main');
  for (const name of ['Answer', 'Reject', 'Call', '1', 'Speaker', 'Transfer', 'Reboot', 'Reset']) {
    await expect(main.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await expect(page.getByLabel('Number')).toHaveCount(0);
  // The only buttons on the page are the user's own (sign out).
  await expect(page.getByRole('button')).toHaveText(['Sign out']);
});
