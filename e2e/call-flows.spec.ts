/**
 * The console's call flows as a receptionist uses them: line cards that never move under the pointer,
 * DND with a confirmation and the status it brings, blind and attended transfer from the dialog
 * (Complete transfer, Back to caller), a conference added and ended, and a busy target said in words.
 * The flow journeys start their own simulated phone with consult-style firmware (XFER and CONF hold the
 * call and open a line for the target), so the stack phones stay as other specs expect them.
 */
import { type SimPhone, startPhone } from '@linedeck/phone-sim';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

test('line 2 stays put when line 1 ends; a double click on End call never rejects the next caller', async ({
  page,
  sim,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openConsole(page, 'Reception');
  const line1 = page.getByRole('region', { name: 'Line 1', exact: true });
  const line2 = page.getByRole('region', { name: 'Line 2', exact: true });

  await sim.ring(reception, '5550101', 'First Caller');
  await line1.getByRole('button', { name: 'Answer' }).click();
  await expect(line1.getByText('Connected', { exact: true })).toBeVisible();
  await sim.ring(reception, '5550102', 'Next Caller');
  await expect(line2.getByRole('button', { name: 'Reject' })).toBeVisible();

  const cardBefore = await box(line2);
  const rejectBefore = await box(line2.getByRole('button', { name: 'Reject' }));
  await line1.getByRole('button', { name: 'End call' }).click();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
  // The ended card holds line 1's place while the pointer is over the lines.
  await expect(line1.getByText('Call ended')).toBeVisible();
  await expect(line1.getByText('Idle', { exact: true })).toBeVisible();
  expect(await box(line2)).toEqual(cardBefore);
  expect(await box(line2.getByRole('button', { name: 'Reject' }))).toEqual(rejectBefore);

  // A new call on line 1 takes its card back, in place; a double click on its End call ends only it.
  await sim.ring(reception, '5550103', 'Third Caller');
  await line1.getByRole('button', { name: 'Answer' }).click();
  await expect(line1.getByText('Connected', { exact: true })).toBeVisible();
  expect(await box(line2)).toEqual(cardBefore);
  await line1.getByRole('button', { name: 'End call' }).dblclick();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
  await page.waitForTimeout(800);
  expect((await sim.line(reception, 2))?.state).toBe('ringing');
  await expect(line2.getByText('Ringing', { exact: true })).toBeVisible();
  expect(await box(line2.getByRole('button', { name: 'Reject' }))).toEqual(rejectBefore);

  // The pointer gone, the ended card folds away into a small idle line.
  await page.mouse.move(5, 5);
  await expect(line1.getByText('Call ended')).toHaveCount(0, { timeout: 4000 });
  await expect(line1.getByText('Idle', { exact: true })).toBeVisible();
});

test.describe('at phone size', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('a double tap on End call in the call bar never rejects the next caller', async ({ page, sim }) => {
    await openConsole(page, 'Reception');
    const bar = page.getByRole('region', { name: 'Call controls' });
    await sim.ring(reception, '5550121', 'Thumb Caller');
    await bar.getByRole('button', { name: 'Answer' }).click();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
    await sim.ring(reception, '5550122', 'Waiting Caller');
    const reject = bar.getByRole('button', { name: 'Reject' });
    await expect(reject).toBeVisible();
    const rejectBefore = await box(reject);
    await bar.getByRole('button', { name: 'End call' }).dblclick();
    await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
    await expect(bar).toContainText('Call ended');
    expect(await box(reject)).toEqual(rejectBefore);
    await page.waitForTimeout(800);
    expect((await sim.line(reception, 2))?.state).toBe('ringing');
    // The ended row folds by itself (no pointer hovers on a touch screen).
    await expect(bar).not.toContainText('Call ended', { timeout: 4000 });
    await expect(reject).toBeVisible();
  });
});

