/**
 * Real-firmware journeys: a wrongN phone says how many attempts are left (and LineDeck sends the
 * refused password once), an admin adds a session-only phone with Sign-in "Detect", the hook token is
 * rotated, and a session phone's DND shows on the console. Each test starts its own simulated phone
 * with the firmware profile it needs and removes it again, so the stack phones stay as they are.
 */
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';

async function addPhone(
  adminApi: APIRequestContext,
  data: { name: string; host: string; passcode: string; auth?: string; model?: string },
): Promise<string> {
  const created = await adminApi.post('/api/phones', { data });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function phoneIdByName(page: Page, name: string): Promise<string | undefined> {
  const phones = (await (await page.request.get('/api/phones')).json()) as { id: string; name: string }[];
  return phones.find((p) => p.name === name)?.id;
}

/** Wrong passwords the phone has counted since its last right one (its lockout counter). */
function failures(phone: SimPhone): number {
  return phone.snapshot().passcode.failures;
}

test('a wrongN phone says "wrong password, 4 attempts left"; Test connection tries once more', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    firmwareProfile: 'passcode-wrongn',
    adminPasscode: 'right-pass-8',
    lockoutMs: 1000,
  });
  const name = `Counting phone ${Date.now()}`;
  let id: string | undefined;
  try {
    id = await addPhone(adminApi, { name, host: `127.0.0.1:${phone.port}`, passcode: 'wrong-pass-8' });

    // The poller's one try: the card quotes the phone, and says LineDeck stopped.
    await page.goto('/');
    const card = page.getByRole('article', { name });
    await expect(card.getByText('Unauthorized', { exact: true })).toBeVisible();
    await expect(card).toContainText('The phone said: wrong password, 4 attempts left.');
    await expect(card).toContainText('LineDeck stopped trying until the password is changed');

    await page.getByRole('link', { name, exact: true }).click();
    const health = page.getByRole('region', { name: 'Phone health' });
    await expect(health).toContainText('The phone said: wrong password, 4 attempts left.');
    await expect(health).toContainText('Test connection is pressed');
    // Stopped means stopped: the phone was asked once, however long the console stays open.
    expect(failures(phone)).toBe(1);

    // Test connection sends the password once more: one more attempt gone, said as the phone counts it.
    await health.getByRole('button', { name: 'Test connection' }).click();
    await expect(health).toContainText('wrong password, 3 attempts left');
    expect(failures(phone)).toBe(2);

    // The settings row and its Test connection say the same.
    await page.goto('/settings/phones');
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toContainText('Wrong password, 3 attempts left');
    await page.getByRole('button', { name: `Test connection to ${name}` }).click();
    const diagnosis = page.getByRole('region', { name: `Connection test of ${name}` });
    await expect(diagnosis).toContainText('needs attention');
    await expect(diagnosis).toContainText('wrong password, 2 attempts left');
    expect(failures(phone)).toBe(3);

    // The wall tile says it too, in words a room can read.
    await page.goto('/wall');
    const tile = page.getByRole('article', { name });
    await expect(tile).toContainText('Wrong password, 2 attempts left');
    await expect(tile).toContainText('LineDeck stopped trying');
    expect(failures(phone)).toBe(3);
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('an admin adds a session-only phone with Sign-in "Detect": online, with its firmware', async ({
  page,
  adminApi,
}) => {
  const firmware = '1.0.7.12';
  const phone = await startPhone({
    port: 0,
    model: 'GRP2601',
    firmware,
    firmwareProfile: 'session',
    adminPasscode: 'Lbl-7Qx2-random',
  });
  const name = `Label password ${Date.now()}`;
  try {
    await page.goto('/settings/phones');
    const add = page.getByRole('region', { name: 'Add a phone' });
    await add.getByLabel('Name', { exact: true }).fill(name);
    await add.getByLabel('Address').fill(`127.0.0.1:${phone.port}`);
    const detect = add.getByRole('radio', { name: 'Detect' });
    await expect(add.getByRole('radio', { name: 'Passcode' })).toBeChecked();
    await expect(detect).toHaveAccessibleDescription(/then one web login/);
    await detect.check();
    await expect(add.getByLabel('Username')).toHaveValue('admin');
    await add.getByLabel('Password').fill('Lbl-7Qx2-random');
    await add.getByRole('button', { name: 'Add phone' }).click();

    const diagnosis = page.getByRole('region', { name: `Connection test of ${name}` });
    await expect(diagnosis).toContainText('answers and accepts LineDeck');
    await expect(diagnosis).toContainText('Signed in with Web session');
    await expect(diagnosis).toContainText(`Firmware ${firmware}`);

    // The table keeps what worked, and the phone is online with its firmware.
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await expect(row).toContainText('Web session');
    await expect(row).toContainText(firmware);
    await expect(row.getByText('Available', { exact: true })).toBeVisible({ timeout: 10_000 });

    await page.goto('/');
    await expect(page.getByRole('article', { name }).getByText('Available', { exact: true })).toBeVisible();
  } finally {
    const id = await phoneIdByName(page, name);
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('Rotate token asks first, then shows a new Action URL; pushes to it are trusted', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({ port: 0, model: 'GRP2602', adminPasscode: 'token-pass-3' });
  const name = `Token phone ${Date.now()}`;
  let id: string | undefined;
  try {
    id = await addPhone(adminApi, { name, host: `127.0.0.1:${phone.port}`, passcode: 'token-pass-3' });
    await page.goto('/settings/phones');
    await page.getByRole('button', { name: `Faster updates for ${name}` }).click();
    const panel = page.getByRole('region', { name: `Faster updates for ${name}` });
    await expect(panel).toContainText('secret token');
    await expect(panel).toContainText('No trusted push yet.');
    const field = panel.getByRole('textbox', { name: `Action URL for ${name}` });
    await expect(field).toHaveValue(new RegExp(`/hooks/action-url/${id}`));
    const before = await field.inputValue();

    // Cancel changes nothing.
    await panel.getByRole('button', { name: `Rotate token for ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Rotate the token of ${name}?` });
    await expect(dialog).toContainText('stops being trusted');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(field).toHaveValue(before);

    await panel.getByRole('button', { name: `Rotate token for ${name}` }).click();
    await dialog.getByRole('button', { name: 'Rotate token' }).click();
    await expect(dialog).toBeHidden();
    await expect(field).not.toHaveValue(before);
    await expect(field).toHaveValue(new RegExp(`/hooks/action-url/${id}`));
    const after = await field.inputValue();
    const details = (await (await adminApi.get(`/api/phones/${id}`)).json()) as {
      actionUrl: { url: string };
    };
    expect(details.actionUrl.url).toBe(after);

    // The phone pushes to the new URL: the push is trusted.
    const settings = await page.request.patch(`${phone.url}/sim/settings`, {
      data: { actionUrls: { incoming: `${after}${after.includes('?') ? '&' : '?'}event=incoming` } },
    });
    expect(settings.ok(), await settings.text()).toBe(true);
    await page.request.post(`${phone.url}/sim/ring`, { data: { number: '5550144', name: 'Trusted Caller' } });
    await expect(panel).toContainText(/Last trusted push \(with the token\) \d+ s ago/, { timeout: 8000 });
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('DND at the desk of a session phone shows on console, card and wall; a trusted push updates it', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    firmwareProfile: 'session',
    adminPasscode: 'dnd-pass-5',
  });
  const desk = (on: boolean) => page.request.post(`${phone.url}/sim/dnd`, { data: { on } });
  const name = `Quiet desk ${Date.now()}`;
  let id: string | undefined;
  try {
    // The person at the desk pressed DND before LineDeck knew the phone: the session's config API says so.
    expect((await desk(true)).ok()).toBe(true);
    id = await addPhone(adminApi, {
      name,
      host: `127.0.0.1:${phone.port}`,
      passcode: 'dnd-pass-5',
      auth: 'session',
    });
    await page.goto('/');
    await expect(
      page.getByRole('article', { name }).getByText('Do not disturb', { exact: true }),
    ).toBeVisible({
      timeout: 10_000,
    });
    await page.getByRole('link', { name, exact: true }).click();
    const header = page.getByRole('heading', { level: 1, name }).locator('..');
    // DND is the status itself: an available phone that turns callers away never says "Available".
    await expect(header.getByText('Do not disturb', { exact: true })).toBeVisible();
    await expect(header.getByText('Available', { exact: true })).toHaveCount(0);

    // The phone pushes its DND changes to the trusted Action URL: LineDeck shows them at once.
    const details = (await (await adminApi.get(`/api/phones/${id}`)).json()) as {
      actionUrl: { url: string };
    };
    const url = details.actionUrl.url;
    const settings = await page.request.patch(`${phone.url}/sim/settings`, {
      data: {
        actionUrls: {
          dnd_on: `${url}?event=dnd_on`,
          dnd_off: `${url}?event=dnd_off`,
          forward_on: `${url}?event=forward_on`,
        },
      },
    });
    expect(settings.ok(), await settings.text()).toBe(true);
    expect((await desk(false)).ok()).toBe(true);
    await expect(header.getByText('Do not disturb', { exact: true })).toHaveCount(0);
    await expect(header.getByText('Available', { exact: true })).toBeVisible();

    // The wall: short enough to read across the room, in full for screen readers.
    await page.goto('/wall');
    const tile = page.getByRole('article', { name });
    await expect(tile.getByText('Available', { exact: true })).toBeVisible();
    await expect(tile.getByText('DND', { exact: true })).toHaveCount(0);
    expect((await desk(true)).ok()).toBe(true);
    await expect(tile.getByText('DND', { exact: true })).toBeVisible();
    await expect(tile.getByText('Do not disturb', { exact: true })).toBeAttached();

    // Forward set at the desk: a push says only "on" (no number), and the wall says no more than that.
    const forward = await page.request.post(`${phone.url}/sim/forward`, {
      data: { mode: 'always', number: '2000' },
    });
    expect(forward.ok(), await forward.text()).toBe(true);
    await expect(tile.getByText('Fwd on', { exact: true })).toBeVisible();
    await expect(tile.getByText('Forwarding on', { exact: true })).toBeAttached();
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('Enable Click-To-Dial from the connection test of a session phone, after a confirmation', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    firmwareProfile: 'session',
    adminPasscode: 'ctd-pass-2',
  });
  phone.updateSettings({ clickToDial: false });
  const name = `Click desk ${Date.now()}`;
  let id: string | undefined;
  try {
    id = await addPhone(adminApi, {
      name,
      host: `127.0.0.1:${phone.port}`,
      passcode: 'ctd-pass-2',
      auth: 'session',
    });
    await page.goto('/settings/phones');
    await page.getByRole('button', { name: `Test connection to ${name}` }).click();
    const diagnosis = page.getByRole('region', { name: `Connection test of ${name}` });
    const enable = diagnosis.getByRole('button', { name: 'Enable Click-To-Dial' });
    await expect(enable).toBeVisible();

    // Cancel changes nothing on the phone.
    await enable.click();
    const dialog = page.getByRole('dialog', { name: `Enable Click-To-Dial on ${name}?` });
    await expect(dialog).toContainText('Click-To-Dial Feature');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(phone.snapshot().settings.clickToDial).toBe(false);

    await enable.click();
    await dialog.getByRole('button', { name: 'Enable', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`Click-To-Dial is on for ${name}.`)).toBeVisible();
    expect(phone.snapshot().settings.clickToDial).toBe(true);
    // The test runs again by itself: the fix is gone, the check is OK.
    await expect(diagnosis.getByRole('listitem').filter({ hasText: 'Click-To-Dial' })).toContainText('OK');
    await expect(enable).toHaveCount(0);
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});
