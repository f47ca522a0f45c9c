/**
 * No webhook reaches an address no receiver lives at (server-side request forgery): written in the URL it
 * is refused when saved (400, nothing stored or changed); resolved from a name, the delivery fails before
 * any connection, with the reason in its log. Through the real server and a real receiver; names come
 * from the dispatcher's `lookup`, as DNS would give them (crm.test: the receiver; metadata.test: the
 * cloud metadata address).
 */
import dns from 'node:dns';
import {
  type Webhook,
  type WebhookDelivery,
  type WebhookList,
  webhookDeliveryListSchema,
  webhookWithSecretSchema,
} from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/harness.ts';
import { type AuthHarness, expectError, startAuthHarness } from '../users/test-support.ts';
import { startTestReceiver, type TestReceiver } from './test-receiver.ts';
import { isBlockedAddress, type Lookup } from './webhook-address-guard.ts';

const NAMES: Record<string, string> = { 'crm.test': '127.0.0.1', 'metadata.test': '169.254.169.254' };

const testLookup: Lookup = (hostname, options, callback) => {
  const address = NAMES[hostname];
  if (address === undefined) {
    (dns.lookup as unknown as Lookup)(hostname, options, callback);
    return;
  }
  if (options.all) callback(null, [{ address, family: 4 }]);
  else callback(null, address, 4);
};

let h: AuthHarness;
let rx: TestReceiver;

beforeAll(async () => {
  rx = await startTestReceiver();
  h = await startAuthHarness([], { webhooks: { tickMs: 50, lookup: testLookup } });
});
afterAll(async () => {
  await h?.close();
  await rx?.close();
});

async function create(url: string): Promise<Webhook> {
  const res = await h.admin.req('POST', '/api/webhooks', { url, events: ['call.missed'] });
  expect(res.status, res.text).toBe(201);
  const { webhook, secret } = webhookWithSecretSchema.parse(res.body);
  rx.secret = secret;
  return webhook;
}

async function testEvent(hook: Webhook): Promise<WebhookDelivery> {
  const sent = await h.admin.req<WebhookDelivery>('POST', `/api/webhooks/${hook.id}/test`);
  expect(sent.status, sent.text).toBe(201);
  return waitFor(async () => {
    const res = await h.admin.req('GET', `/api/webhooks/${hook.id}/deliveries`);
    const [last] = webhookDeliveryListSchema.parse(res.body).deliveries;
    return last && last.id === sent.body.id && last.attempt > 0 ? last : null;
  });
}

describe('which addresses are blocked', () => {
  it('link-local, "this network", multicast and reserved; not loopback, the LAN or the internet', () => {
    for (const a of [
      '0.0.0.0',
      '0.1.2.3',
      '169.254.169.254',
      '::ffff:169.254.169.254',
      'fe80::1',
      '::',
      '224.0.0.1',
      '255.255.255.255',
      'ff02::1',
    ])
      expect(isBlockedAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '::1',
      '10.0.0.5',
      '192.168.1.10',
      '172.16.4.4',
      '8.8.8.8',
      '2001:db8::1',
      '::ffff:10.0.0.5',
    ])
      expect(isBlockedAddress(a), a).toBe(false);
  });
});

describe('webhooks to blocked addresses', () => {
  it('are refused when saved with the address in the URL, and nothing is stored or changed', async () => {
    const port = new URL(rx.url).port;
    const before = (await h.admin.req<WebhookList>('GET', '/api/webhooks')).body.webhooks.length;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      `http://0.0.0.0:${port}/hooks/linedeck`,
      'http://[fe80::1]/hook',
      'http://[::ffff:169.254.169.254]/hook',
    ]) {
      const res = await h.admin.req('POST', '/api/webhooks', { url, events: ['call.missed'] });
      expectError(res, 400, 'invalid_input');
      expect(res.text).toContain('link-local');
    }
    expect((await h.admin.req<WebhookList>('GET', '/api/webhooks')).body.webhooks).toHaveLength(before);

    const hook = await create(rx.url);
    const moved = await h.admin.req('PATCH', `/api/webhooks/${hook.id}`, { url: 'http://169.254.169.254/x' });
    expectError(moved, 400, 'invalid_input');
    const kept = await h.admin.req<Webhook>('GET', `/api/webhooks/${hook.id}`);
    expect(kept.body.url).toBe(rx.url);
    // 0.0.0.0 would have reached the receiver on this very machine: it heard nothing.
    expect(rx.requests).toBe(0);
  });

  it('fail at delivery when the name resolves to one, before connecting; other names deliver', async () => {
    const port = new URL(rx.url).port;
    const good = await create(`http://crm.test:${port}/hooks/linedeck`);
    expect(await testEvent(good)).toMatchObject({ state: 'delivered', statusCode: 204, error: null });

    const bad = await create('http://metadata.test/latest/meta-data/');
    const failed = await testEvent(bad);
    expect(failed).toMatchObject({ statusCode: null, error: 'blocked address 169.254.169.254' });
    expect(failed.state).not.toBe('delivered');
  });
});