test('a call timer runs through hold and resume; on hold says for how long', async ({ page, sim }) => {
  await openConsole(page, 'Reception');
  const line1 = page.getByRole('region', { name: 'Line 1', exact: true });
  await sim.ring(reception, '5550111', 'Held Caller');
  await line1.getByRole('button', { name: 'Answer' }).click();
  await expect(line1.getByText('Connected', { exact: true })).toBeVisible();
  await page.waitForTimeout(2100);
  await line1.getByRole('button', { name: 'Hold' }).click();
  await expect(line1.getByText(/^On hold for 0:0\d$/)).toBeVisible();
  // The call's own timer did not start again with the hold.
  const timer = line1.getByTitle('The whole call, holds included');
  await expect(timer).toHaveText(/Call length 0:0[2-9]/);
  await page.waitForTimeout(1100);
  await line1.getByRole('button', { name: 'Resume' }).click();
  await expect(line1.getByText(/^Held 0:0[1-9] in all$/)).toBeVisible();
  await expect(timer).toHaveText(/Call length 0:0[3-9]/);
});

async function addPhone(adminApi: APIRequestContext, data: Record<string, string>): Promise<string> {
  const created = await adminApi.post('/api/phones', { data });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

test('DND: the switch asks first, says what it does, and the status is "Do not disturb" everywhere', async ({
  page,
  adminApi,
}) => {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    firmwareProfile: 'session',
    adminPasscode: 'dnd-switch-7',
  });
  const name = `Front desk DND ${Date.now()}`;
  let id: string | undefined;
  try {
    id = await addPhone(adminApi, {
      name,
      host: `127.0.0.1:${phone.port}`,
      passcode: 'dnd-switch-7',
      auth: 'session',
    });
    await openConsole(page, name);
    const header = page.getByRole('heading', { level: 1, name }).locator('..');
    const dnd = page.getByRole('switch', { name: 'Do not disturb' });
    await expect(dnd).toHaveAttribute('aria-checked', 'false', { timeout: 10_000 });
    await expect(header.getByText('Available', { exact: true })).toBeVisible();

    // Cancel changes nothing.
    await dnd.click();
    const dialog = page.getByRole('dialog', { name: `Turn on Do not disturb on ${name}?` });
    await expect(dialog).toContainText('Callers will hear busy');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(phone.snapshot().dnd).toBe(false);

    await dnd.click();
    await dialog.getByRole('button', { name: 'Turn on' }).click();
    await expect(dialog).toBeHidden();
    await expect(dnd).toHaveAttribute('aria-checked', 'true');
    await expect(header.getByText('Do not disturb', { exact: true })).toBeVisible();
    await expect(header.getByText('Available', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Do not disturb is on');
    expect(phone.snapshot().dnd).toBe(true);

    // Forward: a number is checked before anything is sent; firmware without forward keys says so calmly.
    await page.getByRole('button', { name: 'Change…' }).click();
    const forward = page.getByRole('dialog', { name: `Call forward on ${name}` });
    await forward.getByRole('radio', { name: 'Always' }).check();
    await forward.getByLabel('Forward to').fill('not a number');
    await forward.getByRole('button', { name: 'Forward calls' }).click();
    await expect(forward.getByRole('alert')).toBeVisible();
    await forward.getByLabel('Forward to').fill('2000');
    await forward.getByRole('button', { name: 'Forward calls' }).click();
    await expect(forward).toContainText('Call forward is not available on this phone');
    await forward.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByText('not available on this phone')).toBeVisible();

    // The fleet card and the wall say it too.
    await page.goto('/');
    const card = page.getByRole('article', { name });
    await expect(card.getByText('Do not disturb', { exact: true })).toBeVisible();
    await expect(card.getByText('Available', { exact: true })).toHaveCount(0);
    await page.goto('/wall');
    const tile = page.getByRole('article', { name });
    await expect(tile.getByText('DND', { exact: true })).toBeVisible();
    await expect(tile.getByText('Available', { exact: true })).toHaveCount(0);
  } finally {
    if (id) await adminApi.delete(`/api/phones/${id}`);
    await phone.close();
  }
});

// ---------- transfer and conference ----------

