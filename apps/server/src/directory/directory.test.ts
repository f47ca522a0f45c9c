/**
 * Directories end to end: a real OpenLDAP (test-support/slapd.ts), the real server over HTTP, a
 * simulated phone. Without slapd these skip, loudly (SLAPD_MISSING).
 */

import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import {
  type ContactPage,
  type DirectoryTestResult,
  type DirectoryView,
  directoryViewSchema,
} from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/harness.ts';
import { type Slapd, slapdAvailable, startSlapd } from '../test-support/slapd.ts';
import { type AuthHarness, expectError, startAuthHarness, transcript } from '../users/test-support.ts';

const hasSlapd = slapdAvailable();
let ldap: Slapd;
let h: AuthHarness;

const PEOPLE = (base: string) => `dn: ou=people,${base}
objectClass: organizationalUnit
ou: people

dn: cn=Grace Hopper,ou=people,${base}
objectClass: inetOrgPerson
cn: Grace Hopper
sn: Hopper
displayName: Grace B. Hopper
o: Navy Labs
telephoneNumber: +49 30 5550 7001
mobile: +49 171 5550702

dn: cn=Alan Turing,ou=people,${base}
objectClass: inetOrgPerson
cn: Alan Turing
sn: Turing
telephoneNumber: 2042

dn: cn=No Number,ou=people,${base}
objectClass: inetOrgPerson
cn: No Number
sn: Number
`;

const settings = (over: Record<string, unknown> = {}) => ({
  enabled: true,
  url: ldap.url,
  bindDn: ldap.rootDn,
  password: ldap.rootPassword,
  baseDn: `ou=people,${ldap.baseDn}`,
  mapping: { name: ['displayName', 'cn'], company: ['o'], numbers: ['telephoneNumber', 'mobile'] },
  ...over,
});

