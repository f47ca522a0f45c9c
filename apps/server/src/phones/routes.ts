/**
 * The phones REST API (docs/api.md): the phones themselves (list, add, change, remove, test) and their
 * states, read from the state cache; every change is audited as its answer goes out. The commands
 * sent to a phone are in command-routes.ts.
 */
import { createPhoneBodySchema, type Phone, updatePhoneBodySchema } from '@linedeck/contract';
import { type Response, Router } from 'express';
import type { Access } from '../access/access.ts';
import type { Audit } from '../audit/audit-seam.ts';
import type { CallIntents } from '../calls/calls-store.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { ActionUrlHook } from './action-url-hook.ts';
import { auditedCommand } from './command-routes.ts';
import type { Commands } from './commands.ts';
import { runDiagnosis } from './diagnosis.ts';
import { actionUrlOf } from './hook-token-routes.ts';
import type { PhoneRecord } from './phones-repository.ts';
import type { Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

export interface PhoneRoutesDeps {
  registry: Registry;
  cache: StateCache;
  commands: Commands;
  access: Access;
  audit: Audit;
  logger: Logger;
  /** For the Action URL an admin pastes into the phone, and when its last push arrived. */
  actionUrlHook?: Pick<ActionUrlHook, 'lastReceivedAt' | 'lastTrustedAt'>;
  /** The call journal learns who dialled, answered or ended a call from here. */
  callIntents?: CallIntents;
}

/** A record as the API shows it: never the passcode (the record does not even hold it). */
export function toPhone(record: PhoneRecord): Phone {
  return {
    id: record.id,
    name: record.name,
    host: record.host,
    allowSelfSigned: record.allowSelfSigned,
    auth: record.auth,
    username: record.username,
    model: record.model,
    firmware: record.firmware,
    createdAt: record.createdAt,
  };
}

export function phoneRoutes(deps: PhoneRoutesDeps): Router {
  const { registry, cache, access, audit, logger } = deps;
  const router = Router();
  const byPhone = { phoneParam: 'id' };
  const audited = auditedCommand(audit, logger);

  const visible = (res: Response) => access.phoneFilter?.(res) ?? (() => true);

  router.get('/phones', access.authorize('phones:read'), (_req, res) => {
    const canSee = visible(res);
    res.json(
      registry
        .list()
        .filter((p) => canSee(p.id))
        .map(toPhone),
    );
  });

  router.post('/phones', access.authorize('phones:manage'), async (req, res) => {
    const body = parseBody(createPhoneBodySchema, req.body);
    const params = {
      name: body.name,
      host: body.host,
      model: body.model ?? null,
      allowSelfSigned: body.allowSelfSigned ?? false,
      auth: body.auth ?? 'passcode',
      username: body.username ?? 'admin',
    };
    const record = await audited(req, res, 'phones:create', null, params, () => registry.create(body));
    res.status(201).location(`/api/phones/${record.id}`).json(toPhone(record));
  });

  router.get('/phones/:id', access.authorize('phones:read', byPhone), (req, res) => {
    const phone = toPhone(registry.get(req.params.id as string));
    res.json({
      ...phone,
      actionUrl: actionUrlOf({ registry, actionUrlHook: deps.actionUrlHook }, req, res, phone.id),
    });
  });

  router.patch('/phones/:id', access.authorize('phones:manage', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(updatePhoneBodySchema, req.body);
    // The stored passcode goes only where it was typed for: a new address needs it typed again.
    if (body.host !== undefined && body.host !== registry.get(id).host && body.passcode === undefined) {
      const message =
        "A new host needs the phone's passcode again: the stored one is not sent to another address.";
      throw new AppError('invalid_input', message, { issues: [{ path: 'passcode', message }] });
    }
    const patch = { ...body, ...(body.model !== undefined ? { model: body.model || null } : {}) };
    const params: Record<string, unknown> = { ...patch };
    if ('passcode' in params) {
      delete params.passcode;
      params.passcodeChanged = true;
    }
    const record = await audited(req, res, 'phones:update', id, params, () => registry.update(id, patch));
    res.json(toPhone(record));
  });

  router.delete('/phones/:id', access.authorize('phones:manage', byPhone), async (req, res) => {
    const id = req.params.id as string;
    const record = registry.get(id);
    await audited(req, res, 'phones:delete', id, { name: record.name }, () => registry.remove(id));
    res.status(204).end();
  });

  router.post('/phones/:id/test', access.authorize('phones:manage', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const diagnosis = await audited(req, res, 'phones:test', id, {}, () =>
      runDiagnosis({ registry, cache }, id),
    );
    res.json(diagnosis);
  });

  router.get('/phones/:id/state', access.authorize('phones:read', byPhone), (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    res.json(cache.get(id) ?? cache.add(id));
  });

  router.get('/state', access.authorize('phones:read'), (_req, res) => {
    const canSee = visible(res);
    res.json(cache.all().filter((s) => canSee(s.phoneId)));
  });

  return router;
}
