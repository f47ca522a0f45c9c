/**
 * Signing in and out, and a user's own password:
 * - `POST /api/session` `{ username, password }` -> `{ user }` and the cookie;
 *   401 `unauthenticated` with the same words for an unknown user, a wrong
 *   password and a disabled user; rate limited (429 `rate_limited`).
 * - `GET /api/session` -> `{ user }` or 401.
 * - `DELETE /api/session` -> 204, signed out (idempotent).
 *   A user with a second factor gets `{ secondFactor: 'totp', ticket }` and no cookie yet:
 * - `POST /api/session/second-factor` `{ username, ticket, code }` -> `{ user }` and the cookie; a wrong
 *   code is the same 401 whatever was wrong, rate limited like passwords.
 *   A password that no longer passes the rule (users/passwords.ts) still signs in, and must be changed.
 * - `POST /api/session/password` `{ currentPassword, newPassword }` -> `{ user }`;
 *   the only thing a user with `mustChangePassword` may do besides the two above.
 * - `GET /wall?key=<display key>`: signs the browser in as the key's viewer
 *   and redirects to `/wall` (keeping `theme`), so the key leaves the address bar at once.
 */
import {
  changePasswordBodySchema,
  type SessionUser,
  secondFactorBodySchema,
  signInBodySchema,
} from '@linedeck/contract';
import express, { type Request, type Response, Router } from 'express';
import { type Principal, principalOf } from '../access/access.ts';
import { actorId } from '../access/permissions.ts';
import { type Audit, recordAudit } from '../audit/audit-seam.ts';
import { AppError } from '../errors.ts';
import type { RealAccess } from './create-access.ts';
import { csrfCheck } from './create-access.ts';
import { isForeignNavigation, originVerdict } from './csrf.ts';
import {
  assertStrongPassword,
  hashPassword,
  judgePassword,
  PASSWORD_RULE_VERSION,
  verifyPassword,
} from './passwords.ts';
import { type SignInLimits, signInLimiters } from './rate-limit.ts';
import { type AuthService, displayPrincipal } from './service.ts';
import type { SecondFactor } from './totp.ts';
import type { UserRecord } from './users-repository.ts';

export interface SessionRoutesDeps {
  service: AuthService;
  access: RealAccess;
  audit: Audit;
  limits?: SignInLimits | undefined;
  bodyLimit?: string | undefined;
  secondFactor: SecondFactor;
}

export function sessionUserOf(principal: Principal): SessionUser {
  return {
    id: actorId(principal) ?? 'local',
    username: principal.username,
    role: principal.role,
    phoneIds: [...principal.phoneIds],
    mustChangePassword: principal.mustChangePassword === true,
  };
}

const INVALID_CREDENTIALS = 'Wrong username or password.';
const INVALID_CODE = 'That code is not right, was already used, or the sign-in took too long. Try again.';

