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
    await page.getByLabel('New password', { exact: true }).fill('viewer-password-2');
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

test('an operator with one phone lands in its console, after choosing a new password when one was reset', async ({
  page,
  adminApi,
  sim,
}) => {
  const phones = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  const receptionId = phones.find((p) => p.name === 'Reception')?.id;
  expect(receptionId).toBeTruthy();
  const username = `operator-${Date.now()}`;
  const created = await adminApi.post('/api/users', {
    data: { username, password: 'first-password-1', role: 'operator', phoneIds: [receptionId] },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  // An admin's reset forces the user to choose their own password at the next sign-in.
  const reset = await adminApi.patch(`/api/users/${id}`, { data: { password: 'temporary-pass-2' } });
  expect(reset.ok(), await reset.text()).toBe(true);

  await signInThroughForm(page, username, 'temporary-pass-2');
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  // The temporary password was just typed: it is not asked again.
  await expect(page.getByLabel('Current password')).toHaveCount(0);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat new password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('A password has at least 12 characters.')).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('operator-own-pass-3');
  await page.getByLabel('Repeat new password').fill('operator-own-pass-3');
  await page.getByRole('button', { name: 'Change password' }).click();

  // Exactly one phone: straight into its console, with call control but no system menu.
  await expect(page.getByRole('heading', { level: 1, name: 'Reception' })).toBeVisible();
  await sim.ring(reception, '5550122', 'Grace Operator');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await expect(line.getByRole('button', { name: 'Answer' })).toBeVisible();
  await expect(page.getByLabel('Number')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reboot', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reset', exact: true })).toHaveCount(0);
  // "All phones" still shows the overview; on a phone that is not theirs an operator may look, not act.
  await page.getByRole('link', { name: 'All phones' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
  await page.getByRole('link', { name: 'Sales desk', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sales desk' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Line 1', exact: true })).toBeVisible();
  await expect(page.getByLabel('Number')).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('button')).toHaveCount(0);
});
