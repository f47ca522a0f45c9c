/**
 * Webhooks end to end: the real server over HTTP, a simulated phone, and a real receiver (test-receiver.ts)
 * that checks signatures, goes down and comes back. Backoff is short (`webhooks.retry`), never loosened
 * timing: each wait is for a delivery that must happen.
 */
import {
  type Call,
  type Webhook,
  type WebhookDelivery,
  type WebhookList,
  webhookDeliveryListSchema,
  webhookWithSecretSchema,
} from '@linedeck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/harness.ts';
import { type AuthHarness, expectError, startAuthHarness, transcript } from '../users/test-support.ts';
import { startTestReceiver, type TestReceiver } from './test-receiver.ts';

const METRICS_TOKEN = 'webhooks-test-metrics-token';
let h: AuthHarness;
let rx: TestReceiver;
const secrets: string[] = [];

async function sim(path: string, body: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(`${h.phone('Desk').sim.url}/sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function createWebhook(events: string[], url = rx.url): Promise<Webhook> {
  const res = await h.admin.req('POST', '/api/webhooks', { url, events });
  expect(res.status, res.text).toBe(201);
  const { webhook, secret } = webhookWithSecretSchema.parse(res.body);
  expect(secret).toMatch(/^whsec_/);
  secrets.push(secret);
  rx.secret = secret;
  return webhook;
}

async function deliveries(id: string): Promise<WebhookDelivery[]> {
  const res = await h.admin.req('GET', `/api/webhooks/${id}/deliveries`);
  expect(res.status, res.text).toBe(200);
  return webhookDeliveryListSchema.parse(res.body).deliveries;
}

const receivedFor = (webhookId: string) => rx.received.filter((r) => r.body.webhookId === webhookId);

beforeAll(async () => {
  rx = await startTestReceiver();
  h = await startAuthHarness([{ name: 'Desk' }], {
    commands: { confirmMs: 100, confirmPollMs: 20, dedupeMs: 0 },
    webhooks: { tickMs: 50, retry: { baseDelayMs: 100, maxDelayMs: 300 } },
    config: { metricsToken: METRICS_TOKEN },
  });
  await waitFor(() => h.server.cache.get(h.phone('Desk').id)?.status === 'available');
});
afterAll(async () => {
  await h?.close();
  await rx?.close();
});

describe('managing webhooks', () => {
  it('refuses bad URLs and unknown events with 400 and stores nothing', async () => {
    const before = (await h.admin.req<WebhookList>('GET', '/api/webhooks')).body.webhooks.length;
    const bad = [
      { url: 'ftp://files.example/hook', events: ['call.missed'] },
      { url: 'https://user:pass@crm.example/hook', events: ['call.missed'] },
      { url: 'not a url', events: ['call.missed'] },
      { url: rx.url, events: ['call.exploded'] },
      { url: rx.url, events: [] },
      { url: rx.url, events: ['call.missed'], extra: true },
    ];
    for (const body of bad)
      expectError(await h.admin.req('POST', '/api/webhooks', body), 400, 'invalid_input');
    const after = (await h.admin.req<WebhookList>('GET', '/api/webhooks')).body.webhooks;
    expect(after).toHaveLength(before);
  });

  it('is for admins only', async () => {
    const hook = await createWebhook(['call.ended']);
    const operator = await h.user('operator', { phoneIds: [h.phone('Desk').id] });
    const viewer = await h.user('viewer');
    for (const who of [operator, viewer]) {
      expectError(await who.req('GET', '/api/webhooks'), 403, 'forbidden');
      expectError(
        await who.req('POST', '/api/webhooks', { url: rx.url, events: ['call.ended'] }),
        403,
        'forbidden',
      );
      expectError(await who.req('PATCH', `/api/webhooks/${hook.id}`, { enabled: false }), 403, 'forbidden');
      expectError(await who.req('POST', `/api/webhooks/${hook.id}/test`), 403, 'forbidden');
      expectError(await who.req('DELETE', `/api/webhooks/${hook.id}`), 403, 'forbidden');
    }
    expectError(await h.anonymous.req('GET', '/api/webhooks'), 401, 'unauthenticated');
    expect((await h.admin.req('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(204);
    expectError(await h.admin.req('GET', `/api/webhooks/${hook.id}`), 404, 'not_found');
  });

  it('sends a signed test event, lists it, and never shows the secret again', async () => {
    const hook = await createWebhook(['phone.offline']);
    const sent = await h.admin.req<WebhookDelivery>('POST', `/api/webhooks/${hook.id}/test`);
    expect(sent.status, sent.text).toBe(201);
    const got = await waitFor(() => receivedFor(hook.id).find((r) => r.delivery === sent.body.id));
    expect(got).toMatchObject({ event: 'webhook.test', signatureValid: true });
    expect(Math.abs(Number(got.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const [logged] = await waitFor(async () => {
      const list = await deliveries(hook.id);
      return list[0]?.state === 'delivered' ? list : null;
    });
    expect(logged).toMatchObject({ id: sent.body.id, attempt: 1, statusCode: 204, error: null });
    const listed = await h.admin.req<WebhookList>('GET', '/api/webhooks');
    expect(listed.body.webhooks.find((w) => w.id === hook.id)?.lastDelivery?.state).toBe('delivered');

    // A wrong secret on the receiver's side fails the check: the signature is over this very body.
    rx.secret = 'whsec_not-the-one';
    await h.admin.req('POST', `/api/webhooks/${hook.id}/test`);
    const forged = await waitFor(() => receivedFor(hook.id)[1]);
    expect(forged.signatureValid).toBe(false);
    await h.admin.req('DELETE', `/api/webhooks/${hook.id}`);
  });
});

describe('call and phone events', () => {
  it('a missed call sends call.ringing, then call.missed and call.ended, each once, with the Call', async () => {
    const hook = await createWebhook(['call.ringing', 'call.missed', 'call.ended', 'call.answered']);
    await sim('ring', { number: '+4930555001', name: 'Rita Ring' });
    await waitFor(() => h.server.cache.get(h.phone('Desk').id)?.lines[0]?.state === 'ringing');
    await waitFor(() => receivedFor(hook.id).some((r) => r.event === 'call.ringing'));
    await sim('hangup');
    await waitFor(() => receivedFor(hook.id).some((r) => r.event === 'call.ended'), 5000);
    // Later flushes and polls must not send anything again.
    await new Promise((r) => setTimeout(r, 600));
    const got = receivedFor(hook.id);
    expect(got.map((r) => r.event)).toEqual(['call.ringing', 'call.missed', 'call.ended']);
    expect(got.every((r) => r.signatureValid)).toBe(true);
    const calls = got.map((r) => r.body.data.call as Call);
    expect(new Set(calls.map((c) => c.id)).size).toBe(1);
    expect(calls[0]).toMatchObject({ direction: 'incoming', remoteNumber: '+4930555001', outcome: null });
    expect(calls[1]).toMatchObject({
      outcome: 'missed',
      remoteName: 'Rita Ring',
      phoneId: h.phone('Desk').id,
    });
    expect(calls[1]?.endedAt).not.toBeNull();
    await h.admin.req('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('a phone that goes away sends phone.offline, and phone.online when it is back', async () => {
    const hook = await createWebhook(['phone.offline', 'phone.online']);
    h.phone('Desk').sim.injectFault({ kind: 'down', ms: 1500 });
    const offline = await waitFor(() => receivedFor(hook.id).find((r) => r.event === 'phone.offline'), 5000);
    expect(offline.body.data.phone).toMatchObject({
      id: h.phone('Desk').id,
      name: 'Desk',
      status: 'offline',
    });
    const online = await waitFor(() => receivedFor(hook.id).find((r) => r.event === 'phone.online'), 6000);
    expect(online.body.data.phone).toMatchObject({ previousStatus: 'offline', status: 'available' });
    await h.admin.req('DELETE', `/api/webhooks/${hook.id}`);
  });
});

describe('campaign events', () => {
  it('starting, pausing and stopping a campaign send started, paused and finished', async () => {
    const hook = await createWebhook(['campaign.started', 'campaign.paused', 'campaign.finished']);
    const made = await h.admin.req<{ campaign: { id: string } }>('POST', '/api/campaigns', {
      name: 'Webhook list',
      mode: 'preview',
      phoneIds: [h.phone('Desk').id],
      entries: [{ number: '2001' }],
    });
    expect(made.status, made.text).toBe(201);
    const id = made.body.campaign.id;
    for (const step of ['start', 'pause', 'stop']) {
      const res = await h.admin.req('POST', `/api/campaigns/${id}/${step}`);
      expect(res.status, res.text).toBe(200);
    }
    await waitFor(() => receivedFor(hook.id).length >= 3);
    await new Promise((r) => setTimeout(r, 300));
    const got = receivedFor(hook.id);
    expect(got.map((r) => r.event)).toEqual(['campaign.started', 'campaign.paused', 'campaign.finished']);
    expect(got.map((r) => (r.body.data.campaign as { id: string }).id)).toEqual([id, id, id]);
    await h.admin.req('DELETE', `/api/webhooks/${hook.id}`);
  });
});

describe('delivery', () => {
  it('retries while the receiver refuses or fails, delivers once it is back, and redelivers on demand', async () => {
    const hook = await createWebhook(['call.ended']);
    await rx.down();
    const sent = await h.admin.req<WebhookDelivery>('POST', `/api/webhooks/${hook.id}/test`);
    await waitFor(async () => ((await deliveries(hook.id))[0]?.attempt ?? 0) >= 2);
    const refused = (await deliveries(hook.id))[0];
    expect(refused).toMatchObject({ state: 'pending', statusCode: null, error: 'ECONNREFUSED' });
    expect(refused?.nextAttemptAt).not.toBeNull();

    await rx.up();
    rx.answer = 'error';
    const before = rx.requests;
    await waitFor(() => rx.requests >= before + 2);
    expect((await deliveries(hook.id))[0]).toMatchObject({
      state: 'pending',
      statusCode: 500,
      error: 'HTTP 500',
    });

    rx.answer = 'ok';
    const got = await waitFor(() => receivedFor(hook.id).find((r) => r.delivery === sent.body.id));
    expect(got.signatureValid).toBe(true);
    const done = await waitFor(async () => {
      const d = (await deliveries(hook.id))[0];
      return d?.state === 'delivered' ? d : null;
    });
    expect(done.attempt).toBeGreaterThanOrEqual(4);
    expect(done.nextAttemptAt).toBeNull();
    await new Promise((r) => setTimeout(r, 400));
    expect(receivedFor(hook.id).filter((r) => r.delivery === sent.body.id)).toHaveLength(1);
    const metrics = await h.api('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });
    const count = (outcome: string) =>
      Number(
        metrics.text.match(
          new RegExp(`linedeck_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)`),
        )?.[1],
      );
    expect(count('failed')).toBeGreaterThanOrEqual(done.attempt - 1);
    expect(count('delivered')).toBeGreaterThanOrEqual(1);

    const again = await h.admin.req<WebhookDelivery>(
      'POST',
      `/api/webhooks/${hook.id}/deliveries/${sent.body.id}/redeliver`,
    );
    expect(again.status, again.text).toBe(201);
    expect(again.body.redeliveryOf).toBe(sent.body.id);
    const redelivered = await waitFor(() => receivedFor(hook.id).find((r) => r.delivery === again.body.id));
    expect(redelivered.raw).toBe(got.raw);
    expectError(
      await h.admin.req('POST', `/api/webhooks/${hook.id}/deliveries/nope/redeliver`),
      404,
      'not_found',
    );
    await h.admin.req('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('a disabled webhook gets nothing; the outbox survives a restart and delivers after it', async () => {
    const hook = await createWebhook(['call.ended']);
    expect((await h.admin.req('PATCH', `/api/webhooks/${hook.id}`, { enabled: false })).status).toBe(200);
    expectError(await h.admin.req('POST', `/api/webhooks/${hook.id}/test`), 409, 'rejected');
    expect((await h.admin.req('PATCH', `/api/webhooks/${hook.id}`, { enabled: true })).status).toBe(200);

    await rx.down();
    const sent = await h.admin.req<WebhookDelivery>('POST', `/api/webhooks/${hook.id}/test`);
    await waitFor(async () => ((await deliveries(hook.id))[0]?.attempt ?? 0) >= 1);
    await h.restart();
    await rx.up();
    const got = await waitFor(() => receivedFor(hook.id).find((r) => r.delivery === sent.body.id), 5000);
    expect(got.signatureValid).toBe(true);
    // The admin client's session ended with the restart; the harness signed in again.
    expect((await h.api('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(204);
  });

  it('no secret in any other answer, log line or audit entry', async () => {
    expect(secrets.length).toBeGreaterThan(3);
    const creates = (t: (typeof transcript)[number]) => t.method === 'POST' && t.path === '/api/webhooks';
    const texts = [...transcript.filter((t) => !creates(t)).map((t) => t.text), ...h.logLines];
    const audit = await h.api('GET', '/api/audit?limit=500');
    texts.push(...h.responses);
    expect(audit.text).toContain('webhooks:create');
    for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
    // Nor the receiver's whole URL (it may hold a token): the audit names its host.
    expect(audit.text).not.toContain('/hooks/linedeck');
  });
});
