import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PhoneState } from '@linedeck/contract';
import type { APIRequestContext, Page } from '@playwright/test';
import { createUser, phoneIds, signedInAs } from './desk-support.ts';
import type { StackPhone } from './fixtures/stack-config.ts';
import {
  BASE_URL,
  expect,
  openConsole,
  type Sim,
  type SimLogEntry,
  stackPhone,
  test,
} from './fixtures/test.ts';

const reception = stackPhone('Reception');

/** The server's double-click window: a deliberate repeat must not wait it out. */
const DEDUPE_WINDOW_MS = 1500;

async function sent(sim: Sim, fn: string): Promise<SimLogEntry[]> {
  return (await sim.log(reception)).filter((e) => e.function === fn);
}

const msBetween = (a: SimLogEntry | undefined, b: SimLogEntry | undefined) =>
  Date.parse(b?.time ?? '') - Date.parse(a?.time ?? '');

test('an incoming call shows within 2 s; Answer, Hold, Resume and End call drive the phone', async ({
  page,
  sim,
}) => {
  await openConsole(page, 'Reception');
  await sim.ring(reception, '5551234', 'Alice Smith');

  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await expect(line.getByText('Alice Smith')).toBeVisible({ timeout: 2000 });
  await expect(line.getByText('5551234')).toBeVisible();
  await expect(line.getByText('Ringing', { exact: true })).toBeVisible();
  // Only what applies while ringing.
  await expect(line.getByRole('button')).toHaveText(['Answer', 'Reject']);

  await line.getByRole('button', { name: 'Answer' }).click();
  await expect(line.getByText('Connected', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  await expect(line.getByRole('button')).toHaveText(['Hold', 'Transfer…', 'Add to call…', 'End call']);

  await sim.clearLog(reception);
  await line.getByRole('button', { name: 'Hold' }).click();
  await expect(line.getByText('On hold', { exact: true })).toBeVisible();
  await expect(line.getByRole('button')).toHaveText(['Resume', 'Transfer…', 'Add to call…', 'End call']);

  // Resume right after Hold: both send `holdcall` (it toggles), and the second is neither swallowed as a
  // double click nor held back until the server's 1.5 s window has passed.
  await line.getByRole('button', { name: 'Resume' }).click();
  await expect(line.getByText('Connected', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  const toggles = (await sent(sim, 'api-phone_operation')).filter((e) => e.params.cmd === 'holdcall');
  expect(toggles).toHaveLength(2);
  expect(msBetween(toggles[0], toggles[1])).toBeLessThan(DEDUPE_WINDOW_MS);

  await line.getByRole('button', { name: 'End call' }).click();
  await expect(line.getByText('Idle', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Ended the call on line 1');
});

test('a second click on Hold before the phone shows the hold does not toggle the call back', async ({
  page,
  sim,
}) => {
  await openConsole(page, 'Reception');
  await sim.ring(reception, '5554321', 'Grace Hopper');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect(line.getByRole('button')).toHaveText(['Hold', 'Transfer…', 'Add to call…', 'End call']);
  await sim.clearLog(reception);

  // A slow phone: every CTI request takes a second, so once the phone has accepted the hold, the poll that
  // shows it takes another second. That second is when the Hold button used to be clickable again.
  await sim.post(reception, '/sim/faults', { kind: 'delay', ms: 1000 });
  const hold = line.getByRole('button', { name: 'Hold' });
  const box = await hold.boundingBox();
  if (!box) throw new Error('Hold is not on screen');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const answered = page.waitForResponse((r) => r.url().endsWith('/operations') && r.ok());
  await page.mouse.click(x, y);
  await answered;
  // The second click of a slow double click lands on the same spot just after the phone said yes.
  await page.mouse.click(x, y);

  await expect(line.getByText('On hold', { exact: true })).toBeVisible({ timeout: 5000 });
  await sim.clearFaults(reception);
  await expect(line.getByRole('button')).toHaveText(['Resume', 'Transfer…', 'Add to call…', 'End call']);
  // Give a stray second holdcall time to arrive before checking that there was none.
  await page.waitForTimeout(750);
  expect((await sim.state(reception)).lines.find((l) => l.index === 1)?.state).toBe('onhold');
  const toggles = (await sent(sim, 'api-phone_operation')).filter((e) => e.params.cmd === 'holdcall');
  expect(toggles).toHaveLength(1);
});

test('dialing shows calling, then connected when the far end answers', async ({ page, sim }) => {
  await openConsole(page, 'Reception');
  // While no call is up the keypad types into the Number field.
  for (const key of ['2', '0', '0', '1']) await page.getByRole('button', { name: key, exact: true }).click();
  const number = page.getByLabel('Number');
  await expect(number).toHaveValue('2001');
  await number.press('Enter');

  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await expect(line.getByText(/^(Calling|Dialing)$/)).toBeVisible();
  await expect(line.getByText('2001')).toBeVisible();
  await expect(line.getByRole('button')).toHaveText(['Cancel']);
  await expect.poll(async () => (await sim.line(reception, 1))?.remoteNumber).toBe('2001');
  await expect(number).toHaveValue('');

  await sim.post(reception, '/sim/answer', { line: 1 });
  await expect(line.getByText('Connected', { exact: true })).toBeVisible({ timeout: 2000 });
});

test('keypad presses during a call reach the phone as DTMF, in order', async ({ page, sim }) => {
  await openConsole(page, 'Reception');
  await sim.ring(reception, '5559876', 'IVR');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect(line.getByText('Connected', { exact: true })).toBeVisible();
  await expect(page.getByText('Keys are sent to the call as tones.')).toBeVisible();
  await sim.clearLog(reception);

  // "1 0 0" pressed as fast as a keyboard types: the same key twice in a row arrives twice, in order.
  await page.keyboard.type('100');
  await expect.poll(async () => (await sim.line(reception, 1))?.dtmf).toBe('100');
  // The buttons do the same, and so do digits typed on the keyboard outside text fields.
  for (const key of ['2', '3', '#', '0', '0'])
    await page.getByRole('button', { name: key, exact: true }).click();
  await page.keyboard.press('9');
  await page.keyboard.press('*');

  await expect.poll(async () => (await sim.line(reception, 1))?.dtmf).toBe('10023#009*');
  // Each api-send_key carries the presses made while the one before was on its way, in press order.
  const keys = (await sent(sim, 'api-send_key')).flatMap((e) => (e.params.keys ?? '').split(':'));
  expect(keys).toEqual([...'10023#009*']);
  await expect(page.getByLabel('Number')).toHaveValue('');
});

test('a digit pressed again after the first one arrived is sent at once, not held back', async ({
  page,
  sim,
}) => {
  await openConsole(page, 'Reception');
  await sim.ring(reception, '5550100', 'Menu');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect(line.getByText('Connected', { exact: true })).toBeVisible();
  await sim.clearLog(reception);

  // The second "0" is the same request body as the first, well inside the server's 1.5 s window.
  const zero = page.getByRole('button', { name: '0', exact: true });
  await zero.click();
  await expect.poll(async () => (await sim.line(reception, 1))?.dtmf, { intervals: [50] }).toBe('0');
  await zero.click();
  await expect.poll(async () => (await sim.line(reception, 1))?.dtmf, { intervals: [50] }).toBe('00');
  const presses = await sent(sim, 'api-send_key');
  expect(presses.map((e) => e.params.keys)).toEqual(['0', '0']);
  expect(msBetween(presses[0], presses[1])).toBeLessThan(DEDUPE_WINDOW_MS);
  await expect(page.getByRole('status').filter({ hasText: 'Sent 0' })).toBeVisible();
});

test('an invalid number is refused in the form and never reaches the phone', async ({ page, sim }) => {
  await openConsole(page, 'Reception');
  await sim.clearLog(reception);
  const number = page.getByLabel('Number');

  await number.fill('12ab');
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'cannot be dialled' })).toBeVisible();
  await expect(number).toHaveAttribute('aria-invalid', 'true');

  await number.fill('1000&cmd=REBOOT');
  await number.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '“&” cannot be dialled' })).toBeVisible();

  await number.fill('');
  await number.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Type a number to call.' })).toBeVisible();

  // Give a stray request time to arrive, then check the phone never saw one.
  await page.waitForTimeout(750);
  const calls = (await sim.log(reception)).filter((e) => e.function.includes('make_call'));
  expect(calls).toHaveLength(0);
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
});