export function sessionRouter(deps: SessionRoutesDeps): Router {
  const { service, access, audit } = deps;
  const logger = service.logger;
  const router = Router();
  const json = express.json({ limit: deps.bodyLimit ?? '32kb' });
  const signInLimit = signInLimiters(deps.limits);
  const passwordLimit = signInLimiters(deps.limits);
  // Codes have their own counters: a code guessed wrong costs like a wrong password.
  const codeLimit = signInLimiters(deps.limits);
  const { secondFactor } = deps;

  router.post('/session', json, ...signInLimit, async (req: Request, res: Response) => {
    // Login CSRF: another site must not sign this browser in to an account of its choosing.
    if (originVerdict(req) === 'cross-site') {
      throw new AppError('forbidden', 'Cross-site sign-in refused.');
    }
    const body = signInBodySchema.parse(req.body);
    let user = await service.verifyCredentials(body.username, body.password);
    if (!user) {
      logger.warn({ address: req.ip, requestId: res.locals.requestId }, 'sign-in failed');
      throw new AppError('unauthenticated', INVALID_CREDENTIALS);
    }
    // Chosen before the rule got stricter: it still works, to choose a new one. Judged once per password
    // and rule: the estimator holds the server's one thread (every poll and event stream) a while.
    if (!user.mustChangePassword && user.passwordRule < PASSWORD_RULE_VERSION) {
      const weak = !judgePassword(body.password, user.username).ok;
      user =
        (await service.store.updateUser(
          user.id,
          { passwordRule: PASSWORD_RULE_VERSION, ...(weak ? { mustChangePassword: true } : {}) },
          service.isoNow(),
        )) ?? user;
    }
    if (user.totpEnabled) {
      res.json({ secondFactor: 'totp', ticket: secondFactor.issueTicket(user.id) });
      return;
    }
    await signInAs(req, res, user);
  });

  router.post('/session/second-factor', json, ...codeLimit, async (req: Request, res: Response) => {
    if (originVerdict(req) === 'cross-site') {
      throw new AppError('forbidden', 'Cross-site sign-in refused.');
    }
    const body = secondFactorBodySchema.parse(req.body);
    const userId = secondFactor.ticketUser(body.ticket);
    const user = userId ? await service.store.getUser(userId) : undefined;
    const ok =
      user !== undefined &&
      !user.disabled &&
      user.username.toLowerCase() === body.username.toLowerCase() &&
      (await secondFactor.checkCode(user.id, body.code));
    if (!ok || !user) {
      logger.warn({ address: req.ip, requestId: res.locals.requestId }, 'second factor failed');
      throw new AppError('unauthenticated', INVALID_CODE);
    }
    secondFactor.spendTicket(body.ticket);
    await signInAs(req, res, user);
  });

  async function signInAs(req: Request, res: Response, user: UserRecord): Promise<void> {
    // A browser signing in again leaves no old session behind.
    await service.endRequestSessionRow(req);
    const sessionHash = await service.startSession(req, res, { userId: user.id });
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      role: user.role,
      phoneIds: user.phoneIds,
      kind: 'user',
      viaCookie: true,
      sessionHash,
      mustChangePassword: user.mustChangePassword,
    };
    res.locals.principal = principal;
    await recordAudit(audit, logger, req, res, {
      action: 'session:sign-in',
      phoneId: null,
      params: {},
      result: 'ok',
    });
    res.json({ user: sessionUserOf(principal) });
  }

  router.get('/session', access.authenticateForPasswordChange, (_req, res) => {
    res.json({ user: sessionUserOf(principalOf(res) as Principal) });
  });

  router.delete('/session', async (req, res) => {
    if (req.headers.authorization === undefined) {
      let principal: Principal | undefined;
      try {
        principal = await service.resolve(req, res);
      } catch {
        principal = undefined;
      }
      if (principal) csrfCheck(req, principal);
      await service.endRequestSession(req, res);
    }
    res.status(204).end();
  });

  router.post(
    '/session/password',
    json,
    access.authenticateForPasswordChange,
    ...passwordLimit,
    async (req: Request, res: Response) => {
      const principal = principalOf(res) as Principal;
      const user = principal.userId ? await service.store.getUser(principal.userId) : undefined;
      if (principal.kind !== 'user' || !user) {
        throw new AppError('forbidden', 'Only a signed-in user has a password to change.');
      }
      const body = changePasswordBodySchema.parse(req.body);
      if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
        throw new AppError('invalid_input', 'The current password is not right.', {
          issues: [{ path: 'currentPassword', message: 'The current password is not right.' }],
        });
      }
      if (body.newPassword === body.currentPassword) {
        throw new AppError('invalid_input', 'Choose a new password different from the current one.', {
          issues: [{ path: 'newPassword', message: 'Same as the current password.' }],
        });
      }
      assertStrongPassword(body.newPassword, user.username, 'newPassword');
      const passwordHash = await hashPassword(body.newPassword, service.settings.scrypt);
      const updated = await service.store.updateUser(
        user.id,
        { passwordHash, mustChangePassword: false, passwordRule: PASSWORD_RULE_VERSION },
        service.isoNow(),
      );
      // Anyone else holding a session of this user (a stolen cookie) is out now.
      await service.endUserSessions(user.id, principal.sessionHash);
      const next: Principal = { ...principal, mustChangePassword: false };
      res.locals.principal = next;
      await recordAudit(audit, logger, req, res, {
        action: 'session:password-change',
        phoneId: null,
        params: { userId: user.id },
        result: 'ok',
      });
      res.json({ user: sessionUserOf({ ...next, role: updated?.role ?? next.role }) });
    },
  );

  return router;
}

