/**
 * Contacts imported as people export them (a semicolon CSV from a German spreadsheet, a vCard file) through
 * a mapping step with a preview that shows duplicates by number; errors once, in the dialog; and the
 * export, formula-safe.
 */
import { readFile } from 'node:fs/promises';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';

const created: string[] = [];

async function removeMatching(adminApi: APIRequestContext, q: string) {
  const res = await adminApi.get(`/api/contacts?q=${encodeURIComponent(q)}&limit=200`);
  for (const c of ((await res.json()) as { contacts: { id: string }[] }).contacts) created.push(c.id);
}

test.afterEach(async ({ adminApi }) => {
  for (const id of created.splice(0)) await adminApi.delete(`/api/contacts/${id}`);
});

test('a semicolon CSV is mapped, previewed with its duplicate by number, and imported', async ({
  page,
  adminApi,
}) => {
  const stamp = String(Date.now()).slice(-6);
  const known = await adminApi.post('/api/contacts', {
    data: { name: `Known ${stamp}`, number: `+49 30 55${stamp}` },
  });
  created.push(((await known.json()) as { id: string }).id);
  const csv = [
    'Vorname;Nachname;Firma;Telefon;Mobil;E-Mail;Geburtstag',
    `Jürgen;Imp${stamp};"Bäckerei; Süd";030 66${stamp};0170 77${stamp};j@example.com;1970-01-01`,
    `Dup;Imp${stamp};;030 55${stamp.slice(0, 3)} ${stamp.slice(3)};;;`,
  ].join('\r\n');

  await page.goto('/contacts');
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await dialog.getByLabel('Or paste the file’s text').fill(csv);
  await dialog.getByRole('button', { name: 'Next' }).click();

  await expect(dialog.getByText('What each column is (CSV (semicolon), 2 rows)')).toBeVisible();
  await expect(dialog.getByLabel('Vorname')).toHaveValue('first');
  await expect(dialog.getByLabel('Telefon')).toHaveValue('number');
  await expect(dialog.getByLabel('Geburtstag')).toHaveValue('ignore');
  await dialog.getByLabel('Geburtstag').selectOption('keep');

  const preview = dialog.getByRole('region', { name: 'Preview' });
  const fresh = preview.getByRole('row').filter({ hasText: `Jürgen Imp${stamp}` });
  await expect(fresh).toContainText('Bäckerei; Süd');
  await expect(fresh).toContainText(`030 66${stamp}, 0170 77${stamp}`);
  await expect(fresh).toContainText('Geburtstag: 1970-01-01');
  await expect(fresh).toContainText('New');
  await expect(preview.getByRole('row').filter({ hasText: `Dup Imp${stamp}` })).toContainText(
    `Duplicate: Known ${stamp} has this number`,
  );
  await expect(preview).toContainText('2 rows: 1 new, 1 duplicates by number, 0 refused.');

  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('status')).toHaveText('1 imported, 1 skipped as duplicates, 0 refused.');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await removeMatching(adminApi, `Imp${stamp}`);
  const item = page.getByRole('listitem', { name: `Jürgen Imp${stamp}` });
  await page.getByLabel('Search contacts').fill(`imp${stamp}`);
  await expect(item).toContainText(`Mobil 0170 77${stamp}`);
  await expect(item).toContainText('j@example.com');
  await expect(page.getByRole('listitem', { name: `Dup Imp${stamp}` })).toHaveCount(0);
});

test('a vCard file is imported with its numbers and types', async ({ page, adminApi }) => {
  const stamp = String(Date.now()).slice(-6);
  const vcf = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:Card${stamp};Ada;;;`,
    'ORG:Analytical Engines',
    `TEL;TYPE=WORK,VOICE:+49 30 88${stamp}`,
    `item1.TEL;TYPE=CELL:0171 99`,
    ` ${stamp}`,
    'END:VCARD',
  ].join('\r\n');
  await page.goto('/contacts');
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await dialog.getByLabel('File (CSV or vCard)').setInputFiles({
    name: 'ada.vcf',
    mimeType: 'text/vcard',
    buffer: Buffer.from(vcf),
  });
  await dialog.getByRole('button', { name: 'Next' }).click();
  const preview = dialog.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('row').filter({ hasText: `Ada Card${stamp}` })).toContainText(
    `030 88${stamp}, 0171 99${stamp}`,
  );
  await expect(preview).toContainText('1 rows: 1 new, 0 duplicates by number, 0 refused.');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByRole('status')).toHaveText('1 imported, 0 skipped as duplicates, 0 refused.');
  await removeMatching(adminApi, `Card${stamp}`);
  expect(created).toHaveLength(1);
});

test('an import the server refuses says so once, in the dialog, not behind it', async ({ page }) => {
  await page.goto('/contacts');
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import contacts' });
  await dialog.getByLabel('Or paste the file’s text').fill(`Name,Phone\n${'x'.repeat(1200)},030 1\n`);
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('alert')).toHaveCount(1);
  await expect(dialog.getByRole('alert')).toContainText(/./);
  await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Notifications' })).not.toContainText(/request|valid/i);

  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.getByLabel('Or paste the file’s text').fill('Name,Phone\n');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This file has no rows under its first line (the column names).',
  );
});

test('Export CSV downloads every contact, formula-safe', async ({ page, adminApi }) => {
  const name = `=HYPERLINK("http://x") ${Date.now()}`;
  const res = await adminApi.post('/api/contacts', {
    data: { name, number: '+49 30 1234567', notes: '@risk' },
  });
  created.push(((await res.json()) as { id: string }).id);
  await page.goto('/contacts');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('contacts.csv');
  const text = await readFile((await file.path()) as string, 'utf8');
  expect(text.startsWith('\uFEFFname,company,number,email,notes,other numbers\r\n')).toBe(true);
  expect(text).toContain(`"'${name.replace(/"/g, '""')}",,'+49 30 1234567,,'@risk,`);
});
