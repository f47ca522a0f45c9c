/**
 * A phone behind `https://` with a self-signed certificate: the real server polls it only when the
 * phone's config says `allowSelfSigned`, and the flag round-trips through the API. The phone is the CTI
 * package's TLS test server, which has a certificate made for these tests.
 */
import { type Phone, phoneSchema, phoneStateSchema } from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPhone, success, type TestPhone } from '../../../../packages/cti/src/test-phone-server.ts';
import { type Harness, startHarness, uniquePasscode, waitFor } from '../test-support/harness.ts';

let h: Harness;
let tlsPhone: TestPhone;

beforeAll(async () => {
  h = await startHarness([]);
  tlsPhone = await startTestPhone(
    {
      'api-get_line_status': success([{ line: 1, state: 'idle', acct: '', remotename: '', remotenum: '' }]),
      'api-get_phone_status': success('available', { misc: '0' }),
      'api-get_accounts': success([]),
    },
    { tls: true },
  );
});
afterAll(async () => {
  await h?.close();
  await tlsPhone?.close();
});

async function stateOf(id: string) {
  return phoneStateSchema.parse((await h.api('GET', `/api/phones/${id}/state`)).body);
}

describe('allowSelfSigned', () => {
  it('is off by default: a self-signed https phone shows offline and is never served a request', async () => {
    const passcode = uniquePasscode('tls');
    h.secrets.add(passcode);
    const created = await h.api<Phone>('POST', '/api/phones', {
      name: 'TLS default',
      host: tlsPhone.host,
      passcode,
    });
    expect(created.status).toBe(201);
    expect(phoneSchema.parse(created.body).allowSelfSigned).toBe(false);
    const id = created.body.id;

    await waitFor(async () => (await stateOf(id)).error?.code === 'unreachable');
    expect((await stateOf(id)).status).toBe('offline');
    // The TLS handshake failed: no CTI request (and so no passcode) ever reached the phone.
    expect(tlsPhone.requests).toHaveLength(0);
    await h.api('DELETE', `/api/phones/${id}`);
  });

  it('polls the phone when set at creation, and PATCH turns it off and on again', async () => {
    const passcode = uniquePasscode('tls');
    h.secrets.add(passcode);
    const created = await h.api<Phone>('POST', '/api/phones', {
      name: 'TLS trusted',
      host: tlsPhone.host,
      passcode,
      allowSelfSigned: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(phoneSchema.parse((await h.api('GET', `/api/phones/${id}`)).body).allowSelfSigned).toBe(true);

    await waitFor(async () => (await stateOf(id)).status === 'available');
    expect((await stateOf(id)).error).toBeUndefined();
    expect(tlsPhone.requests.some((r) => r.fn === 'api-get_line_status')).toBe(true);

    const off = await h.api<Phone>('PATCH', `/api/phones/${id}`, { allowSelfSigned: false });
    expect(off.status).toBe(200);
    expect(phoneSchema.parse(off.body).allowSelfSigned).toBe(false);
    expect(phoneSchema.parse((await h.api('GET', `/api/phones/${id}`)).body).allowSelfSigned).toBe(false);
    // The change takes effect at once: a new client that verifies the certificate, so the phone drops out.
    await waitFor(async () => (await stateOf(id)).status === 'offline');

    const on = await h.api<Phone>('PATCH', `/api/phones/${id}`, { allowSelfSigned: true });
    expect(phoneSchema.parse(on.body).allowSelfSigned).toBe(true);
    await waitFor(async () => (await stateOf(id)).status === 'available');
    expect((await h.api<Phone[]>('GET', '/api/phones')).body.find((p) => p.id === id)?.allowSelfSigned).toBe(
      true,
    );
    h.expectNoSecrets();
  });

  it('the raw passthrough follows the same setting', async () => {
    const created = await h.api<Phone>('POST', '/api/phones', {
      name: 'TLS passthrough',
      host: tlsPhone.host,
      passcode: uniquePasscode('tls'),
      allowSelfSigned: true,
    });
    const id = created.body.id;
    const trusted = await h.raw(`/cti/${id}/cgi-bin/api-get_phone_status`);
    expect(trusted.status).toBe(200);
    expect(trusted.text).toContain('available');

    await h.api('PATCH', `/api/phones/${id}`, { allowSelfSigned: false });
    const refused = await h.raw(`/cti/${id}/cgi-bin/api-get_phone_status`);
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ error: { code: 'unreachable' } });
  });

  it('refuses a non-boolean value', async () => {
    const res = await h.api('POST', '/api/phones', {
      name: 'TLS bad',
      host: tlsPhone.host,
      passcode: 'p',
      allowSelfSigned: 'yes',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_input', issues: [{ path: 'allowSelfSigned' }] },
    });
  });
});
