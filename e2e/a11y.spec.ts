import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, openConsole, stackPhone, test } from './fixtures/test.ts';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

// The server's CSP forbids inline scripts, and injecting axe is one: allowed for this check only.
test.use({ bypassCSP: true });

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as { axe: { run: () => Promise<{ violations: Violation[] }> } };
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test.describe('signed out', () => {
      test.use({ signedIn: false });
      test('sign-in has no serious accessibility violation', async ({ page }) => {
        await page.goto('/');
        await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });
    });

    test('fleet has no serious accessibility violation', async ({ page, sim }) => {
      await sim.ring(stackPhone('Reception'), '5551212', 'Carol Axe');
      await page.goto('/');
      await expect(page.getByRole('article', { name: 'Reception' })).toContainText('Carol Axe');
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('console has no serious accessibility violation', async ({ page, sim }) => {
      await openConsole(page, 'Reception');
      await sim.ring(stackPhone('Reception'), '5551313', 'Dave Axe');
      await expect(page.getByRole('region', { name: 'Line 1', exact: true })).toContainText('Dave Axe');
      await page.locator('summary', { hasText: 'MPK keys' }).click();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}