describe.skipIf(!hasSlapd)('directories (real slapd)', () => {
  beforeAll(async () => {
    ldap = await startSlapd({ tls: true });
    await ldap.add(PEOPLE(ldap.baseDn));
    h = await startAuthHarness([{ name: 'Desk' }], { config: { defaultCountry: 'DE' } });
    h.passwords.add(ldap.rootPassword);
    await waitFor(() => h.server.cache.get(h.phone('Desk').id)?.status === 'available');
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await ldap?.stop();
  });

  it('keeps the settings and never answers the password', async () => {
    const empty = await h.admin.req<DirectoryView>('GET', '/api/directory');
    expect(empty.status).toBe(200);
    expect(empty.body.settings).toBeNull();
    expectError(
      await h.admin.req('PUT', '/api/directory', settings({ url: 'http://x' })),
      400,
      'invalid_input',
    );
    const put = await h.admin.req<DirectoryView>('PUT', '/api/directory', settings());
    expect(put.status, put.text).toBe(200);
    const view = directoryViewSchema.parse((await h.admin.req('GET', '/api/directory')).body);
    expect(view.settings).toMatchObject({
      url: ldap.url,
      hasPassword: true,
      filter: '(objectClass=person)',
      refreshMinutes: 15,
    });
    // A change without a password keeps the stored one.
    const { password: _, ...noPassword } = settings({ refreshMinutes: 30 });
    await h.admin.req('PUT', '/api/directory', noPassword);
    const test = await h.admin.req<DirectoryTestResult>('POST', '/api/directory/test');
    expect(test.body).toMatchObject({ ok: true, count: 3 });
    for (const t of transcript) expect(t.text).not.toContain(ldap.rootPassword);
    const row = await h.server.db.selectFrom('directory_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.password_sealed).not.toContain(ldap.rootPassword);
    const operator = await h.user('operator');
    expectError(await operator.req('GET', '/api/directory'), 403, 'forbidden');
  });

  it('test connection says what is wrong: bad password, unreachable, bad base', async () => {
    const bad = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ password: 'wrong' }),
    );
    expect(bad.body).toMatchObject({ ok: false, reason: 'bad_credentials' });
    const down = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ url: 'ldap://127.0.0.1:1' }),
    );
    expect(down.body).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(down.body.message).toContain('cannot be reached');
    const base = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ baseDn: 'ou=nobody,dc=example,dc=com' }),
    );
    expect(base.body).toMatchObject({ ok: false, reason: 'bad_base' });
    expect(JSON.stringify([bad.body, down.body, base.body])).not.toContain('wrong');
  });

  it('refresh fills the cache: search shows directory contacts with their source', async () => {
    await h.admin.req('POST', '/api/contacts', { name: 'Own Contact', number: '+49 30 1111 2222' });
    const refreshed = await h.admin.req<DirectoryView>('POST', '/api/directory/refresh');
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.status).toMatchObject({ count: 2, lastError: null });
    const found = await h.admin.req<ContactPage>('GET', '/api/contacts?q=hopper');
    expect(found.body.contacts).toEqual([
      expect.objectContaining({
        name: 'Grace B. Hopper',
        company: 'Navy Labs',
        source: 'directory',
        e164: '+493055507001',
      }),
    ]);
    const all = await h.admin.req<ContactPage>('GET', '/api/contacts');
    expect(all.body.total).toBe(3);
    expect(all.body.contacts.map((c) => c.source ?? 'linedeck')).toEqual([
      'linedeck',
      'directory',
      'directory',
    ]);
    const onlyDir = await h.admin.req<ContactPage>('GET', '/api/contacts?source=directory&q=2042');
    expect(onlyDir.body.contacts.map((c) => c.name)).toEqual(['Alan Turing']);
    const own = await h.admin.req<ContactPage>('GET', '/api/contacts?source=linedeck');
    expect(own.body.contacts.map((c) => c.name)).toEqual(['Own Contact']);
  });

  it('names a ringing caller found only in the directory', async () => {
    const phone = h.phone('Desk');
    const res = await fetch(`${phone.sim.url}/sim/ring`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: '01715550702' }),
    });
    expect(res.status).toBe(200);
    await waitFor(() => h.server.cache.get(phone.id)?.lines[0]?.state === 'ringing');
    await waitFor(() => h.server.cache.get(phone.id)?.lines[0]?.contact?.name === 'Grace B. Hopper');
    await fetch(`${phone.sim.url}/sim/hangup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  });

  it('refuses to edit or delete a directory contact', async () => {
    const page = await h.admin.req<ContactPage>('GET', '/api/contacts?source=directory&q=turing');
    const id = page.body.contacts[0]?.id as string;
    const patch = await h.admin.req('PATCH', `/api/contacts/${id}`, { name: 'Changed' });
    expect(expectError(patch, 409, 'rejected')).toContain('directory');
    expectError(await h.admin.req('DELETE', `/api/contacts/${id}`), 409, 'rejected');
    expect((await h.admin.req<{ name: string }>('GET', `/api/contacts/${id}`)).body.name).toBe('Alan Turing');
  });

  it('ldaps:// with the office CA: untrusted without it, read with it, and the CA is kept', async () => {
    const ldapsUrl = ldap.ldapsUrl as string;
    const untrusted = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ url: ldapsUrl }),
    );
    expect(untrusted.body).toMatchObject({ ok: false, reason: 'untrusted_certificate' });
    expect(untrusted.body.message).toContain('paste that CA certificate');
    const trusted = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ url: ldapsUrl, caCertificate: ldap.caPem }),
    );
    expect(trusted.body).toMatchObject({ ok: true, count: 3 });

    const put = await h.admin.req<DirectoryView>(
      'PUT',
      '/api/directory',
      settings({ url: ldapsUrl, caCertificate: ldap.caPem }),
    );
    expect(put.status, put.text).toBe(200);
    expect(put.body.settings?.caCertificate).toBe(ldap.caPem?.trim());
    // The audit names the certificate by its fingerprint, not the whole PEM.
    const audit = await h.admin.req<{ entries: { action: string; params: Record<string, unknown> }[] }>(
      'GET',
      '/api/audit?limit=5',
    );
    const saved = audit.body.entries.find((e) => e.action === 'directory:update');
    expect(saved?.params.caCertificates).toEqual([new X509Certificate(ldap.caPem as string).fingerprint256]);
    expect(JSON.stringify(audit.body)).not.toContain('BEGIN CERTIFICATE');
    const refreshed = await h.admin.req<DirectoryView>('POST', '/api/directory/refresh');
    expect(refreshed.body.status).toMatchObject({ count: 2, lastError: null });
    // An empty field goes back to the system's CAs, which do not know this one.
    const plain = await h.admin.req<DirectoryTestResult>(
      'POST',
      '/api/directory/test',
      settings({ url: ldapsUrl, caCertificate: '' }),
    );
    expect(plain.body).toMatchObject({ ok: false, reason: 'untrusted_certificate' });
  });

  it('a CA certificate that cannot be read is refused and changes nothing', async () => {
    const before = (await h.admin.req<DirectoryView>('GET', '/api/directory')).body.settings;
    const broken = `-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n`;
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
    for (const caCertificate of [broken, key, 'just text']) {
      for (const [method, path] of [
        ['PUT', '/api/directory'],
        ['POST', '/api/directory/test'],
      ] as const) {
        const res = await h.admin.req<{ error: { issues?: { path: string }[] } }>(
          method,
          path,
          settings({ url: ldap.ldapsUrl, caCertificate }),
        );
        expectError(res, 400, 'invalid_input');
        expect(res.body.error.issues?.map((i) => i.path)).toEqual(['caCertificate']);
      }
    }
    expect((await h.admin.req<DirectoryView>('GET', '/api/directory')).body.settings).toEqual(before);
  });

  it('the stored password goes only to the directory it was saved for', async () => {
    expect((await h.admin.req('PUT', '/api/directory', settings())).status).toBe(200);
    const before = (await h.admin.req<DirectoryView>('GET', '/api/directory')).body.settings;
    // Somewhere else that would take a bind: nothing may reach it without the password typed again.
    let connections = 0;
    const elsewhere = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const port = (elsewhere.address() as net.AddressInfo).port;
    try {
      const { password: _, ...noPassword } = settings();
      for (const url of [`ldap://127.0.0.1:${port}`, ldap.url.replace('ldap://', 'ldaps://')]) {
        for (const [method, path] of [
          ['POST', '/api/directory/test'],
          ['PUT', '/api/directory'],
        ] as const) {
          const res = await h.admin.req<{ error: { issues?: { path: string }[] } }>(method, path, {
            ...noPassword,
            url,
          });
          expectError(res, 400, 'invalid_input');
          expect(res.body.error.issues?.map((i) => i.path)).toEqual(['password']);
        }
      }
      expect(connections).toBe(0);
      expect((await h.admin.req<DirectoryView>('GET', '/api/directory')).body.settings).toEqual(before);
      // The same directory written another way (the scheme in upper case) keeps the stored password.
      const same = ldap.url.replace('ldap://', 'LDAP://');
      const kept = await h.admin.req<DirectoryTestResult>('POST', '/api/directory/test', {
        ...noPassword,
        url: same,
      });
      expect(kept.body).toMatchObject({ ok: true, count: 3 });
    } finally {
      await new Promise((r) => elsewhere.close(r));
    }
  });
});
