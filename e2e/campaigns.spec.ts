/**
 * Campaigns in the browser: an admin creates an automatic campaign from pasted numbers (a refused line
 * is shown with why), starts it, sees progress as the simulated far ends answer, pauses it, reads the
 * results and exports them; an agent works a preview call list from the console (Call, then Skip by key).
 */
import { fileURLToPath } from 'node:url';
import type { APIRequestContext } from '@playwright/test';
import { expect, openConsole, type Sim, stackPhone, test } from './fixtures/test.ts';

const sales = stackPhone('Sales desk');
const warehouse = stackPhone('Warehouse');

/** Campaigns this spec made: stopped and deleted after each test, so the phones are free for the next. */
async function removeCampaigns(api: APIRequestContext, match: (name: string) => boolean): Promise<void> {
  const list = (await (await api.get('/api/campaigns')).json()) as {
    campaigns: { id: string; name: string; state: string }[];
  };
  for (const c of list.campaigns.filter((c) => match(c.name))) {
    if (c.state !== 'finished') await api.post(`/api/campaigns/${c.id}/stop`);
    await api.delete(`/api/campaigns/${c.id}`);
  }
}

const ours = (name: string) => name.startsWith('E2E ') || name.startsWith('Call list · ');

test.beforeEach(async ({ adminApi }) => removeCampaigns(adminApi, ours));
test.afterEach(async ({ adminApi }) => removeCampaigns(adminApi, ours));

/** The number on the phone's first busy line, once there is one. */
async function dialled(sim: Sim, phone: typeof sales): Promise<string | undefined> {
  return (await sim.state(phone)).lines.find((l) => l.state !== 'idle')?.remoteNumber;
}

/** Waits until the server has seen the call connected: a far end that talks, not one that hangs up at once. */
async function serverSeesTalking(api: APIRequestContext, phone: typeof sales): Promise<void> {
  const phones = (await (await api.get('/api/phones')).json()) as { id: string; name: string }[];
  const id = phones.find((p) => p.name === phone.name)?.id;
  await expect
    .poll(async () => {
      const state = (await (await api.get(`/api/phones/${id}/state`)).json()) as {
        lines: { state: string }[];
      };
      return state.lines.some((l) => l.state === 'connected');
    })
    .toBe(true);
}

async function dialsOf(sim: Sim, phone: typeof sales): Promise<string[]> {
  return (await sim.log(phone))
    .filter((e) => e.function.includes('make_call'))
    .map((e) => e.params.phonenumber ?? '');
}

