/**
 * The phones REST API (docs/api.md). Reads answer from the state cache;
 * commands go through `Commands` (queue, no retry, double-click guard);
 * every change and command is audited before the answer goes out.
 */
import {
  type CommandResult,
  createPhoneBodySchema,
  dndBodySchema,
  forwardBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  keysBodySchema,
  makeCallBodySchema,
  operationBodySchema,
  type Phone,
  type SystemBody,
  systemBodySchema,
  updatePhoneBodySchema,
} from '@linedeck/contract';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { type Access, principalOf } from '../access/access.ts';
import { actorId } from '../access/permissions.ts';
import { type Audit, auditedRun } from '../audit/audit-seam.ts';
import type { CallAction, CallIntents } from '../calls/calls-store.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { ActionUrlHook } from './action-url-hook.ts';
import type { Commands, Idempotency } from './commands.ts';
import { runDiagnosis } from './diagnosis.ts';
import { actionUrlOf } from './hook-token-routes.ts';
import type { PhoneRecord } from './phones-repository.ts';
import type { Registry } from './registry.ts';
import type { StateCache } from './state-cache.ts';

/** `POST /api/phones/:id/click-to-dial`: a config change, so the admin types the phone's name. */
const clickToDialBodySchema = z.strictObject({ confirm: z.string() });

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

/**
 * The command's `Idempotency-Key` header, scoped to who sent it (docs/api.md, "Commands"): undefined
 * without one; a malformed one is a 400 before anything is sent.
 */
export function idempotencyOf(req: Request, res: Response): Idempotency | undefined {
  const key = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const message = 'An Idempotency-Key is 1 to 64 letters, digits, "-" or "_".';
    throw new AppError('invalid_input', message, { issues: [{ path: IDEMPOTENCY_KEY_HEADER, message }] });
  }
  const principal = principalOf(res);
  const who = principal ? (actorId(principal) ?? `${principal.kind ?? 'local'}:${principal.username}`) : '';
  return { principal: who, key };
}

export function phoneRoutes(deps: PhoneRoutesDeps): Router {
  const { registry, cache, commands, access, audit, logger } = deps;
  const router = Router();
  const byPhone = { phoneParam: 'id' };

  const visible = (res: Response) => access.phoneFilter?.(res) ?? (() => true);

  /** Runs a call command with the journal told beforehand who sends what (calls-store.ts, CallIntents). */
  async function intended<T>(
    res: Response,
    phoneId: string,
    action: CallAction,
    run: () => Promise<T>,
  ): Promise<T> {
    const username = principalOf(res)?.username ?? 'local';
    const intent = deps.callIntents?.intend({ phoneId, username, action, at: new Date() });
    try {
      const result = await run();
      intent?.done(true);
      return result;
    } catch (err) {
      intent?.done(false);
      throw err;
    }
  }

  /** Runs a command or change and audits its outcome (a repeated Idempotency-Key: `deduplicated`). */
  const audited = <T>(
    req: Request,
    res: Response,
    action: string,
    phoneId: string | null,
    params: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> =>
    auditedRun({ audit, logger }, req, res, { action, phoneId, params }, run, (result) =>
      (result as Partial<CommandResult> | undefined)?.deduplicated === true ? 'deduplicated' : 'ok',
    );

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

  router.post('/phones/:id/calls', access.authorize('calls:control', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const idempotency = idempotencyOf(req, res);
    const body = parseBody(makeCallBodySchema, req.body);
    res.json(
      await intended(res, id, { kind: 'dial', number: body.number }, () =>
        audited(req, res, 'calls:make', id, { ...body }, () => commands.makeCall(id, body, idempotency)),
      ),
    );
  });

  router.post('/phones/:id/operations', access.authorize('calls:control', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const idempotency = idempotencyOf(req, res);
    const body = parseBody(operationBodySchema, req.body);
    const action: CallAction = {
      kind: 'operation',
      command: body.command,
      ...(body.line === undefined ? {} : { line: body.line }),
    };
    res.json(
      await intended(res, id, action, () =>
        audited(req, res, 'calls:operation', id, { ...body }, () =>
          commands.operation(id, body, idempotency),
        ),
      ),
    );
  });

  router.post('/phones/:id/keys', access.authorize('keys:send', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const idempotency = idempotencyOf(req, res);
    const body = parseBody(keysBodySchema, req.body);
    res.json(
      await audited(req, res, 'keys:send', id, { keys: body.keys }, () =>
        commands.keys(id, body, idempotency),
      ),
    );
  });

  router.put('/phones/:id/dnd', access.authorize('calls:control', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const idempotency = idempotencyOf(req, res);
    const body = parseBody(dndBodySchema, req.body);
    res.json(
      await audited(req, res, 'phones:dnd', id, { ...body }, () => commands.dnd(id, body, idempotency)),
    );
  });

  router.put('/phones/:id/forward', access.authorize('calls:control', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const idempotency = idempotencyOf(req, res);
    const body = parseBody(forwardBodySchema, req.body);
    res.json(
      await audited(req, res, 'phones:forward', id, { ...body }, () =>
        commands.forward(id, body, idempotency),
      ),
    );
  });

  router.post('/phones/:id/click-to-dial', access.authorize('phones:manage', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(clickToDialBodySchema, req.body);
    res.json(
      await audited(req, res, 'phones:click_to_dial', id, { on: true }, () =>
        commands.enableClickToDial(id, body.confirm),
      ),
    );
  });

  router.post(
    '/phones/:id/system',
    (req, res, next) => {
      res.locals.systemBody = parseBody(systemBodySchema, req.body);
      next();
    },
    // The action depends on the body: a reset (factory defaults) may be allowed to fewer people than a reboot.
    (req, res, next) => {
      const body = res.locals.systemBody as SystemBody;
      return access.authorize(body.request === 'RESET' ? 'system:reset' : 'system:reboot', byPhone)(
        req,
        res,
        next,
      );
    },
    async (req, res) => {
      const id = req.params.id as string;
      const body = res.locals.systemBody as SystemBody;
      registry.get(id);
      const idempotency = idempotencyOf(req, res);
      const params = { request: body.request };
      const action = `system:${body.request.toLowerCase()}`;
      res.json(await audited(req, res, action, id, params, () => commands.system(id, body, idempotency)));
    },
  );

  return router;
}