test('the next caller can be answered at once: a new call is a new intent, not a double click', async ({
  page,
  sim,
}) => {
  await openConsole(page, 'Reception');
  const line = page.getByRole('region', { name: 'Line 1', exact: true });
  await sim.clearLog(reception);
  await sim.ring(reception, '5550101', 'First Caller');
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  await line.getByRole('button', { name: 'End call' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');

  // Well inside the server's 1.5 s double-click window of the first Answer.
  await sim.ring(reception, '5550102', 'Second Caller');
  await expect(line.getByText('Second Caller')).toBeVisible();
  await line.getByRole('button', { name: 'Answer' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  const answers = (await sent(sim, 'api-phone_operation')).filter((e) => e.params.cmd === 'acceptcall');
  expect(answers).toHaveLength(2);
  expect(msBetween(answers[0], answers[1])).toBeLessThan(DEDUPE_WINDOW_MS);
  await line.getByRole('button', { name: 'End call' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
});

// ---------- the call journal (the Calls page) ----------

const sales = stackPhone('Sales desk');

/** A number no other journey uses, so rows are found by it alone. */
const freshNumber = () => `5557${String(Date.now()).slice(-5)}`;

async function markAllSeen(adminApi: APIRequestContext): Promise<void> {
  const seen = await adminApi.post('/api/calls/missed/seen', { data: { before: new Date().toISOString() } });
  expect(seen.status(), await seen.text()).toBe(204);
}

/** A caller rings until the server has seen it ring, then gives up: a missed call. */
async function missedCall(
  sim: Sim,
  adminApi: APIRequestContext,
  phone: StackPhone,
  number: string,
  name = '',
) {
  const ids = await phoneIds(adminApi);
  const id = ids.get(phone.name);
  await sim.ring(phone, number, name);
  await expect
    .poll(async () => {
      const state = (await (await adminApi.get(`/api/phones/${id}/state`)).json()) as PhoneState;
      return state.lines.some((l) => l.state === 'ringing' && l.remoteNumber === number);
    })
    .toBe(true);
  await sim.post(phone, '/sim/hangup', { line: 1 });
}

const callRow = (page: Page, number: string) => page.getByRole('row').filter({ hasText: number });

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: unknown[] }[] };
    const { axe } = globalThis as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } };
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

test.describe('call journal', () => {
  test('a missed call shows in the list, the badge and the tab title; Mark all seen clears them', async ({
    page,
    sim,
    adminApi,
  }) => {
    await markAllSeen(adminApi);
    await page.goto('/calls');
    await expect(page.getByRole('heading', { level: 1, name: 'Calls' })).toBeVisible();
    await expect(page).toHaveTitle('Calls · LineDeck');

    const number = freshNumber();
    await missedCall(sim, adminApi, reception, number, 'Missy Journal');
    const row = callRow(page, number);
    await expect(row).toContainText('Missed', { timeout: 5000 });
    await expect(row).toContainText('Missy Journal');
    await expect(row).toContainText('Reception');
    await expect(row).toContainText('Incoming');
    await expect(page.getByRole('link', { name: 'Calls 1 missed' })).toBeVisible();
    await expect(page).toHaveTitle('(1) Calls · LineDeck');
    // On every page of the app, not only this one.
    await page.getByRole('link', { name: 'Phones', exact: true }).click();
    await expect(page).toHaveTitle('(1) Phones · LineDeck');
    await page.goBack();

    await page.getByRole('button', { name: 'Mark all seen' }).click();
    await expect(page.getByRole('link', { name: 'Calls', exact: true })).toBeVisible();
    await expect(page).toHaveTitle('Calls · LineDeck');
    // The mark is the server's: a reload still shows none.
    await page.reload();
    await expect(page.getByText('No unseen missed calls')).toBeVisible();
  });

  test("Call back dials the caller's number from the phone the call was on", async ({
    page,
    sim,
    adminApi,
  }) => {
    const number = freshNumber();
    await missedCall(sim, adminApi, sales, number, 'Back Caller');
    await page.goto(`/calls?number=${number}`);
    const row = callRow(page, number);
    await expect(row).toContainText('Missed');
    await sim.clearLog(sales);
    await row.getByRole('button', { name: 'Call back Back Caller from Sales desk' }).click();
    await expect.poll(async () => (await sim.line(sales, 1))?.remoteNumber).toBe(number);
    expect(['dialing', 'calling', 'ringback']).toContain((await sim.line(sales, 1))?.state);
    // Reception, where nobody called back from, stayed idle.
    expect((await sim.line(reception, 1))?.state).toBe('idle');
  });

  test('Add contact opens the form with the number and the caller name; saving names the row', async ({
    page,
    sim,
    adminApi,
  }) => {
    const number = freshNumber();
    await missedCall(sim, adminApi, reception, number, 'PHONE NAME');
    await page.goto(`/calls?number=${number}`);
    const row = callRow(page, number);
    await expect(row).toContainText('PHONE NAME');
    await row.getByRole('button', { name: `Add contact for ${number}` }).click();

    const dialog = page.getByRole('dialog', { name: 'Add contact' });
    await expect(dialog.getByLabel('Name')).toHaveValue('PHONE NAME');
    await expect(dialog.getByLabel('Number', { exact: true })).toHaveValue(number);
    const name = `Journal Contact ${number}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText(name);
    await expect(row.getByRole('button', { name: /^Add contact/ })).toHaveCount(0);

    const contacts = (await (await adminApi.get(`/api/contacts?q=${number}`)).json()) as {
      contacts: { id: string; name: string }[];
    };
    const added = contacts.contacts.find((c) => c.name === name);
    expect(added).toBeDefined();
    // The next call from that number carries the contact from the start.
    await missedCall(sim, adminApi, reception, number, 'PHONE NAME');
    await expect(callRow(page, number)).toHaveCount(2);
    await adminApi.delete(`/api/contacts/${added?.id}`);
  });

  test('Export CSV downloads the calls of the filters on screen', async ({ page, sim, adminApi }) => {
    const number = freshNumber();
    await missedCall(sim, adminApi, reception, number, 'Csv Caller');
    await page.goto(`/calls?number=${number}&outcome=missed`);
    await expect(callRow(page, number)).toContainText('Missed');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    // A header and exactly the one call the filters match.
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(number);
    expect(lines[1]).toContain('Csv Caller');
    expect(lines[1]).toMatch(/missed/i);
  });

  test('a viewer limited to one phone sees only that phone’s calls', async ({ browser, sim, adminApi }) => {
    const ids = await phoneIds(adminApi);
    const onSales = freshNumber();
    await missedCall(sim, adminApi, sales, onSales, 'Sales Caller');
    const onReception = `${onSales.slice(0, -1)}${(Number(onSales.slice(-1)) + 1) % 10}`;
    await missedCall(sim, adminApi, reception, onReception, 'Reception Caller');

    const username = `journal-viewer-${Date.now()}`;
    const password = 'journal-viewer-pass';
    const userId = await createUser(adminApi, {
      username,
      password,
      role: 'viewer',
      phoneIds: [ids.get('Sales desk') as string],
    });
    const { context, page } = await signedInAs(browser, username, password);
    try {
      // A viewer of one phone lands on its console: its recent calls are there, without Call back.
      await expect(page.getByRole('heading', { level: 1, name: 'Sales desk' })).toBeVisible();
      const recent = page.getByRole('list', { name: 'Recent calls on Sales desk' });
      await expect(recent).toContainText('Sales Caller');
      await expect(recent.getByRole('button', { name: /^Call back/ })).toHaveCount(0);

      await page.getByRole('link', { name: /^Calls/ }).click();
      await expect(callRow(page, onSales)).toContainText('Sales Caller');
      await expect(page.getByRole('row').filter({ hasText: 'Reception' })).toHaveCount(0);
      // Its phone filter offers only the phone it may see, and a viewer gets no Call back.
      await expect(page.getByLabel('Phone', { exact: true }).locator('option')).toHaveText([
        'All phones',
        'Sales desk',
      ]);
      await expect(callRow(page, onSales).getByRole('button', { name: /^Call back/ })).toHaveCount(0);
      // Asking for another phone by address answers nothing of it either.
      await page.goto(`/calls?number=${onReception}`);
      await expect(page.getByText('No call matches these filters.')).toBeVisible();
    } finally {
      await context.close();
      await adminApi.delete(`/api/users/${userId}`);
    }
  });

  test("a display key's wall counts missed calls per phone and shows the fleet bar, no names", async ({
    browser,
    sim,
    adminApi,
  }) => {
    const created = await adminApi.post('/api/display-keys', {
      data: { name: `journal-wall-${Date.now()}`, phoneIds: [] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const key = (await created.json()) as { id: string; secret: string };
    const context = await browser.newContext({
      baseURL: BASE_URL,
      storageState: { cookies: [], origins: [] },
    });
    try {
      const page = await context.newPage();
      await page.goto(`/wall?key=${encodeURIComponent(key.secret)}`);
      const bar = page.getByRole('region', { name: 'Fleet today' });
      // Today's counts are what a display key may read: they show (a refused read would leave them out).
      await expect(bar).toContainText('answered today');
      await expect(bar).toContainText('0 ringing');

      const number = freshNumber();
      await sim.ring(reception, number, 'Wall Caller');
      await expect(bar).toContainText('1 ringing');
      await expect(bar).toContainText('longest ring');
      await sim.post(reception, '/sim/hangup', { line: 1 });
      await expect(bar).toContainText('0 ringing');
      const tile = page.getByRole('article', { name: 'Reception' });
      await expect(tile).toContainText(/[1-9]\d* missed today/);
      await expect(bar).toContainText(/[1-9]\d* missed today/);
      // The wall never lists past calls: the caller is gone from it once the ring ended.
      await expect(page.getByText('Wall Caller')).toHaveCount(0);
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      await context.close();
      await adminApi.delete(`/api/display-keys/${key.id}`);
    }
  });

  test.describe('accessibility', () => {
    // The server's CSP forbids inline scripts, and injecting axe is one: allowed for this check only.
    test.use({ bypassCSP: true });
    for (const colorScheme of ['light', 'dark'] as const) {
      test(`the Calls page has no serious accessibility violation (${colorScheme})`, async ({
        page,
        sim,
        adminApi,
      }) => {
        await page.emulateMedia({ colorScheme });
        const number = freshNumber();
        await missedCall(sim, adminApi, reception, number, 'Axe Caller');
        await page.goto('/calls');
        await expect(callRow(page, number)).toContainText('Missed');
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
});
