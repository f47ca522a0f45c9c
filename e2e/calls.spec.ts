import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

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
  await expect(line.getByRole('button')).toHaveText(['Hold', 'End call']);

  await line.getByRole('button', { name: 'Hold' }).click();
  await expect(line.getByText('On hold', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('onhold');
  await expect(line.getByRole('button')).toHaveText(['Resume', 'End call']);

  await line.getByRole('button', { name: 'Resume' }).click();
  await expect(line.getByText('Connected', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');

  await line.getByRole('button', { name: 'End call' }).click();
  await expect(line.getByText('Idle', { exact: true })).toBeVisible();
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Ended the call on line 1');
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

  // "0 0": the same key twice in a row must arrive twice.
  for (const key of ['1', '2', '3', '#', '0', '0'])
    await page.getByRole('button', { name: key, exact: true }).click();
  // Digits typed on the keyboard outside text fields do the same.
  await page.keyboard.press('9');
  await page.keyboard.press('*');

  await expect.poll(async () => (await sim.line(reception, 1))?.dtmf, { timeout: 10_000 }).toBe('123#009*');
  await expect(page.getByLabel('Number')).toHaveValue('');
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
