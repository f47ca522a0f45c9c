/**
 * The access seam. Every route but /api/health runs `access.authenticate`
 * and then `access.authorize(action)`. Until users, sessions and roles land
 * (issue 6), `createOpenAccess()` lets everything through as a local admin;
 * the real implementation replaces it in `createApp({ access })` without
 * touching any route.
 */
import type { Role } from '@linedeck/contract';
import type { RequestHandler, Response } from 'express';

export type Action =
  | 'phones:read'
  | 'phones:manage'
  | 'calls:control'
  | 'keys:send'
  | 'system:reboot'
  | 'system:reset'
  | 'events:read'
  | 'cti:read'
  | 'cti:command'
  | 'audit:read'
  | 'users:manage';

/** Who is asking. Set on `res.locals.principal` by `authenticate`. */
export interface Principal {
  userId: string | null;
  username: string;
  role: Role;
  /** Phones this principal is limited to; empty means all. */
  phoneIds: string[];
}

export interface Access {
  /** Sets `res.locals.principal`, or answers 401 `unauthenticated`. */
  authenticate: RequestHandler;
  /**
   * Answers 403 `forbidden` unless the principal may do `action`; with
   * `phoneParam`, also on the phone named by `req.params[phoneParam]`.
   */
  authorize(action: Action, opts?: { phoneParam?: string }): RequestHandler;
  /**
   * Optional: which phones the principal may see, for lists, `/api/state`
   * and the SSE stream. Undefined (or a missing method) means all phones.
   */
  phoneFilter?(res: Response): ((phoneId: string) => boolean) | undefined;
}

export const OPEN_PRINCIPAL: Principal = { userId: null, username: 'local', role: 'admin', phoneIds: [] };

/** Everything allowed: the state before sign-in exists. */
export function createOpenAccess(): Access {
  return {
    authenticate: (_req, res, next) => {
      res.locals.principal = OPEN_PRINCIPAL;
      next();
    },
    authorize: () => (_req, _res, next) => next(),
  };
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}
