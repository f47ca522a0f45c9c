import type { APIRequestContext, Browser } from '@playwright/test';
import { BASE_URL, expect, signInThroughForm, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

/**
 * The pop-up is for phones other than the one on screen (that console's line shows the call): an
 * operator of Reception and Sales desk, at Sales desk's console, gets Reception's calls.
 */
async function operatorAtSalesDesk(browser: Browser, adminApi: APIRequestContext) {
  const phones = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  const ids = ['Reception', 'Sales desk'].map((name) => phones.find((p) => p.name === name)?.id);
  const username = `popup-desk-${Date.now()}`;
  const response = await adminApi.post('/api/users', {
    data: { username, password: 'popup-password-1', role: 'operator', phoneIds: ids },
  });
  expect(response.status(), await response.text()).toBe(201);
  const userId = ((await response.json()) as { id: string }).id;
  const { context, page } = await signedInAs(browser, username, 'popup-password-1');
  await page.getByRole('link', { name: 'Sales desk', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sales desk' })).toBeVisible();
  return {
    page,
    close: async () => {
      await context.close();
      await adminApi.delete(`/api/users/${userId}`);
    },
  };
}

test('the pop-up shows a ringing call without taking focus, and Answer connects it', async ({
  browser,
  adminApi,
  sim,
}) => {
  const { page, close } = await operatorAtSalesDesk(browser, adminApi);
  try {
    // Someone is typing a number when the call comes in: the pop-up must not take the keyboard.
    const number = page.getByRole('textbox', { name: 'Number', exact: true });
    await number.fill('55');
    await number.focus();

    await sim.ring(reception, '5550161', 'Margaret Hamilton');
    const popup = page.getByRole('dialog', { name: /Incoming call on Reception/ });
    await expect(popup).toBeVisible({ timeout: 2000 });
    await expect(popup).toContainText('Margaret Hamilton');
    await expect(popup).toContainText('5550161');
    await expect(number).toBeFocused();
    await page.keyboard.type('5');
    await expect(number).toHaveValue('555');

    await popup.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
    await expect(popup).toBeHidden();
  } finally {
    await close();
  }
});

test('the pop-up closes by itself when the caller hangs up, and Tab reaches it', async ({
  browser,
  adminApi,
  sim,
}) => {
  const { page, close } = await operatorAtSalesDesk(browser, adminApi);
  try {
    await sim.ring(reception, '5550162', 'Katherine Johnson');
    const popup = page.getByRole('dialog', { name: /Incoming call on Reception/ });
    await expect(popup).toBeVisible({ timeout: 2000 });

    // Keyboard users reach it right after the skip link, before anything else on the page.
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Tab');
    await expect(popup.getByRole('button', { name: 'Answer' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(popup.getByRole('button', { name: 'Reject' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(popup.getByRole('button', { name: 'Hide this call' })).toBeFocused();

    await sim.post(reception, '/sim/hangup', { line: 1 });
    await expect(popup).toBeHidden({ timeout: 3000 });
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
  } finally {
    await close();
  }
});

test('Reject on the pop-up rejects that line; Hide only hides it', async ({ browser, adminApi, sim }) => {
  const { page, close } = await operatorAtSalesDesk(browser, adminApi);
  try {
    await sim.ring(reception, '5550163', 'Dorothy Vaughan');
    const popup = page.getByRole('dialog', { name: /Incoming call on Reception/ });
    await popup.getByRole('button', { name: 'Hide this call' }).click();
    await expect(popup).toBeHidden();
    // Still ringing on the phone.
    expect((await sim.line(reception, 1))?.state).toBe('ringing');
    await sim.post(reception, '/sim/hangup', { line: 1 });
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');

    await sim.ring(reception, '5550164', 'Mary Jackson');
    await expect(popup).toContainText('Mary Jackson');
    await popup.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
    await expect(popup).toBeHidden();
  } finally {
    await close();
  }
});

test('without an open console, no pop-up for a phone the admin does not watch', async ({ page, sim }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
  await sim.ring(reception, '5550165', 'Nobody Watching');
  await expect(page.getByRole('article', { name: 'Reception' })).toContainText('Nobody Watching');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

async function signedInAs(browser: Browser, username: string, password: string) {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInThroughForm(page, username, password);
  return { context, page };
}

test('an operator gets the pop-up for an assigned phone on any page; a viewer gets none', async ({
  browser,
  adminApi,
  sim,
}) => {
  const phones = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  const receptionId = phones.find((p) => p.name === 'Reception')?.id;
  const stamp = Date.now();
  const created: string[] = [];
  const contexts: { close: () => Promise<void> }[] = [];
  try {
    for (const role of ['operator', 'viewer'] as const) {
      const response = await adminApi.post('/api/users', {
        data: {
          username: `popup-${role}-${stamp}`,
          password: 'popup-password-1',
          role,
          phoneIds: [receptionId],
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      created.push(((await response.json()) as { id: string }).id);
    }
    const operator = await signedInAs(browser, `popup-operator-${stamp}`, 'popup-password-1');
    contexts.push(operator.context);
    const viewer = await signedInAs(browser, `popup-viewer-${stamp}`, 'popup-password-1');
    contexts.push(viewer.context);
    for (const { page } of [operator, viewer]) {
      await expect(page.getByRole('heading', { level: 1, name: 'Reception' })).toBeVisible();
      await page.getByRole('link', { name: 'Setup guide' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /Setting up a phone/ })).toBeVisible();
    }

    await sim.ring(reception, '5550166', 'Assigned Caller');
    const popup = operator.page.getByRole('dialog', { name: /Incoming call on Reception/ });
    await expect(popup).toContainText('Assigned Caller', { timeout: 2000 });
    // The viewer may not answer: no pop-up at all, on its phone's console either.
    await expect(viewer.page.getByRole('dialog')).toHaveCount(0);
    await viewer.page.goto('/');
    await expect(viewer.page.getByRole('region', { name: 'Line 1', exact: true })).toContainText(
      'Assigned Caller',
    );
    await expect(viewer.page.getByRole('dialog')).toHaveCount(0);
    await expect(viewer.page.getByRole('button', { name: 'Answer' })).toHaveCount(0);

    await popup.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
    await expect(popup).toBeHidden();
  } finally {
    for (const context of contexts) await context.close();
    for (const id of created) await adminApi.delete(`/api/users/${id}`);
  }
});
