/**
 * Keyboard shortcuts on the console: A answers, H holds and resumes, E ends, N goes to the Number
 * field, T opens Transfer… for the call; `?` lists them. None fires while typing.
 */
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const reception = stackPhone('Reception');

test('A, H, H, E drive the call; typing in a field never triggers them', async ({ page, sim }) => {
  await openConsole(page, 'Reception');
  const number = page.getByRole('textbox', { name: 'Number', exact: true });
  const line = page.getByRole('region', { name: 'Line 1', exact: true });

  await sim.ring(reception, '5550191', 'Key Caller');
  await expect(line.getByRole('button', { name: 'Answer' })).toBeVisible({ timeout: 3000 });
  // Typing letters in the Number field is typing, not shortcuts: the call keeps ringing.
  await number.focus();
  await page.keyboard.type('ahe');
  await page.waitForTimeout(400);
  expect((await sim.line(reception, 1))?.state).toBe('ringing');
  await number.fill('');

  await page.getByRole('heading', { name: 'Lines' }).click();
  await page.keyboard.press('a');
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  await expect(line.getByRole('button', { name: 'Hold' })).toBeVisible();
  await page.keyboard.press('h');
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('onhold');
  await expect(line.getByRole('button', { name: 'Resume' })).toBeVisible();
  await page.keyboard.press('h');
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('connected');
  await expect(line.getByRole('button', { name: 'Hold' })).toBeVisible();

  // T opens Transfer… for the call, with its field ready: nothing reaches the phone until a choice.
  await sim.clearLog(reception);
  await page.getByRole('heading', { name: 'Lines' }).click();
  await page.keyboard.press('t');
  const transfer = page.getByRole('dialog', { name: /^Transfer Key Caller/ });
  await expect(transfer).toBeVisible();
  await expect(transfer.getByRole('combobox')).toBeFocused();
  await page.keyboard.type('e');
  await expect(transfer.getByRole('combobox')).toHaveValue('e');
  await page.keyboard.press('Escape');
  await expect(transfer).toBeHidden();
  expect((await sim.log(reception)).filter((e) => e.function === 'api-send_key')).toEqual([]);
  expect((await sim.line(reception, 1))?.state).toBe('connected');

  await page.getByRole('heading', { name: 'Lines' }).click();
  await page.keyboard.press('e');
  await expect.poll(async () => (await sim.line(reception, 1))?.state).toBe('idle');

  // N goes to the Number field, and the n is not typed into it.
  await page.keyboard.press('n');
  await expect(number).toBeFocused();
  await expect(number).toHaveValue('');
});

test('? opens the "Keyboard shortcuts" dialog, but not from inside a field', async ({ page }) => {
  await openConsole(page, 'Reception');
  const number = page.getByRole('textbox', { name: 'Number', exact: true });
  await number.focus();
  await page.keyboard.type('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  await number.fill('');

  await page.getByRole('heading', { name: 'Lines' }).click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  for (const text of [
    'Answer the ringing call',
    'End the call',
    'Hold or resume',
    'Number field',
    'Transfer',
  ])
    await expect(dialog).toContainText(text);
  // Behind the dialog the console's shortcuts are off.
  await page.keyboard.press('n');
  await expect(number).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The button next to Dial opens it too.
  await page.getByRole('button', { name: /Keyboard shortcuts/ }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
