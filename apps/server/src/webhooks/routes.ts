/**
 * `/api/webhooks...` (docs/api.md, "Webhooks"): admins only (a signed-in admin or an admin's token);
 * every change, test and redelivery is audited before the answer. The audit and the logs name the
 * webhook and its host, never its whole URL (a receiver's URL often carries a token) nor its secret.
 */
import {
  createWebhookBodySchema,
  updateWebhookBodySchema,
  WEBHOOK_DELIVERIES_PAGE_MAX,
  webhookDeliveriesQuerySchema,
} from '@linedeck/contract';
import { Router } from 'express';
import { type Access, adminsOnly, principalOf } from '../access/access.ts';
import { type Audit, auditedChangeBy } from '../audit/audit-seam.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { Webhooks } from './webhooks-service.ts';

export interface WebhookRoutesDeps {
  webhooks: Webhooks;
  access: Access;
  audit: Audit;
  logger: Logger;
}

const hostOf = (url: string) => new URL(url).host;

export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const { webhooks, access, audit, logger } = deps;
  const router = Router();
  router.use('/webhooks', access.authenticate, adminsOnly('Only admins manage webhooks.'));

  const audited = auditedChangeBy({ audit, logger });

  router.get('/webhooks', async (_req, res) => {
    res.json({ webhooks: await webhooks.list() });
  });

  router.post('/webhooks', async (req, res) => {
    const body = parseBody(createWebhookBodySchema, req.body, 'The webhook is not valid.');
    const params = { host: hostOf(body.url), events: body.events };
    const created = await audited(req, res, 'webhooks:create', params, () =>
      webhooks.create(body, principalOf(res)?.username ?? null),
    );
    res.status(201).json(created);
  });

  router.get('/webhooks/:id', async (req, res) => {
    res.json(await webhooks.get(req.params.id));
  });

  router.patch('/webhooks/:id', async (req, res) => {
    const body = parseBody(updateWebhookBodySchema, req.body, 'The change is not valid.');
    const params = {
      webhookId: req.params.id,
      ...(body.url !== undefined ? { host: hostOf(body.url) } : {}),
      ...(body.events !== undefined ? { events: body.events } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    };
    res.json(await audited(req, res, 'webhooks:update', params, () => webhooks.update(req.params.id, body)));
  });

  router.delete('/webhooks/:id', async (req, res) => {
    await audited(req, res, 'webhooks:delete', { webhookId: req.params.id }, () =>
      webhooks.remove(req.params.id),
    );
    res.status(204).end();
  });

  router.post('/webhooks/:id/rotate-secret', async (req, res) => {
    res.json(
      await audited(req, res, 'webhooks:rotate-secret', { webhookId: req.params.id }, () =>
        webhooks.rotateSecret(req.params.id),
      ),
    );
  });

  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const query = parseBody(webhookDeliveriesQuerySchema, req.query, 'The query is not valid.');
    const limit = query.limit ?? Math.min(50, WEBHOOK_DELIVERIES_PAGE_MAX);
    res.json({ deliveries: await webhooks.deliveries(req.params.id, limit) });
  });

  router.post('/webhooks/:id/test', async (req, res) => {
    const delivery = await audited(req, res, 'webhooks:test', { webhookId: req.params.id }, () =>
      webhooks.sendTest(req.params.id),
    );
    res.status(201).json(delivery);
  });

  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    const params = { webhookId: req.params.id, deliveryId: req.params.deliveryId };
    const delivery = await audited(req, res, 'webhooks:redeliver', params, () =>
      webhooks.redeliver(req.params.id, req.params.deliveryId),
    );
    res.status(201).json(delivery);
  });

  return router;
}