interface FlowDesk {
  phone: SimPhone;
  name: string;
  id: string;
}

async function flowDesk(adminApi: APIRequestContext): Promise<FlowDesk> {
  const phone = await startPhone({
    port: 0,
    model: 'GRP2614',
    adminPasscode: 'flow-pass-3',
    flowStyle: 'consult',
  });
  const name = `Flow desk ${Date.now()}`;
  const id = await addPhone(adminApi, { name, host: `127.0.0.1:${phone.port}`, passcode: 'flow-pass-3' });
  return { phone, name, id };
}

async function closeDesk(adminApi: APIRequestContext, desk: FlowDesk | undefined): Promise<void> {
  if (!desk) return;
  await adminApi.delete(`/api/phones/${desk.id}`);
  await desk.phone.close();
}

function simLines(desk: FlowDesk): string[] {
  return desk.phone.snapshot().lines.map((l) => l.state);
}

/** A caller rings the desk and the receptionist answers on the console. */
async function answeredCall(page: Page, desk: FlowDesk, number: string, caller: string): Promise<Locator> {
  await openConsole(page, desk.name);
  await page.request.post(`${desk.phone.url}/sim/ring`, { data: { number, name: caller } });
  const line1 = page.getByRole('region', { name: 'Line 1', exact: true });
  await line1.getByRole('button', { name: 'Answer' }).click();
  await expect(line1.getByText('Connected', { exact: true })).toBeVisible();
  return line1;
}

const farEnd = (page: Page, desk: FlowDesk, action: 'answer' | 'hangup', data: Record<string, unknown>) =>
  page.request.post(`${desk.phone.url}/sim/${action}`, { data });

async function ensureContact(adminApi: APIRequestContext, name: string, number: string): Promise<void> {
  const found = await adminApi.get(`/api/contacts?q=${encodeURIComponent(name)}`);
  const page = (await found.json()) as { contacts: { name: string }[] };
  if (page.contacts.some((c) => c.name === name)) return;
  const created = await adminApi.post('/api/contacts', { data: { name, number } });
  expect(created.status(), await created.text()).toBe(201);
}

test('blind transfer from the dialog: Transfer now hands the caller over', async ({ page, adminApi }) => {
  let desk: FlowDesk | undefined;
  try {
    desk = await flowDesk(adminApi);
    const line1 = await answeredCall(page, desk, '5550201', 'Blind Caller');
    await line1.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Transfer Blind Caller/ });
    const field = dialog.getByRole('combobox', { name: 'Transfer to' });
    await expect(field).toBeFocused();
    // Escape closes and nothing is sent.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect(simLines(desk)[0]).toBe('connected');

    await line1.getByRole('button', { name: 'Transfer…' }).click();
    // The phone types the target on its keypad, which has no +: said before anything is sent.
    await field.fill('+4930123456');
    await dialog.getByRole('button', { name: 'Transfer now' }).click();
    await expect(dialog.getByRole('alert')).toContainText('the international prefix');
    expect(simLines(desk)[0]).toBe('connected');
    await field.fill('2001');
    await dialog.getByRole('button', { name: 'Transfer now' }).click();
    await expect.poll(() => desk?.phone.snapshot().transfers.at(-1)?.mode, { timeout: 10_000 }).toBe('blind');
    expect(desk.phone.snapshot().transfers.at(-1)).toMatchObject({ target: '2001', remoteNumber: '5550201' });
    await expect(dialog).toBeHidden();
    await expect(page.getByText(/Transferred to 2001/).first()).toBeVisible();
  } finally {
    await closeDesk(adminApi, desk);
  }
});

