/**
 * Another site cannot swap a signed-in user's session for a display session by sending the browser to
 * a wall link: in Chromium, a link on another site's page to `/wall?key=...` shows LineDeck's own page
 * with a button, the user stays signed in, and only the button (a same-origin navigation) opens the wall.
 */
import { BASE_URL, expect, signInThroughForm, test } from './fixtures/test.ts';

const EVIL = 'http://evil.example';

test('a wall link opened from another site leaves the signed-in user signed in', async ({
  browser,
  adminApi,
}) => {
  const username = `cross-site-${Date.now()}`;
  const password = 'Quiet-harbor-lantern-58';
  const user = await adminApi.post('/api/users', {
    data: { username, password, role: 'viewer', phoneIds: [] },
  });
  expect(user.status(), await user.text()).toBe(201);
  const userId = ((await user.json()) as { id: string }).id;
  const made = await adminApi.post('/api/display-keys', {
    data: { name: `cross-${Date.now()}`, phoneIds: [] },
  });
  expect(made.status(), await made.text()).toBe(201);
  const key = (await made.json()) as { id: string; secret: string };
  const link = `${BASE_URL}/wall?key=${encodeURIComponent(key.secret)}&theme=dark`;

  // A fresh browser (not the shared admin session, which the button below would end).
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  // Another site's page, served by Playwright: Chromium navigates from it as from any cross-site page.
  await context.route(`${EVIL}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<a href="${link}">See the prize</a>` }),
  );
  const whoAmI = async () =>
    ((await (await context.request.get('/api/session')).json()) as { user?: { username: string } }).user
      ?.username;
  try {
    const page = await context.newPage();
    await signInThroughForm(page, username, password);
    await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
    expect(await whoAmI()).toBe(username);

    await page.goto(`${EVIL}/`);
    await page.getByRole('link', { name: 'See the prize' }).click();
    await expect(page.getByRole('heading', { name: 'Open this wall display?' })).toBeVisible();
    expect(await whoAmI()).toBe(username);

    // The person meant it: one click from LineDeck's own page opens the wall, with its view options.
    await page.getByRole('button', { name: 'Open the wall display' }).click();
    await expect(page).toHaveURL(`${BASE_URL}/wall?theme=dark`);
    expect(await whoAmI()).toMatch(/^display:/);
  } finally {
    await context.close();
    await adminApi.delete(`/api/display-keys/${key.id}`);
    await adminApi.delete(`/api/users/${userId}`);
  }
});
