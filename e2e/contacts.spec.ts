import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

/** Contacts this spec made, removed after each test so runs do not pile up. */
const created: string[] = [];

test.afterEach(async ({ adminApi }) => {
  for (const id of created.splice(0)) await adminApi.delete(`/api/contacts/${id}`);
});

async function addContact(
  adminApi: import('@playwright/test').APIRequestContext,
  body: { name: string; number: string; company?: string },
) {
  const res = await adminApi.post('/api/contacts', { data: body });
  expect(res.status(), await res.text()).toBe(201);
  const contact = (await res.json()) as { id: string };
  created.push(contact.id);
  return contact;
}

test('a caller whose number is a contact is shown by the contact name within 2 s', async ({
  page,
  adminApi,
  request,
}) => {
  const name = `Ada Lovelace ${Date.now()}`;
  await page.goto('/contacts');
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add contact' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Number').fill('030 1234567');
  await dialog.getByLabel('Company').fill('Analytical Engines');
  await dialog.getByRole('button', { name: 'Add contact' }).click();
  await expect(dialog).toBeHidden();
  const item = page.getByRole('listitem', { name });
  // Shown grouped, as people read it (the one number model).
  await expect(item).toContainText('030 1234567');
  const found = await adminApi.get(`/api/contacts?q=${encodeURIComponent(name)}`);
  created.push(...((await found.json()) as { contacts: { id: string }[] }).contacts.map((c) => c.id));

  await openConsole(page, 'Reception');
  // The phone shows no name of its own: the server matches +49 30 1234567 to the contact's 030 1234567.
  await request.post(`http://127.0.0.1:${reception.port}/sim/ring`, { data: { number: '+49301234567' } });
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await expect(line.getByText(name)).toBeVisible({ timeout: 2000 });
  await expect(line.getByText('Analytical Engines · +49301234567')).toBeVisible();
});

test('Call on the Contacts page dials the contact from the chosen phone', async ({ page, adminApi, sim }) => {
  const name = `Grace Hopper ${Date.now()}`;
  await addContact(adminApi, { name, number: '+1 202 555 0100' });
  await page.goto('/contacts');
  await page.getByLabel('Search contacts').fill(name);
  await page.getByLabel('Call from').selectOption({ label: 'Reception · Available' });
  await page.getByRole('button', { name: `Call ${name}` }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.remoteNumber).toBe('+12025550100');
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Calling +12025550100');
});

test('a call list dials the first number, then offers and dials the next once the far end hangs up', async ({
  page,
  sim,
}) => {
  await openConsole(page, 'Reception');
  const panel = page.getByRole('region', { name: 'Call list' });
  const numbers = panel.getByLabel('Calls to make, one per line');
  await numbers.fill('2001\nnot a number\nBob, 2002');
  await panel.getByRole('button', { name: 'Add to list' }).click();
  await expect(panel.getByRole('alert')).toContainText('“not a number”');
  await expect(numbers).toHaveValue('not a number');
  await numbers.fill('');
  const list = panel.getByRole('list', { name: 'Numbers in the call list' });
  await expect(list.getByRole('listitem')).toHaveCount(2);

  await panel.getByRole('button', { name: 'Call next: 2001' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.remoteNumber).toBe('2001');
  await expect(list.getByRole('listitem').first()).toContainText('Current');
  const next = panel.getByRole('button', { name: 'Call next: Bob' });
  await expect(next).toHaveAttribute('aria-disabled', 'true');
  await expect(panel.getByText('The next call is offered when the phone’s lines are free.')).toBeVisible();

  await sim.post(reception, '/sim/answer', { line: 1 });
  await sim.post(reception, '/sim/hangup', { line: 1 });
  await expect(next).not.toHaveAttribute('aria-disabled', 'true');
  await expect(list.getByRole('listitem').first()).toContainText('Done');
  await next.click();
  await expect.poll(async () => (await sim.line(reception, 1))?.remoteNumber).toBe('2002');
  await expect(panel.getByText('The list is done.')).toBeVisible();
  await panel.getByRole('button', { name: 'Clear list' }).click();
});