test.describe('transfer at phone size', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('the call bar offers Transfer… between Hold and End call, and it hands the caller over', async ({
    page,
    adminApi,
  }) => {
    let desk: FlowDesk | undefined;
    try {
      desk = await flowDesk(adminApi);
      await openConsole(page, desk.name);
      await page.request.post(`${desk.phone.url}/sim/ring`, {
        data: { number: '5550211', name: 'Thumb Caller' },
      });
      const bar = page.getByRole('region', { name: 'Call controls' });
      await bar.getByRole('button', { name: 'Answer' }).click();
      const transfer = bar.getByRole('button', { name: 'Transfer…' });
      await expect(transfer).toBeVisible();
      expect(await bar.getByRole('button').allTextContents()).toEqual(['Hold', 'Transfer…', 'End call']);
      await transfer.click();
      const dialog = page.getByRole('dialog', { name: /^Transfer Thumb Caller/ });
      await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('2001');
      await dialog.getByRole('button', { name: 'Transfer now' }).click();
      await expect
        .poll(() => desk?.phone.snapshot().transfers.at(-1)?.mode, { timeout: 10_000 })
        .toBe('blind');
      expect(desk.phone.snapshot().transfers.at(-1)).toMatchObject({
        target: '2001',
        remoteNumber: '5550211',
      });
      await expect(dialog).toBeHidden();
    } finally {
      await closeDesk(adminApi, desk);
    }
  });
});

test('attended transfer: Ask first shows the progress, then Complete transfer', async ({
  page,
  adminApi,
}) => {
  let desk: FlowDesk | undefined;
  try {
    await ensureContact(adminApi, 'Ada Lovelace', '2001');
    desk = await flowDesk(adminApi);
    const line1 = await answeredCall(page, desk, '5550301', 'Asking Caller');
    await line1.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Transfer Asking Caller/ });
    // The field finds contacts as you type; arrow keys and Enter choose one.
    await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('Ada');
    await expect(dialog.getByRole('option', { name: /Ada Lovelace/ })).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(dialog).toContainText('Dials 2001');
    await dialog.getByRole('button', { name: 'Ask first' }).click();

    await expect(page.getByText('Transferring to Ada Lovelace… ringing').first()).toBeVisible({
      timeout: 10_000,
    });
    await expect.poll(() => simLines(desk as FlowDesk).slice(0, 2)).toEqual(['onhold', 'calling']);
    await farEnd(page, desk, 'answer', { line: 2 });
    await expect(dialog).toBeHidden({ timeout: 10_000 });
    const complete = line1.getByRole('button', { name: 'Complete transfer' });
    await expect(complete).toBeVisible();
    await expect(line1.getByRole('button', { name: 'Back to caller' })).toBeVisible();
    await complete.click();
    await expect
      .poll(() => desk?.phone.snapshot().transfers.at(-1)?.mode, { timeout: 10_000 })
      .toBe('attended');
    expect(desk.phone.snapshot().transfers.at(-1)).toMatchObject({ remoteNumber: '5550301' });
  } finally {
    await closeDesk(adminApi, desk);
  }
});

test('attended transfer: Back to caller ends the consultation and the caller is back', async ({
  page,
  adminApi,
}) => {
  let desk: FlowDesk | undefined;
  try {
    desk = await flowDesk(adminApi);
    const line1 = await answeredCall(page, desk, '5550401', 'Returning Caller');
    await line1.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Transfer Returning Caller/ });
    await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('2002');
    await dialog.getByRole('button', { name: 'Ask first' }).click();
    await expect.poll(() => simLines(desk as FlowDesk)[1], { timeout: 10_000 }).toBe('calling');
    await farEnd(page, desk, 'answer', { line: 2 });
    await expect(dialog).toBeHidden({ timeout: 10_000 });
    await line1.getByRole('button', { name: 'Back to caller' }).click();
    await expect
      .poll(() => simLines(desk as FlowDesk).slice(0, 2), { timeout: 10_000 })
      .toEqual(['connected', 'idle']);
    expect(desk.phone.snapshot().transfers).toHaveLength(0);
    await expect(line1.getByRole('button', { name: 'Transfer…' })).toBeVisible();
  } finally {
    await closeDesk(adminApi, desk);
  }
});

