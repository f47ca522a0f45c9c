/**
 * The real `Access` (the seam in access.ts): who is asking (session cookie,
 * API token or display key) and whether they may do it.
 *
 * `authenticate` answers 401 without valid credentials, 403 for a
 * cookie-carried state change that is not same-origin (CSRF), and 403 while
 * the user must change their password. `authorize(action, { phoneParam })`
 * answers 403 unless the role allows the action on that phone.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type Access, type Action, type Principal, principalOf } from '../access/access.ts';
import { canSeePhone, forbiddenMessage, isAllowed, visiblePhoneIds } from '../access/permissions.ts';
import { AppError } from '../errors.ts';
import { isSafeMethod, isSameOriginRequest } from './csrf.ts';
import type { AuthService } from './service.ts';

export interface RealAccess extends Access {
  /**
   * Like `authenticate`, but lets a user who must change their password
   * through: only for `GET|DELETE /api/session` and `POST /api/session/password`.
   */
  authenticateForPasswordChange: RequestHandler;
  /** Which phones the principal of this response may see (null: all). */
  visiblePhoneIds(res: Response): string[] | null;
  canSeePhone(res: Response, phoneId: string): boolean;
}

export const PASSWORD_CHANGE_REQUIRED =
  'You must change your password first (POST /api/session/password); nothing else is allowed until then.';

export function csrfCheck(req: Request, principal: Principal): void {
  if (principal.viaCookie && !isSafeMethod(req.method) && !isSameOriginRequest(req)) {
    throw new AppError(
      'forbidden',
      'Cross-site request refused: a change made with the session cookie must come from LineDeck itself ' +
        '(same-origin Origin or Sec-Fetch-Site). Scripts should use an API token.',
    );
  }
}

export function createAccess(service: AuthService): RealAccess {
  function authenticateWith(allowPasswordChange: boolean): RequestHandler {
    const admit = (req: Request, res: Response, principal: Principal) => {
      csrfCheck(req, principal);
      if (principal.mustChangePassword && !allowPasswordChange) {
        throw new AppError('forbidden', PASSWORD_CHANGE_REQUIRED);
      }
      res.locals.principal = principal;
    };
    // Express 5 passes a throw or a rejected promise (a 401, a database error) to the error handler.
    return (req: Request, res: Response, next: NextFunction) => {
      // Most requests: a cached session with nothing to write, decided without waiting.
      const found = service.principalFor(req, res);
      if (found instanceof Promise) {
        return found.then((principal) => {
          admit(req, res, principal);
          next();
        });
      }
      admit(req, res, found);
      next();
      return undefined;
    };
  }

  const required = (res: Response): Principal => {
    const principal = principalOf(res);
    if (!principal) throw new AppError('unauthenticated', 'Sign in first.');
    return principal;
  };

  return {
    authenticate: authenticateWith(false),
    authenticateForPasswordChange: authenticateWith(true),

    authorize(action: Action, opts: { phoneParam?: string } = {}): RequestHandler {
      return (req: Request, res: Response, next: NextFunction) => {
        const principal = required(res);
        if (principal.mustChangePassword) throw new AppError('forbidden', PASSWORD_CHANGE_REQUIRED);
        let phoneId: string | undefined;
        if (opts.phoneParam !== undefined) {
          const raw = req.params[opts.phoneParam];
          phoneId = typeof raw === 'string' ? raw : '';
        }
        if (!isAllowed(principal, action, phoneId)) {
          throw new AppError(
            'forbidden',
            forbiddenMessage(principal, action, phoneId),
            phoneId ? { phoneId } : {},
          );
        }
        next();
      };
    },

    phoneFilter(res: Response) {
      const principal = principalOf(res);
      if (!principal) return () => false;
      const ids = visiblePhoneIds(principal);
      if (ids === null) return undefined;
      const set = new Set(ids);
      return (phoneId: string) => set.has(phoneId);
    },

    visiblePhoneIds(res: Response) {
      const principal = principalOf(res);
      return principal ? visiblePhoneIds(principal) : [];
    },

    canSeePhone(res: Response, phoneId: string) {
      const principal = principalOf(res);
      return principal ? canSeePhone(principal, phoneId) : false;
    },
  };
}