const INVALID_KEY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LineDeck</title></head>
<body><h1>This display link does not work</h1>
<p>The key in it is unknown or has been revoked. Ask a LineDeck admin for a new wall display link.</p>
</body></html>`;

/**
 * The wall's view parameters (apps/web/src/features/wall/wall-view.ts) and what each may hold: a kiosk
 * opened from a display-key link keeps its view, and nothing else comes through.
 */
const WALL_VIEW_PARAMS: Readonly<Record<string, (value: string) => boolean>> = {
  theme: (v) => v === 'light' || v === 'dark',
  show: (v) => v === 'active' || v === 'all',
  // Phone names or ids, comma-separated: letters of any script, digits, spaces and common punctuation.
  phones: (v) => v.length <= 500 && /^[\p{L}\p{N} .,_'()&@#/+-]+$/u.test(v),
  page_seconds: (v) => /^\d{1,3}$/.test(v) && Number(v) >= 3 && Number(v) <= 600,
  page: (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1,
};

/**
 * Where `/wall?key=...` sends the browser once signed in: `/wall` with only the known view parameters
 * (`theme=light`, `show=active`, ...), each with a valid value, so the key and anything unknown stay out
 * of the address bar.
 */
export function wallRedirectPath(query: Request['query']): string {
  const search = wallViewParams(query).toString();
  return search ? `/wall?${search}` : '/wall';
}

function wallViewParams(query: Request['query']): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [name, valid] of Object.entries(WALL_VIEW_PARAMS)) {
    const value = query[name];
    if (typeof value === 'string' && valid(value)) kept.set(name, value);
  }
  return kept;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

/**
 * What a wall link opened from another site shows instead of signing in: another site must not be able
 * to swap this browser's session (a signed-in user's, whose SameSite cookie that navigation does not
 * even carry) for a display session. The button submits the same link from LineDeck's own page, a
 * same-origin navigation, so a person who meant to open the wall gets there in one click.
 */
function foreignWallPage(key: string, query: Request['query']): string {
  const fields = [['key', key], ...wallViewParams(query)]
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name ?? '')}" value="${escapeHtml(value ?? '')}">`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LineDeck wall display</title></head>
<body><h1>Open this wall display?</h1>
<p>This display link was opened from another site. Opening it signs this browser out of LineDeck
(any user signed in here) and shows the wall screen instead.</p>
<form method="get" action="/wall">${fields}<button type="submit">Open the wall display</button></form>
</body></html>`;
}

/** `GET /wall?key=...`: mounted at the root, before the SPA. Without `key` it leaves `/wall` to the SPA. */
export function wallRouter(deps: { service: AuthService; audit: Audit }): Router {
  const { service, audit } = deps;
  const router = Router();
  router.get('/wall', async (req, res, next) => {
    const key = req.query.key;
    if (key === undefined) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const record =
      typeof key === 'string' && key.length <= 200 ? await service.displayKeyBySecret(key) : undefined;
    if (!record) {
      service.logger.warn(
        { address: req.ip, requestId: res.locals.requestId },
        'wall sign-in with an unknown key',
      );
      res.status(401).type('html').send(INVALID_KEY_PAGE);
      return;
    }
    if (isForeignNavigation(req)) {
      res
        .status(200)
        .type('html')
        .send(foreignWallPage(key as string, req.query));
      return;
    }
    await service.endRequestSessionRow(req);
    const sessionHash = await service.startSession(req, res, { displayKeyId: record.id });
    await service.touchDisplayKey(record.id);
    res.locals.principal = displayPrincipal(record, sessionHash);
    await recordAudit(audit, service.logger, req, res, {
      action: 'session:display-key',
      phoneId: null,
      params: { displayKeyId: record.id, name: record.name },
      result: 'ok',
    });
    // 303: the browser fetches /wall with GET and the key is no longer in the address bar or history entry.
    res.redirect(303, wallRedirectPath(req.query));
  });
  return router;
}