/** A caller answered on line 1, `target` added with Add to call… and answering: the conference group. */
async function joinedConference(
  page: Page,
  desk: FlowDesk,
  caller: { number: string; name: string },
  target: string,
): Promise<{ line1: Locator; group: Locator }> {
  const line1 = await answeredCall(page, desk, caller.number, caller.name);
  await line1.getByRole('button', { name: 'Add to call…' }).click();
  const dialog = page.getByRole('dialog', {
    name: new RegExp(`^Add someone to the call with ${caller.name}`),
  });
  await dialog.getByRole('combobox', { name: 'Add' }).fill(target);
  await dialog.getByRole('button', { name: 'Add to call' }).click();
  await expect.poll(() => simLines(desk)[1], { timeout: 10_000 }).toBe('calling');
  await farEnd(page, desk, 'answer', { line: 2 });
  const group = page.getByRole('region', { name: 'Conference' });
  await expect(group).toBeVisible({ timeout: 10_000 });
  return { line1, group };
}

test('Add to call… makes a conference, shown as one group with End conference', async ({
  page,
  adminApi,
}) => {
  let desk: FlowDesk | undefined;
  try {
    desk = await flowDesk(adminApi);
    const { group } = await joinedConference(
      page,
      desk,
      { number: '5550501', name: 'Meeting Caller' },
      '2003',
    );
    await expect(group.getByRole('region', { name: 'Line 1', exact: true })).toBeVisible();
    await expect(group.getByRole('region', { name: 'Line 2', exact: true })).toBeVisible();
    expect(desk.phone.snapshot().conference).toBe(true);
    await group.getByRole('button', { name: 'End conference' }).click();
    await expect
      .poll(() => simLines(desk as FlowDesk).slice(0, 2), { timeout: 10_000 })
      .toEqual(['idle', 'idle']);
    await expect(group).toBeHidden();
  } finally {
    await closeDesk(adminApi, desk);
  }
});

test('Drop from call lets one party go; the call with the other goes on as a plain call', async ({
  page,
  adminApi,
}) => {
  let desk: FlowDesk | undefined;
  try {
    desk = await flowDesk(adminApi);
    const { line1, group } = await joinedConference(
      page,
      desk,
      { number: '5550511', name: 'Staying Caller' },
      '2004',
    );
    await group
      .getByRole('region', { name: 'Line 2', exact: true })
      .getByRole('button', { name: 'Drop from call' })
      .click();
    await expect
      .poll(() => simLines(desk as FlowDesk).slice(0, 2), { timeout: 10_000 })
      .toEqual(['connected', 'idle']);
    await expect(group).toBeHidden();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Dropped from the call');
    // Line 1 is a plain call again: its own buttons, and the caller still on it.
    await expect(line1.getByRole('button', { name: 'Hold' })).toBeVisible();
    await expect(line1).toContainText('Staying Caller');
    expect(desk.phone.snapshot().conference).toBe(false);
  } finally {
    await closeDesk(adminApi, desk);
  }
});

test('a busy target is said in words and the caller is back as before', async ({ page, adminApi }) => {
  let desk: FlowDesk | undefined;
  try {
    desk = await flowDesk(adminApi);
    const line1 = await answeredCall(page, desk, '5550601', 'Patient Caller');
    await line1.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Transfer Patient Caller/ });
    await dialog.getByRole('combobox', { name: 'Transfer to' }).fill('2004');
    await dialog.getByRole('button', { name: 'Ask first' }).click();
    await expect.poll(() => simLines(desk as FlowDesk)[1], { timeout: 10_000 }).toBe('calling');
    await farEnd(page, desk, 'hangup', { line: 2, busy: true });
    // Said in the dialog, in words, with the server's own sentence.
    await expect(dialog.getByRole('alert')).toContainText('2004 is busy', { timeout: 10_000 });
    await expect
      .poll(() => simLines(desk as FlowDesk)[0], { timeout: 10_000 })
      .toMatch(/^(connected|onhold)$/);
    expect(desk.phone.snapshot().transfers).toHaveLength(0);
  } finally {
    await closeDesk(adminApi, desk);
  }
});
