/**
 * Settings → Directory in Chromium against the real stack and a real OpenLDAP started here
 * (apps/server/src/test-support/slapd.ts; skipped loudly without slapd). The directory is switched off
 * again at the end, which empties its cache: later specs see only LineDeck's own contacts.
 */
import { fileURLToPath } from 'node:url';
import { type Slapd, slapdAvailable, startSlapd } from '../apps/server/src/test-support/slapd.ts';
import { expect, test } from './fixtures/test.ts';

const AXE = fileURLToPath(new URL('../node_modules/axe-core/axe.min.js', import.meta.url));
const hasSlapd = slapdAvailable();

test.describe('directory', () => {
  test.skip(!hasSlapd, 'slapd not installed: apt-get install slapd ldap-utils openssl');
  test.use({ bypassCSP: true });
  let ldap: Slapd;
  test.beforeAll(async () => {
    ldap = await startSlapd({ tls: true });
    await ldap.add(`dn: cn=Hedy Lamarr,${ldap.baseDn}
objectClass: inetOrgPerson
cn: Hedy Lamarr
sn: Lamarr
o: Frequency Hopping Inc
telephoneNumber: +1 212 555 0199
`);
  });
  test.afterAll(async () => {
    await ldap?.stop();
  });

  test('set up a directory, test it, refresh, and see its contact read-only in Contacts', async ({
    page,
    adminApi,
  }) => {
    try {
      await page.goto('/settings/directory');
      const form = page.getByRole('region', { name: 'Directory (LDAP / Active Directory)' });
      await form.getByLabel('URL').fill(ldap.url);
      await form.getByLabel('Bind DN').fill(ldap.rootDn);
      await form.getByLabel('Password').fill('not-the-password');
      await form.getByLabel('Base DN').fill(ldap.baseDn);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('status')).toContainText('refused the bind DN or password');
      await form.getByLabel('Password').fill(ldap.rootPassword);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('status')).toContainText('Connected: 1 entries');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect(form.getByLabel('Password')).toHaveValue('');
      await expect(form.getByText('A password is stored')).toBeVisible();

      // Over ldaps:// with the office's own CA: the stored password is not sent to a new URL, the
      // untrusted certificate is named, and the pasted CA makes it work.
      await form.getByLabel('URL').fill(ldap.ldapsUrl as string);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByText('Type the password again')).toBeVisible();
      await form.getByLabel('Password').fill(ldap.rootPassword);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('status')).toContainText('does not trust');
      await form.getByLabel('CA certificate').fill('not a certificate');
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByText('Paste the CA certificate as PEM')).toBeVisible();
      await form.getByLabel('CA certificate').fill(ldap.caPem as string);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('status')).toContainText('Connected: 1 entries');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect(form.getByLabel('Password')).toHaveValue('');
      await page.reload();
      await expect(form.getByLabel('URL')).toHaveValue(ldap.ldapsUrl as string);
      await expect(form.getByLabel('CA certificate')).toHaveValue(/BEGIN CERTIFICATE/);

      const status = page.getByRole('region', { name: 'Status' });
      await status.getByRole('button', { name: 'Refresh now' }).click();
      await expect(status.getByText('Never')).toHaveCount(0);
      await expect(status).toContainText('Contacts1');

      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const { axe } = globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; impact: string | null }[] }> };
        };
        return (await axe.run()).violations;
      });
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

      await page.goto('/contacts');
      await page.getByPlaceholder('Name, company or number').fill('Lamarr');
      const item = page.getByRole('listitem', { name: 'Hedy Lamarr' });
      await expect(item).toContainText('Directory');
      await expect(item).toContainText('Frequency Hopping Inc');
      await expect(item.getByRole('button', { name: 'Edit Hedy Lamarr' })).toHaveCount(0);
      await expect(item.getByRole('button', { name: 'Delete Hedy Lamarr' })).toHaveCount(0);
    } finally {
      const off = await adminApi.put('/api/directory', {
        data: { enabled: false, url: ldap.url, bindDn: '', password: null, baseDn: ldap.baseDn },
      });
      expect(off.status()).toBe(200);
    }
  });
});
