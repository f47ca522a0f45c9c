import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

test('a phone whose passcode is wrong shows "unauthorized" with advice', async ({ page }) => {
  await page.goto('/');
  const card = page.getByRole('article', { name: 'Locked out' });
  await expect(card.getByText('Unauthorized', { exact: true })).toBeVisible();
  // The guide's firmware answers a bare 401: no count of attempts, so the words are general.
  await expect(card).toContainText(
    'The phone said: password refused, or this server is not in the allowed IP list.',
  );
  await expect(card).toContainText('LineDeck stopped trying until the password is changed');

  await openConsole(page, 'Locked out');
  const health = page.getByRole('region', { name: 'Phone health' });
  await expect(health).toContainText('The phone said: password refused');
  await expect(health).toContainText('Test connection is pressed');
  await expect(health.getByRole('button', { name: 'Test connection' })).toBeVisible();
});

test('Reboot asks first, then shows the phone offline and back', async ({ page, sim }) => {
  test.setTimeout(60_000);
  const sales = stackPhone('Sales desk');
  await openConsole(page, 'Sales desk');
  const status = page.getByRole('main').getByText(/^(Available|Offline)$/);
  await expect(status).toHaveText('Available');

  await page.getByRole('button', { name: 'Reboot', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Reboot Sales desk?' });
  await expect(dialog).toBeVisible();
  // Cancel changes nothing.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await sim.state(sales)).down).toBe(false);

  await page.getByRole('button', { name: 'Reboot', exact: true }).click();
  await dialog.getByRole('button', { name: 'Reboot now' }).click();
  await expect(dialog).toBeHidden();
  await expect(status).toHaveText('Offline', { timeout: 10_000 });
  await expect(status).toHaveText('Available', { timeout: 40_000 });
});
