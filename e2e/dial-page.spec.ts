import { ADMIN_PASSWORD } from './fixtures/stack-config.ts';
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

test('a tel: link opens /dial, which dials nothing until Call, then dials from the chosen phone', async ({
  page,
  sim,
}) => {
  await sim.clearLog(reception);
  await page.goto(`/dial?number=${encodeURIComponent('tel:+49-30-1234567')}`);
  const panel = page.getByRole('region', { name: 'Number to call' });
  await expect(panel.getByText('Dials +49301234567')).toBeVisible();
  await page.getByLabel('Call from').selectOption({ label: 'Reception · Available' });

  // Several polls pass with the page open: opening it must have sent no call to the phone.
  await page.waitForTimeout(1500);
  const dialled = async () =>
    (await sim.log(reception)).filter((e) => e.function === 'api-make_call').map((e) => e.params.phonenumber);
  expect(await dialled()).toEqual([]);
  expect((await sim.line(reception, 1))?.state).toBe('idle');

  await panel.getByRole('button', { name: 'Call' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.remoteNumber).toBe('+49301234567');
  expect(await dialled()).toHaveLength(1);
});

test('a sip: address dials its user part; a name instead of a number offers no Call', async ({ page }) => {
  await page.goto(`/dial?number=${encodeURIComponent('sip:2001@pbx.example;user=phone')}`);
  await expect(page.getByText('Dials 2001')).toBeVisible();

  await page.goto(`/dial?number=${encodeURIComponent('sip:alice@pbx.example')}`);
  await expect(page.getByRole('alert')).toContainText('cannot be called');
  await expect(page.getByRole('button', { name: 'Call' })).toHaveCount(0);
});

test('a signed-out visitor signs in and lands on the same /dial page', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`/dial?number=${encodeURIComponent('callto:+12025550100')}`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Dials +12025550100')).toBeVisible();
  await context.close();
});

test('screen pop: set on the Account page, it opens the CRM address with the caller when a call rings', async ({
  page,
  sim,
  adminApi,
}) => {
  await page.goto('/account');
  await page.getByLabel('Address to open for a call').fill('javascript:alert({number})');
  await expect(page.getByText('Only http:// and https:// addresses open.')).toBeVisible();
  await page
    .getByLabel('Address to open for a call')
    .fill(`http://127.0.0.1:${reception.port}/crm?phone={number}&name={name}`);
  await page.getByRole('button', { name: 'Save screen pop' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Screen pop saved.');

  await openConsole(page, 'Reception');
  const popup = page.waitForEvent('popup');
  await sim.ring(reception, '+4930555123', 'Ada & Co');
  const opened = await popup;
  expect(opened.url()).toBe(`http://127.0.0.1:${reception.port}/crm?phone=%2B4930555123&name=Ada%20%26%20Co`);
  await opened.close();
  await adminApi.put('/api/account/screen-pop', { data: { template: null, openOn: 'ringing' } });
});
