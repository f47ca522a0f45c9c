import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/test.ts';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

test('an admin reads the API reference generated from /api/openapi.json, and filters it', async ({
  page,
}) => {
  await page.goto('/settings/phones');
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  // Other journeys' missed calls may prefix the title with their count ("(2) ").
  await expect(page).toHaveTitle(/^(\(\d+\) )?API reference · LineDeck$/);

  const commands = page.getByRole('region', { name: 'Commands' });
  const dial = commands.locator('details').filter({ hasText: '/api/phones/{id}/calls' });
  await dial.locator('summary').click();
  // The body as the contract's schema says (limits included), who may call it, and the answers.
  await expect(dial).toContainText('{ number: string, account?: integer (0–15) }');
  await expect(dial).toContainText('calls:control');
  await expect(dial).toContainText('id (path) string');

  await page.getByLabel('Filter').fill('dnd');
  await expect(page.locator('details')).toHaveCount(1);
  await expect(page.locator('details')).toContainText('/api/phones/{id}/dnd');
  await expect(page.getByRole('region', { name: 'Contacts' })).toHaveCount(0);
});

test.describe('accessibility', () => {
  // Injecting axe is an inline script, which the server's CSP forbids: allowed for this check only.
  test.use({ bypassCSP: true });

  test('the API reference has no serious violation', async ({ page }) => {
    await page.goto('/api-reference');
    await expect(page.getByRole('region', { name: 'Phones' })).toBeVisible();
    await page.locator('details').first().locator('summary').click();
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const { axe } = globalThis as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string | null }[] }> };
      };
      return (await axe.run()).violations;
    });
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
  });
});