test('an automatic campaign: pasted numbers with one refused, started, progress live, paused, results and CSV', async ({
  page,
  sim,
  adminApi,
}) => {
  const name = `E2E automatic ${Date.now()}`;
  await sim.clearLog(sales);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Campaigns' })).toBeVisible();
  await page.getByRole('button', { name: 'New campaign' }).click();

  const form = page.getByRole('form', { name: 'New campaign' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Automatic: dials after the wrap-up time').check();
  await form.getByLabel('Sales desk').check();
  await form.getByLabel('Wrap-up (s)').fill('1');
  await form
    .getByLabel('Entries, one per line')
    .fill('Ada Lovelace, 3001, VIP\nnot a number\nBob, 3002\nCy, 3003');
  const preview = form.getByRole('region', { name: 'Entries preview' });
  await expect(preview).toContainText('3 entries to add, 1 refused:');
  await expect(preview.getByRole('list', { name: 'Refused lines' })).toContainText(
    'Line 2, “not a number”: “n” cannot be dialled',
  );
  await form.getByRole('button', { name: 'Create campaign' }).click();
  await expect(page.getByText('is saved as a draft: nothing is dialled until you start it.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'entries added' })).toHaveText('3 entries added.');
  expect(await dialsOf(sim, sales)).toEqual([]);

  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Running', { exact: true })).toBeVisible();
  const progress = page.getByRole('progressbar', { name: `Progress of ${name}` });

  // The server dials the first entry; its far end answers, talks, hangs up.
  await expect.poll(() => dialled(sim, sales), { timeout: 10_000 }).toBe('3001');
  await expect(page.getByRole('region', { name: 'Phones' }).getByText('Calling: Ada Lovelace')).toBeVisible();
  await sim.post(sales, '/sim/answer', {});
  await serverSeesTalking(adminApi, sales);
  await sim.post(sales, '/sim/hangup', {});
  await expect(progress).toHaveAttribute('aria-valuetext', /^1 of 3 done, .* · answered 1$/, {
    timeout: 10_000,
  });

  // After the wrap-up second the next one is dialled by itself; Pause stops what would come after.
  await expect.poll(() => dialled(sim, sales), { timeout: 10_000 }).toBe('3002');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByText('Paused', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(`${name} paused`);
  await sim.post(sales, '/sim/answer', {});
  await serverSeesTalking(adminApi, sales);
  await sim.post(sales, '/sim/hangup', {});

  const results = page.getByRole('region', { name: 'Results' });
  const ada = results.getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(ada).toContainText('Answered');
  await expect(ada).toContainText('VIP');
  await expect(results.getByRole('row').filter({ hasText: 'Bob' })).toContainText('Answered', {
    timeout: 10_000,
  });
  await expect(progress).toHaveAttribute('aria-valuetext', '2 of 3 done, 1 to go · answered 2');
  // Paused: well past the wrap-up second, the third entry is not dialled.
  await page.waitForTimeout(3000);
  expect(await dialsOf(sim, sales)).toEqual(['3001', '3002']);
  await expect(results.getByRole('row').filter({ hasText: 'Cy' })).toContainText('To call');

  const download = page.waitForEvent('download');
  await results.getByRole('link', { name: 'Export CSV' }).click();
  const csv = await (await download).path();
  const text = await (await import('node:fs/promises')).readFile(csv, 'utf8');
  expect(text).toMatch(/3001/);
  expect(text).toMatch(/answered/i);

  // The list shows it paused with the same progress.
  await page.getByRole('link', { name: 'All campaigns' }).click();
  const item = page.getByRole('listitem', { name });
  await expect(item).toContainText('Paused');
  await expect(item.getByRole('progressbar')).toHaveAttribute(
    'aria-valuetext',
    '2 of 3 done, 1 to go · answered 2',
  );
  await removeCampaigns(adminApi, (n) => n === name);
});

test('a call list on the console is a preview campaign: Call dials the entry, Call back at… sets a time, S skips the next, nothing else is dialled', async ({
  page,
  sim,
  adminApi,
}) => {
  await sim.clearLog(warehouse);
  await openConsole(page, 'Warehouse');
  const starter = page.getByRole('region', { name: 'Call list' });
  await starter
    .getByLabel('Calls to make, one per line')
    .fill('4001\n12ab\nCy Young, 4002, call after lunch');
  await expect(starter.getByRole('list', { name: 'Refused lines' })).toContainText('Line 2, “12ab”');
  await starter.getByRole('button', { name: 'Start call list' }).click();

  const panel = page.getByRole('region', { name: 'Campaign' });
  await expect(panel.getByText('Preview: the agent presses Call')).toBeVisible();
  await expect(panel.getByText('Waiting for you: Call or Skip')).toBeVisible();
  // Shown, not dialled: preview dials only on the agent's press.
  await page.waitForTimeout(1500);
  expect(await dialsOf(sim, warehouse)).toEqual([]);
  await expect(panel.getByText('Cy Young')).toBeVisible();

  await panel.getByRole('button', { name: 'Call 4001' }).click();
  await expect.poll(() => dialled(sim, warehouse), { timeout: 10_000 }).toBe('4001');
  await sim.post(warehouse, '/sim/answer', {});
  await serverSeesTalking(adminApi, warehouse);
  await sim.post(warehouse, '/sim/hangup', {});

  // The next entry is offered with its note; the one just called can be given a call-back time.
  await expect(panel.getByRole('button', { name: 'Call Cy Young' })).toBeVisible({ timeout: 10_000 });
  await expect(panel.getByText('call after lunch')).toBeVisible();
  await expect(panel.getByText('Last call: 4001')).toBeVisible();
  await panel.getByRole('button', { name: 'Call back at…' }).click();
  const tomorrow = new Date(Date.now() + 24 * 3600_000);
  const local = new Date(tomorrow.getTime() - tomorrow.getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);
  await panel.getByLabel('Call 4001 back at').fill(local);
  await panel.getByRole('button', { name: 'Save' }).click();
  const notifications = page.getByRole('region', { name: 'Notifications' });
  await expect(notifications).toContainText('4001 will be called back');

  // S (the key) skips the offered entry.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('s');
  await expect(notifications).toContainText('Cy Young skipped');

  // What is left is the call-back, due tomorrow: nothing more is dialled today.
  await expect(panel.getByText('Waiting: the entries left are due later (retries, call-backs)')).toBeVisible({
    timeout: 10_000,
  });
  await page.waitForTimeout(1500);
  expect(await dialsOf(sim, warehouse)).toEqual(['4001']);
});

test('on the console an automatic campaign counts down to its next dial, and P pauses it before it dials', async ({
  page,
  sim,
  adminApi,
}) => {
  await sim.clearLog(sales);
  const phones = (await (await adminApi.get('/api/phones')).json()) as { id: string; name: string }[];
  const phoneId = phones.find((p) => p.name === sales.name)?.id ?? '';
  const name = `E2E countdown ${Date.now()}`;
  const created = await adminApi.post('/api/campaigns', {
    data: {
      name,
      mode: 'automatic',
      phoneIds: [phoneId],
      wrapUpSeconds: 20,
      entries: [{ number: '3101', name: 'Dee' }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { campaign } = (await created.json()) as { campaign: { id: string } };
  expect((await adminApi.post(`/api/campaigns/${campaign.id}/start`)).ok()).toBe(true);

  await openConsole(page, 'Sales desk');
  const panel = page.getByRole('region', { name: 'Campaign' });
  await expect(panel.getByText('Automatic: dials after the wrap-up time')).toBeVisible();
  await expect(panel.getByRole('status')).toHaveText(/^Next call in \d+ s$/);
  await expect(panel.getByText('Dee', { exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Skip Dee' })).toBeVisible();
  await page.keyboard.press('p');
  await expect(panel.getByText('Paused: nothing is dialled until it is resumed.')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Resume' })).toBeVisible();
  expect(await dialsOf(sim, sales)).toEqual([]);
});

test.describe('accessibility', () => {
  // The server's CSP forbids inline scripts, and injecting axe is one: allowed for this check only.
  test.use({ bypassCSP: true });

  async function seriousViolations(page: import('@playwright/test').Page): Promise<string[]> {
    const axe = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));
    await page.addScriptTag({ path: axe });
    const violations = await page.evaluate(async () => {
      const run = (globalThis as unknown as { axe: { run: () => Promise<{ violations: unknown[] }> } }).axe
        .run;
      return (await run()).violations as { id: string; impact: string | null; help: string }[];
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}`);
  }

  test('the Campaigns page with a refused line, and the console panel of a running preview campaign, pass axe', async ({
    page,
  }) => {
    await page.goto('/campaigns');
    await page.getByRole('button', { name: 'New campaign' }).click();
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Entries, one per line').fill('2001\nnot a number');
    await expect(form.getByRole('list', { name: 'Refused lines' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await openConsole(page, 'Warehouse');
    await page
      .getByRole('region', { name: 'Call list' })
      .getByLabel('Calls to make, one per line')
      .fill('4001');
    await page.getByRole('button', { name: 'Start call list' }).click();
    await expect(page.getByRole('button', { name: 'Call 4001' })).toBeVisible({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
