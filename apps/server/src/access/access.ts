/**
 * The access seam. Every route but /api/health and sign-in runs
 * `access.authenticate` and then `access.authorize(action)`. The real
 * implementation (sessions, tokens, display keys, roles) is `createAccess()`
 * in users/create-access.ts; `createOpenAccess()` lets everything through as a
 * local admin and is for tests of other parts only.
 */
import type { Role } from '@linedeck/contract';
import type { RequestHandler, Response } from 'express';
import { AppError } from '../errors.ts';

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
  | 'users:manage'
  | 'contacts:read'
  | 'contacts:manage'
  | 'calls:read';

/** Who is asking. Set on `res.locals.principal` by `authenticate`. */
export interface Principal {
  userId: string | null;
  username: string;
  role: Role;
  /** Phones this principal is limited to (see permissions.ts for what each role does with an empty list). */
  phoneIds: string[];
  /** An API token made for all phones: `phoneIds` is ignored (users and display keys never have it). */
  allPhones?: boolean;
  /** What signed it in: a user's session, an API token, a display key's session. */
  kind?: 'user' | 'token' | 'display' | 'local';
  /** True when it came with the session cookie: state changes then need a same-origin request. */
  viaCookie?: boolean;
  /** SHA-256 of the session id (cookie sign-ins only). */
  sessionHash?: string;
  tokenId?: string;
  displayKeyId?: string;
  /** A user who must change their password may do nothing else. */
  mustChangePassword?: boolean;
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

export const OPEN_PRINCIPAL: Principal = {
  userId: null,
  username: 'local',
  role: 'admin',
  phoneIds: [],
  kind: 'local',
};

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

/**
 * After `authenticate`: admins only (a signed-in admin or an admin's token), never a display key, for the
 * routes the roles table gives no action of their own (webhooks, the directory). `forbidden` says what.
 */
export function adminsOnly(forbidden: string): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (!p) throw new AppError('unauthenticated', 'Sign in first.');
    if (p.role !== 'admin' || p.kind === 'display') throw new AppError('forbidden', forbidden);
    next();
  };
}
