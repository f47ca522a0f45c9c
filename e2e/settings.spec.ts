import { fileURLToPath } from 'node:url';
import { startPhone } from '@linedeck/phone-sim';
import type { Browser, Page } from '@playwright/test';
import { BASE_URL, expect, signInThroughForm, stackPhone, test } from './fixtures/test.ts';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

async function freshPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  return { page: await context.newPage(), close: () => context.close() };
}

async function phoneIdByName(page: Page, name: string): Promise<string | undefined> {
  const phones = (await (await page.request.get('/api/phones')).json()) as { id: string; name: string }[];
  return phones.find((p) => p.name === name)?.id;
}

test('adding a phone with a wrong passcode shows the diagnosis; editing and testing fix it; remove', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    adminPasscode: 'right-pass-42',
    lockoutMs: 1000,
  });
  const name = `Front desk ${Date.now()}`;
  try {
    await page.goto('/');
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const add = page.getByRole('region', { name: 'Add a phone' });
    await add.getByLabel('Name', { exact: true }).fill(name);
    await add.getByLabel('Address').fill(`127.0.0.1:${phone.port}`);
    await add.getByLabel('Model').selectOption('GRP2614');
    await add.getByLabel('Password').fill('wrong-pass-1');
    await add.getByRole('button', { name: 'Add phone' }).click();

    // The new phone is tested at once: the wrong passcode is named, with what to do.
    const diagnosis = page.getByRole('region', { name: `Connection test of ${name}` });
    await expect(diagnosis).toBeVisible();
    await expect(diagnosis).toContainText('needs attention');
    await expect(diagnosis.getByRole('listitem').filter({ hasText: 'Passcode accepted' })).toContainText(
      'failed',
    );
    await expect(diagnosis).toContainText('refused the passcode');
    await expect(diagnosis).toContainText('Click-To-Dial');
    await expect(add.getByLabel('Name', { exact: true })).toHaveValue('');

    // Edit: the password is write-only (never prefilled); the right one makes the test pass.
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${name}` });
    await expect(dialog.getByLabel('Password')).toHaveValue('');
    await expect(dialog.getByLabel('Address')).toHaveValue(`127.0.0.1:${phone.port}`);
    await dialog.getByLabel('Password').fill('right-pass-42');
    // Off by default; on an http:// address it changes nothing, but it is stored with the phone.
    const selfSigned = dialog.getByLabel("Accept the phone's self-signed HTTPS certificate");
    await expect(selfSigned).not.toBeChecked();
    await selfSigned.check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const saved = await adminApi.get(`/api/phones/${await phoneIdByName(page, name)}`);
    expect(await saved.json()).toMatchObject({ allowSelfSigned: true });
    await page.getByRole('button', { name: `Test connection to ${name}` }).click();
    await expect(diagnosis).toContainText('answers and accepts LineDeck');

    // CTI switched off on the phone: the advice names the vendor's menu path and fields.
    phone.updateSettings({ ctiEnabled: false });
    await page.getByRole('button', { name: `Test connection to ${name}` }).click();
    const cti = diagnosis.getByRole('listitem').filter({ hasText: 'CTI enabled' });
    await expect(cti).toContainText('failed');
    await expect(cti).toContainText('Network → Remote Control');
    await expect(cti).toContainText('Action URI Support');
    await expect(cti).toContainText('Action URI Allowed IP List');

    await page.getByRole('button', { name: `Remove ${name}` }).click();
    await page
      .getByRole('dialog', { name: `Remove ${name}?` })
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0);
    expect(await phoneIdByName(page, name)).toBeUndefined();
  } finally {
    const id = await phoneIdByName(page, name);
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('Faster updates shows the phone\'s Action URL, and "last push" follows the phone\'s pushes', async ({
  page,
  adminApi,
  context,
}) => {
  const phone = await startPhone({ port: 0, model: 'GRP2602', adminPasscode: 'push-pass-7' });
  const name = `Pushing phone ${Date.now()}`;
  let id: string | undefined;
  try {
    const created = await adminApi.post('/api/phones', {
      data: { name, host: `127.0.0.1:${phone.port}`, passcode: 'push-pass-7', model: 'GRP2602' },
    });
    expect(created.status(), await created.text()).toBe(201);
    id = ((await created.json()) as { id: string }).id;

    await page.goto('/settings/phones');
    const toggle = page.getByRole('button', { name: `Faster updates for ${name}` });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('region', { name: `Faster updates for ${name}` });
    const field = panel.getByRole('textbox', { name: `Action URL for ${name}` });
    await expect(field).toHaveValue(new RegExp(`/hooks/action-url/${id}/[A-Za-z0-9_-]+$`));
    const url = await field.inputValue();
    await expect(panel).toContainText('Settings → Action URL');
    for (const event of ['Incoming Call', 'Established', 'Terminated', 'Missed Call']) {
      await expect(panel.getByRole('row').filter({ hasText: event })).toBeVisible();
    }
    await expect(panel.getByRole('button', { name: `Copy the Incoming Call URL for ${name}` })).toBeVisible();
    await expect(panel).toContainText('No push received yet: updates come from polling every second.');

    // Copy puts the URL on the clipboard.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
    await panel.getByRole('button', { name: `Copy Action URL for ${name}` }).click();
    const copied = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toBe(url);

    // The phone is set to push on an incoming call (as an admin would in its web interface), and rings.
    const settings = await page.request.patch(`http://127.0.0.1:${phone.port}/sim/settings`, {
      data: { actionUrls: { incoming: `${url}?event=incoming` } },
    });
    expect(settings.ok(), await settings.text()).toBe(true);
    const ring = await page.request.post(`http://127.0.0.1:${phone.port}/sim/ring`, {
      data: { number: '5550123', name: 'Push Caller' },
    });
    expect(ring.ok()).toBe(true);
    await expect(panel).toContainText(/Last push \d+ s ago/, { timeout: 8000 });
    const details = (await (await adminApi.get(`/api/phones/${id}`)).json()) as {
      actionUrl: { lastReceivedAt: string | null };
    };
    expect(details.actionUrl.lastReceivedAt).not.toBeNull();

    await toggle.click();
    await expect(panel).toHaveCount(0);
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

