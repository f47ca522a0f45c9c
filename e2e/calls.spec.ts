import { expect, openConsole, type Sim, type SimLogEntry, stackPhone, test } from './fixtures/test.ts';

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
