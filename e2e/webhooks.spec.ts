/**
 * Settings → Webhooks in Chromium against the real stack: a receiver in this test (node:http) checks
 * each delivery's signature with the secret the page showed once.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/test.ts';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));

interface Got {
  event: string;
  delivery: string;
  valid: boolean;
}

test('create a webhook, copy its secret once, send a test event, read the log, redeliver, disable, delete', async ({
  page,
}) => {
  const got: Got[] = [];
  let secret = '';
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const ts = String(req.headers['x-linedeck-timestamp']);
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      got.push({
        event: String(req.headers['x-linedeck-event']),
        delivery: String(req.headers['x-linedeck-delivery']),
        valid: req.headers['x-linedeck-signature'] === expected,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/${Date.now()}`;
  try {
    await page.goto('/settings/webhooks');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const form = page.getByRole('region', { name: 'New webhook' });
    await form.getByLabel('URL').fill('ftp://files.example/hook');
    await form.getByRole('button', { name: 'Create webhook' }).click();
    await expect(form.getByText('An http:// or https:// URL.')).toBeVisible();

    await form.getByLabel('URL').fill(url);
    await form.getByLabel('call.ringing').check();
    await form.getByRole('button', { name: 'Create webhook' }).click();
    const shown = page.getByLabel('Signing secret');
    await expect(shown).toHaveValue(/^whsec_/);
    secret = await shown.inputValue();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByLabel('Signing secret')).toHaveCount(0);

    const row = page.getByRole('row').filter({ hasText: url });
    await expect(row).toContainText('call.missed, call.ringing');
    await expect(row).toContainText('Enabled');
    await page.reload();
    await expect(page.getByText(secret)).toHaveCount(0);

    await row.getByRole('button', { name: 'Send test event' }).click();
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toMatchObject({ event: 'webhook.test', valid: true });

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('region', { name: 'Deliveries' });
    const logged = log.getByRole('row').filter({ hasText: 'webhook.test' });
    await expect(logged).toContainText('delivered');
    await expect(logged).toContainText('HTTP 204');
    await logged.getByRole('button', { name: 'Redeliver' }).click();
    await expect.poll(() => got.length).toBe(2);
    expect(got[1]?.valid).toBe(true);
    expect(got[1]?.delivery).not.toBe(got[0]?.delivery);

    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(row).toContainText('Disabled');
    await expect(row.getByRole('button', { name: 'Send test event' })).toBeDisabled();

    await row.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('row').filter({ hasText: url })).toHaveCount(0);
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test.describe('accessibility', () => {
  // Injecting axe is an inline script, which the server's CSP forbids: allowed for this check only.
  test.use({ bypassCSP: true });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`Settings → Webhooks with its log open has no serious violation (${colorScheme})`, async ({
      page,
      adminApi,
    }) => {
      const url = `http://127.0.0.1:9/a11y/${Date.now()}`;
      const made = await adminApi.post('/api/webhooks', { data: { url, events: ['call.ended'] } });
      expect(made.status()).toBe(201);
      const { webhook } = (await made.json()) as { webhook: { id: string } };
      try {
        await adminApi.post(`/api/webhooks/${webhook.id}/test`);
        await page.emulateMedia({ colorScheme });
        await page.goto('/settings/webhooks');
        const row = page.getByRole('row').filter({ hasText: url });
        await row.getByRole('button', { name: 'Deliveries' }).click();
        await expect(
          page.getByRole('region', { name: 'Deliveries' }).getByText('webhook.test'),
        ).toBeVisible();
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const { axe } = globalThis as unknown as {
            axe: {
              run: () => Promise<{
                violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
              }>;
            };
          };
          return (await axe.run()).violations;
        });
        const serious = violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
        expect(serious).toEqual([]);
      } finally {
        await adminApi.delete(`/api/webhooks/${webhook.id}`);
      }
    });
  }
});