test('a new user signs in with the assigned role and sees only what it may', async ({
  page,
  browser,
  adminApi,
}) => {
  const username = `clerk-${Date.now()}`;
  const clerk = await freshPage(browser);
  try {
    await page.goto('/settings/users');
    const form = page.getByRole('region', { name: 'Create a user' });
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill('clerk-password-1');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('group', { name: 'Assigned phones' }).getByLabel('Warehouse').check();
    await form.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByRole('row').filter({ hasText: username });
    await expect(row).toContainText('Warehouse');
    await expect(row.getByLabel(`Role of ${username}`)).toHaveValue('viewer');

    // The viewer of one phone: its console, no controls, no settings, no other phone.
    await signInThroughForm(clerk.page, username, 'clerk-password-1');
    await expect(clerk.page.getByRole('heading', { level: 1, name: 'Warehouse' })).toBeVisible();
    await expect(clerk.page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
    await expect(clerk.page.getByRole('textbox', { name: 'Number', exact: true })).toHaveCount(0);
    await clerk.page.getByRole('link', { name: 'All phones' }).click();
    await expect(clerk.page.getByRole('article')).toHaveCount(1);
    await expect(clerk.page.getByRole('article', { name: 'Warehouse' })).toBeVisible();
    await clerk.page.goto('/settings/users');
    await expect(clerk.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    expect((await clerk.page.request.get('/api/users')).status()).toBe(403);

    // Promoted to operator: the dialer appears on the next load.
    await row.getByLabel(`Role of ${username}`).selectOption('operator');
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
      `${username} is now Operator`,
    );
    await clerk.page.goto('/');
    await expect(clerk.page.getByRole('heading', { level: 1, name: 'Warehouse' })).toBeVisible();
    await expect(clerk.page.getByRole('textbox', { name: 'Number', exact: true })).toBeVisible();

    // Disabled: signed out at once.
    await row.getByRole('button', { name: `Disable ${username}` }).click();
    await expect(row).toContainText('Disabled');
    await clerk.page.reload();
    await expect(clerk.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  } finally {
    await clerk.close();
    const users = (await (await adminApi.get('/api/users')).json()) as { id: string; username: string }[];
    const id = users.find((u) => u.username === username)?.id;
    if (id) await adminApi.delete(`/api/users/${id}`);
  }
});

test('display keys and API tokens are shown once, listed and revoked', async ({ page, browser }) => {
  const stamp = Date.now();
  const screen = await freshPage(browser);
  try {
    await page.goto('/settings/access');
    await page.getByLabel('Display name').fill(`Lobby ${stamp}`);
    await page.getByRole('button', { name: 'Create display key' }).click();
    const link = page.getByLabel(`Wall link for Lobby ${stamp}`);
    await expect(link).toHaveValue(new RegExp(`^${BASE_URL}/wall\\?key=ldk_`));
    const url = await link.inputValue();
    await expect(page.getByRole('row').filter({ hasText: `Lobby ${stamp}` })).toContainText('All phones');

    await screen.page.goto(url);
    await expect(screen.page.getByRole('article', { name: 'Reception' })).toBeVisible();

    await page.getByRole('button', { name: `Revoke Lobby ${stamp}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke display key Lobby ${stamp}?` })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await expect(page.getByRole('row').filter({ hasText: `Lobby ${stamp}` })).toHaveCount(0);
    await expect(screen.page.getByRole('heading', { name: 'This wall display is signed out' })).toBeVisible();

    await page.getByLabel('Token name').fill(`Script ${stamp}`);
    await page.getByLabel('Token role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create API token' }).click();
    const secret = await page.getByLabel(`API token Script ${stamp}`).inputValue();
    expect(secret).toMatch(/^ldt_/);
    const headers = { Authorization: `Bearer ${secret}` };
    expect((await screen.page.request.get('/api/phones', { headers })).status()).toBe(200);
    await page.getByRole('region', { name: 'API tokens' }).getByRole('button', { name: 'Done' }).click();
    await expect(page.getByLabel(`API token Script ${stamp}`)).toHaveCount(0);

    await page.getByRole('button', { name: `Revoke Script ${stamp}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke API token Script ${stamp}?` })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await expect(page.getByRole('row').filter({ hasText: `Script ${stamp}` })).toHaveCount(0);
    expect((await screen.page.request.get('/api/phones', { headers })).status()).toBe(401);
  } finally {
    await screen.close();
  }
});

test('the audit log filters by phone and user', async ({ page, adminApi, sim }) => {
  const reception = stackPhone('Reception');
  const id = await phoneIdByName(page, 'Reception');
  await sim.ring(reception, '5550177', 'Audit Caller');
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('ringing');
  await expect
    .poll(async () => {
      const response = await adminApi.post(`/api/phones/${id}/operations`, {
        data: { command: 'rejectcall', line: 1 },
      });
      return response.status();
    })
    .toBe(200);

  await page.goto('/settings/audit');
  await page.getByLabel('Phone').selectOption({ label: 'Reception' });
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'rejectcall' }).first()).toBeVisible();
  // Every row shown is Reception's.
  const phones = await page.getByRole('table').locator('tbody tr td:nth-child(4)').allTextContents();
  expect(phones.length).toBeGreaterThan(0);
  expect(new Set(phones)).toEqual(new Set(['Reception']));
  await page.getByLabel('User').selectOption({ label: 'admin' });
  await expect(rows.filter({ hasText: 'rejectcall' }).first()).toBeVisible();
  await page.getByLabel('From').fill('2099-01-01T00:00');
  await expect(page.getByText('Nothing recorded for these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows.nth(1)).toBeVisible();
});

test.describe('accessibility', () => {
  // Injecting axe is an inline script, which the server's CSP forbids: allowed for this check only.
  test.use({ bypassCSP: true });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`settings, setup guide and wall have no serious violation (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      for (const [path, heading] of [
        ['/settings/phones', 'Settings'],
        ['/settings/users', 'Settings'],
        ['/settings/access', 'Settings'],
        ['/settings/audit', 'Settings'],
        ['/setup-guide', 'Setting up a phone for LineDeck'],
        ['/wall', 'Wall display'],
      ] as const) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeAttached();
        // Let the page's data arrive (polling and the event stream never let the network go idle).
        await page.waitForTimeout(500);
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const { axe } = globalThis as unknown as {
            axe: {
              run: () => Promise<{
                violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
              }>;
            };
          };
          return (await axe.run()).violations;
        });
        const serious = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${path}: ${v.id} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
        expect(serious).toEqual([]);
      }
    });
  }
});
