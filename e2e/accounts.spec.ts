/**
 * Accounts in the browser: an admin turns on a second factor (QR code and key, a code confirms it,
 * recovery codes shown once), signs in with a code from the app, a recovery code works once; a weak new
 * password is refused with the estimator's advice shown as it is typed.
 */
import { generate } from 'otplib';
import { createUser, signedInAs } from './desk-support.ts';
import { expect, signInThroughForm, test } from './fixtures/test.ts';

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The code of the 30 s step after now: the step the enrolment used is spent (no code works twice). */
async function nextCode(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

test('an admin turns on TOTP, signs in with a code, and a recovery code works once', async ({
  adminApi,
  browser,
}) => {
  const username = `acc-admin-${stamp()}`;
  const password = 'Quiet-harbor-lantern-58';
  await createUser(adminApi, { username, password, role: 'admin', phoneIds: [] });
  const { context, page } = await signedInAs(browser, username, password);
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: /Your account/ })).toBeVisible();
    // This browser's session is listed, marked as the current one.
    await expect(page.getByRole('cell', { name: /this session/ })).toBeVisible();

    await page.getByRole('button', { name: 'Set up a second factor' }).click();
    await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByText(/not right/)).toBeVisible();
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect(codes).toHaveCount(10);
    const recovery = (await codes.first().textContent()) ?? '';
    await page.getByRole('button', { name: 'I saved them' }).click();
    await expect(page.getByText('Recovery codes left: 10.')).toBeVisible();

    // The password alone no longer signs in: a code from the app is asked next.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughForm(page, username, password);
    await expect(page.getByRole('heading', { name: 'Second step' })).toBeVisible();
    await page.getByLabel('Code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert')).toContainText('That code did not work');
    await page.getByLabel('Code').fill(await nextCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();

    // A recovery code signs in once.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughForm(page, username, password);
    await page.getByLabel('Code').fill(recovery);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInThroughForm(page, username, password);
    await page.getByLabel('Code').fill(recovery);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert')).toContainText('That code did not work');
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('a weak new password is refused, with the estimator feedback as it is typed', async ({
  adminApi,
  browser,
}) => {
  const username = `acc-op-${stamp()}`;
  const id = await createUser(adminApi, {
    username,
    password: 'first-password-1',
    role: 'operator',
    phoneIds: [],
  });
  const reset = await adminApi.patch(`/api/users/${id}`, { data: { password: 'temporary-pass-2' } });
  expect(reset.ok(), await reset.text()).toBe(true);
  const { context, page } = await signedInAs(browser, username, 'temporary-pass-2');
  try {
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await expect(page.getByTestId('password-strength')).toContainText('too easy to guess');
    await expect(page.getByTestId('password-strength')).toContainText('commonly used password');
    await page.getByLabel('Repeat new password').fill('password1234');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert')).toContainText('too easy to guess');
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();

    // The form asks for the current password again once the server has refused one.
    const current = page.getByLabel('Current password');
    if (await current.count()) await current.fill('temporary-pass-2');
    await page.getByLabel('New password', { exact: true }).fill('amber-tulip-orbit-93');
    await expect(page.getByTestId('password-strength')).toContainText('good');
    await page.getByLabel('Repeat new password').fill('amber-tulip-orbit-93');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('heading', { name: 'Choose a new password' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});
