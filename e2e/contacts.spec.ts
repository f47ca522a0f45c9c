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
