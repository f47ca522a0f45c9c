/**
 * The phones' command routes (docs/api.md, "Commands"): calls, line operations, keys, DND, forward,
 * Click-To-Dial and reboot/reset. Each goes through `Commands` (queue, no retry, double-click guard or
 * Idempotency-Key) and is audited as its answer goes out. Commands are what a busy desk sends most: they
 * come first of the phone routes, and the app's fast lane takes them (app.ts).
 */
import {
  type CommandResult,
  dndBodySchema,
  forwardBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  keysBodySchema,
  makeCallBodySchema,
  operationBodySchema,
  type SystemBody,
  systemBodySchema,
} from '@linedeck/contract';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../access/access.ts';
import { actorId } from '../access/permissions.ts';
import { type Audit, auditedBy } from '../audit/audit-seam.ts';
import type { CallAction } from '../calls/calls-store.ts';
import { AppError } from '../errors.ts';
import type { LaneRoute } from '../http/fast-lane.ts';
import { sendJson } from '../http/send-json.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { Idempotency } from './commands.ts';
import type { PhoneRoutesDeps } from './routes.ts';

/** `POST /api/phones/:id/click-to-dial`: a config change, so the admin types the phone's name. */
const clickToDialBodySchema = z.strictObject({ confirm: z.string() });

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

/** Audits a command or change with its outcome (a repeated Idempotency-Key: `deduplicated`). */
export function auditedCommand(audit: Audit, logger: Logger) {
  return auditedBy({ audit, logger }, (result) =>
    (result as Partial<CommandResult> | undefined)?.deduplicated === true ? 'deduplicated' : 'ok',
  );
}

/**
 * The command routes as a table (below /api): the app builds its router from it (`laneRouter`), and its
 * fast lane runs the same routes without the app's walk (http/fast-lane.ts).
 */
export function phoneCommands(deps: PhoneRoutesDeps): LaneRoute[] {
  const { registry, commands, access, audit, logger } = deps;
  const routes: LaneRoute[] = [];
  const route = (method: LaneRoute['method'], path: string, ...handlers: RequestHandler[]) => {
    routes.push({ method, path, handlers });
  };
  const byPhone = { phoneParam: 'id' };
  const audited = auditedCommand(audit, logger);

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

  /**
   * A command's handler: the phone must exist, the Idempotency-Key and the body must be valid (a 400
   * otherwise, and nothing is sent), then the command runs audited (and, for a call, with the journal
   * told beforehand) and its result is the answer.
   */
  function commandHandler<S extends z.ZodType>(spec: {
    schema: S;
    action: string;
    run: (id: string, body: z.infer<S>, idempotency: Idempotency | undefined) => Promise<CommandResult>;
    /** What the audit row keeps of the body; default all of it. */
    params?: (body: z.infer<S>) => Record<string, unknown>;
    /** A call command: what the journal is told LineDeck does. */
    intent?: (body: z.infer<S>) => CallAction;
  }): RequestHandler {
    return async (req, res) => {
      const id = req.params.id as string;
      registry.get(id);
      const idempotency = idempotencyOf(req, res);
      const body = parseBody(spec.schema, req.body);
      const params = spec.params ? spec.params(body) : { ...(body as Record<string, unknown>) };
      const send = () => audited(req, res, spec.action, id, params, () => spec.run(id, body, idempotency));
      const intent = spec.intent?.(body);
      sendJson(res, await (intent ? intended(res, id, intent, send) : send()));
    };
  }

  route(
    'POST',
    '/phones/:id/calls',
    access.authorize('calls:control', byPhone),
    commandHandler({
      schema: makeCallBodySchema,
      action: 'calls:make',
      intent: (body) => ({ kind: 'dial', number: body.number }),
      run: (id, body, idempotency) => commands.makeCall(id, body, idempotency),
    }),
  );

  route(
    'POST',
    '/phones/:id/operations',
    access.authorize('calls:control', byPhone),
    commandHandler({
      schema: operationBodySchema,
      action: 'calls:operation',
      intent: (body) => ({
        kind: 'operation',
        command: body.command,
        ...(body.line === undefined ? {} : { line: body.line }),
      }),
      run: (id, body, idempotency) => commands.operation(id, body, idempotency),
    }),
  );

  route(
    'POST',
    '/phones/:id/keys',
    access.authorize('keys:send', byPhone),
    commandHandler({
      schema: keysBodySchema,
      action: 'keys:send',
      params: (body) => ({ keys: body.keys }),
      run: (id, body, idempotency) => commands.keys(id, body, idempotency),
    }),
  );

  route(
    'PUT',
    '/phones/:id/dnd',
    access.authorize('calls:control', byPhone),
    commandHandler({
      schema: dndBodySchema,
      action: 'phones:dnd',
      run: (id, body, idempotency) => commands.dnd(id, body, idempotency),
    }),
  );

  route(
    'PUT',
    '/phones/:id/forward',
    access.authorize('calls:control', byPhone),
    commandHandler({
      schema: forwardBodySchema,
      action: 'phones:forward',
      run: (id, body, idempotency) => commands.forward(id, body, idempotency),
    }),
  );

  route('POST', '/phones/:id/click-to-dial', access.authorize('phones:manage', byPhone), async (req, res) => {
    const id = req.params.id as string;
    registry.get(id);
    const body = parseBody(clickToDialBodySchema, req.body);
    sendJson(
      res,
      await audited(req, res, 'phones:click_to_dial', id, { on: true }, () =>
        commands.enableClickToDial(id, body.confirm),
      ),
    );
  });

  route(
    'POST',
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
      sendJson(
        res,
        await audited(req, res, action, id, params, () => commands.system(id, body, idempotency)),
      );
    },
  );

  return routes;
}
