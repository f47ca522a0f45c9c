/**
 * The phone's Action URL as admins see it (it carries the phone's secret hook token) and
 * `POST /api/phones/:id/hook-token`, which replaces the token: the old URL stops being trusted at once
 * (pushes to it only wake the poller). Admin only (`phones:manage`) and audited, like the other changes
 * to a phone; the token itself never goes into the audit, a log or an error.
 */
import type { Phone } from '@linedeck/contract';
import { type Request, type Response, Router } from 'express';
import { type Access, principalOf } from '../access/access.ts';
import { isAllowed } from '../access/permissions.ts';
import { type Audit, auditedRun } from '../audit/audit-seam.ts';
import type { Logger } from '../logger.ts';
import { ACTION_URL_PATH, type ActionUrlHook } from './action-url-hook.ts';
import type { Registry } from './registry.ts';
import { toPhone } from './routes.ts';

export interface HookTokenDeps {
  registry: Pick<Registry, 'get' | 'hookToken' | 'rotateHookToken'>;
  actionUrlHook?: Pick<ActionUrlHook, 'lastReceivedAt' | 'lastTrustedAt'> | undefined;
}

/**
 * `actionUrl` of GET /api/phones/:id: for those who may manage the phone only (the token is a secret);
 * built from the Host the admin reached us by, usually an address the phone can reach too.
 */
export function actionUrlOf(
  deps: HookTokenDeps,
  req: Request,
  res: Response,
  phoneId: string,
): Phone['actionUrl'] {
  const principal = principalOf(res);
  if (!principal || !isAllowed(principal, 'phones:manage', phoneId)) return undefined;
  const id = encodeURIComponent(phoneId);
  const token = encodeURIComponent(deps.registry.hookToken(phoneId));
  return {
    url: `${req.protocol}://${req.get('host')}${ACTION_URL_PATH}/${id}/${token}`,
    lastReceivedAt: deps.actionUrlHook?.lastReceivedAt(phoneId) ?? null,
    lastTrustedAt: deps.actionUrlHook?.lastTrustedAt(phoneId) ?? null,
  };
}

export interface HookTokenRoutesDeps extends HookTokenDeps {
  access: Access;
  audit: Audit;
  logger: Logger;
}

/** Mounted at /api; authenticates only its own route, so other requests are not signed in twice. */
export function hookTokenRoutes(deps: HookTokenRoutesDeps): Router {
  const { registry, access, audit, logger } = deps;
  const router = Router();
  router.post(
    '/phones/:id/hook-token',
    access.authenticate,
    access.authorize('phones:manage', { phoneParam: 'id' }),
    async (req, res) => {
      const id = req.params.id as string;
      const record = registry.get(id);
      await auditedRun(
        { audit, logger },
        req,
        res,
        { action: 'phones:hook_token', phoneId: id, params: {} },
        () => registry.rotateHookToken(id),
      );
      res.json({ ...toPhone(record), actionUrl: actionUrlOf(deps, req, res, id) });
    },
  );
  return router;
}
