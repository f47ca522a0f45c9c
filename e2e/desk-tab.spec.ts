/**
 * A ringing phone shows in the tab (title and favicon), and a hidden tab gets a notification that
 * carries Answer and Reject: shown by LineDeck's service worker, whose click handler is run with a
 * real notification and a real action (only the operating system's click itself is not a browser
 * thing Playwright can press).
 */
import type { Page } from '@playwright/test';
import { createUser, phoneIds, signedInAs } from './desk-support.ts';
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

/** The service worker's globals used here (the e2e tsconfig has no DOM or worker types). */
interface WorkerNotification {
  title: string;
  body: string;
  actions: { action: string; title: string }[];
}
interface WorkerScope {
  registration: { getNotifications: () => Promise<WorkerNotification[]> };
  dispatchEvent: (event: unknown) => void;
  NotificationEvent: new (
    type: string,
    init: { notification: WorkerNotification; action: string },
  ) => unknown;
}

const favicon = (page: Page) => page.locator('link[rel~="icon"]').getAttribute('href');

test('while a phone rings the tab title and favicon say so, and both come back after', async ({
  page,
  sim,
  adminApi,
}) => {
  // Missed calls of earlier journeys would count in the title: seen, so only this one counts.
  await adminApi.post('/api/calls/missed/seen', { data: { before: new Date().toISOString() } });
  await openConsole(page, 'Reception');
  await expect(page).toHaveTitle('Reception · LineDeck');
  const idleIcon = await favicon(page);

  await sim.ring(reception, '5550181', 'Ada Lovelace');
  await expect(page).toHaveTitle('Ringing: Ada Lovelace · LineDeck', { timeout: 3000 });
  expect(await favicon(page)).not.toBe(idleIcon);
  expect(await favicon(page)).toMatch(/^data:image\/svg\+xml,/);

  // Moving to another page while it rings: still ringing in the title.
  await page.getByRole('link', { name: 'All phones' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
  // An admin watches only the open console: away from it, the tab is quiet again.
  await expect(page).toHaveTitle('Phones · LineDeck');

  await page.goBack();
  await expect(page).toHaveTitle('Ringing: Ada Lovelace · LineDeck', { timeout: 3000 });
  await sim.post(reception, '/sim/hangup', { line: 1 });
  // The caller gave up: a missed call, counted before the page's title.
  await expect(page).toHaveTitle('(1) Reception · LineDeck', { timeout: 3000 });
  expect(await favicon(page)).toBe(idleIcon);
});

test('a hidden tab gets a notification with Answer and Reject; Answer answers that call', async ({
  browser,
  adminApi,
  sim,
}) => {
  const ids = await phoneIds(adminApi);
  const username = `desk-notify-${Date.now()}`;
  const userId = await createUser(adminApi, {
    username,
    password: 'desk-notify-pass-1',
    role: 'operator',
    phoneIds: [ids.get('Reception') ?? '', ids.get('Sales desk') ?? ''],
  });
  const { context, page } = await signedInAs(browser, username, 'desk-notify-pass-1', {
    permissions: ['notifications'],
  });
  try {
    await expect(page.getByRole('heading', { level: 1, name: 'Phones' })).toBeVisible();
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    expect(worker.url()).toMatch(/\/call-notifications-sw\.js$/);
    // The tab goes to the background (another window in front): what the browser then reports.
    await page.evaluate(() => {
      // The e2e tsconfig has no DOM types: the browser globals used here, typed by hand.
      const g = globalThis as unknown as {
        document: { dispatchEvent: (event: unknown) => void };
        Event: new (type: string) => unknown;
      };
      Object.defineProperty(g.document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      g.document.dispatchEvent(new g.Event('visibilitychange'));
    });

    await sim.ring(reception, '5550182', 'Grace Hopper');
    const shown = async () =>
      worker.evaluate(async () => {
        const scope = globalThis as unknown as WorkerScope;
        return (await scope.registration.getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          actions: n.actions.map((a) => a.title),
        }));
      });
    await expect.poll(shown, { timeout: 4000 }).toEqual([
      {
        title: 'Incoming call on Reception',
        body: 'Grace Hopper (5550182)',
        actions: ['Answer', 'Reject'],
      },
    ]);

    // The person presses Answer on the notification.
    await worker.evaluate(async () => {
      const scope = globalThis as unknown as WorkerScope;
      const [notification] = await scope.registration.getNotifications();
      if (!notification) throw new Error('no notification');
      scope.dispatchEvent(
        new scope.NotificationEvent('notificationclick', { notification, action: 'answer' }),
      );
    });
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
    await expect.poll(shown).toEqual([]);
  } finally {
    await context.close();
    await adminApi.delete(`/api/users/${userId}`);
  }
});
