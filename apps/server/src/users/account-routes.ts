/**
 * A signed-in user's own account, and what an admin may do to another's:
 * - `GET /api/account` -> `{ totpAvailable, totpEnabled, recoveryCodesLeft }`.
 * - `GET /api/account/sessions` -> my sessions (device, address, signed in, last seen; `current`).
 * - `DELETE /api/account/sessions/:id` ends one of mine; `DELETE /api/account/sessions` all but this one.
 * - `POST /api/account/totp` (admins) -> a new secret, its otpauth URI and QR code, off until
 *   `POST /api/account/totp/confirm { code }` -> `{ recoveryCodes }` (shown only then).
 * - `POST /api/account/totp/disable { code }` turns it off (a code or recovery code proves it is you).
 * - `DELETE /api/users/:id/sessions`, `DELETE /api/users/:id/totp` (`users:manage`): an admin ends all of
 *   a user's sessions, or resets their second factor (a lost phone). Both audited.
 */
import type { AccountSession } from '@linedeck/contract';
import { totpCodeBodySchema } from '@linedeck/contract';
import express, { type Request, type Response, Router } from 'express';
import { type Principal, principalOf } from '../access/access.ts';
import { type Audit, recordAudit } from '../audit/audit-seam.ts';
import { AppError } from '../errors.ts';
import type { RealAccess } from './create-access.ts';
import { type SignInLimits, signInLimiters } from './rate-limit.ts';
import { type AuthService, publicSessionId } from './service.ts';
import type { SecondFactor } from './totp.ts';

export interface AccountRoutesDeps {
  service: AuthService;
  access: RealAccess;
  audit: Audit;
  secondFactor: SecondFactor;
  limits?: SignInLimits | undefined;
  bodyLimit?: string | undefined;
}

const WRONG_CODE = 'That code is not right (or was already used). Try the next one from your app.';

function signedInUser(res: Response): Principal & { userId: string } {
  const principal = principalOf(res) as Principal;
  if (principal.kind !== 'user' || !principal.userId) {
    throw new AppError('forbidden', 'Only a signed-in user has an account page.');
  }
  return principal as Principal & { userId: string };
}

export function accountRouter(deps: AccountRoutesDeps): Router {
  const { service, access, audit, secondFactor } = deps;
  const router = Router();
  const json = express.json({ limit: deps.bodyLimit ?? '32kb' });
  // Guessing a code to turn the factor off is a guess like a password: the same limits.
  const codeLimit = signInLimiters(deps.limits);
  const admin = [access.authenticate, access.authorize('users:manage')];
  const audited = (req: Request, res: Response, action: string, params: Record<string, unknown>) =>
    recordAudit(audit, service.logger, req, res, { action, phoneId: null, params, result: 'ok' });

  router.get('/account', access.authenticate, async (_req, res) => {
    const me = signedInUser(res);
    const { enabled, recoveryCodesLeft } = await secondFactor.status(me.userId);
    res.json({ totpAvailable: me.role === 'admin', totpEnabled: enabled, recoveryCodesLeft });
  });

  router.get('/account/sessions', access.authenticate, async (_req, res) => {
    const me = signedInUser(res);
    const sessions: AccountSession[] = (await service.userSessions(me.userId)).map((s) => ({
      id: publicSessionId(s.idHash),
      userAgent: s.userAgent ?? '',
      address: s.address ?? '',
      createdAt: new Date(s.createdAt).toISOString(),
      lastSeenAt: new Date(s.lastSeenAt).toISOString(),
      current: s.idHash === me.sessionHash,
    }));
    res.json(sessions);
  });

  router.delete('/account/sessions', access.authenticate, async (req, res) => {
    const me = signedInUser(res);
    await service.endUserSessions(me.userId, me.sessionHash);
    await audited(req, res, 'session:end-others', { userId: me.userId });
    res.status(204).end();
  });

  router.delete('/account/sessions/:id', access.authenticate, async (req, res) => {
    const me = signedInUser(res);
    if (!(await service.endUserSessionById(me.userId, String(req.params.id)))) {
      throw new AppError('not_found', 'You have no such session (it may have ended already).');
    }
    await audited(req, res, 'session:end-one', { userId: me.userId });
    res.status(204).end();
  });

  router.post('/account/totp', access.authenticate, async (req, res) => {
    const me = signedInUser(res);
    if (me.role !== 'admin') throw new AppError('forbidden', 'A second factor is for admin accounts.');
    const enrolment = await secondFactor.startEnrolment(me.userId, me.username);
    // The secret is in this answer by design; it must not stay in a cache.
    res.setHeader('Cache-Control', 'no-store');
    await audited(req, res, 'session:totp-enrol', { userId: me.userId });
    res.json(enrolment);
  });

  router.post('/account/totp/confirm', json, access.authenticate, async (req, res) => {
    const me = signedInUser(res);
    const { code } = totpCodeBodySchema.parse(req.body);
    const recoveryCodes = await secondFactor.confirmEnrolment(me.userId, code);
    if (!recoveryCodes) {
      throw new AppError('invalid_input', WRONG_CODE, { issues: [{ path: 'code', message: WRONG_CODE }] });
    }
    res.setHeader('Cache-Control', 'no-store');
    await audited(req, res, 'session:totp-on', { userId: me.userId });
    res.json({ recoveryCodes });
  });

  router.post('/account/totp/disable', json, access.authenticate, ...codeLimit, async (req, res) => {
    const me = signedInUser(res);
    const { code } = totpCodeBodySchema.parse(req.body);
    if (!(await secondFactor.checkCode(me.userId, code))) {
      throw new AppError('invalid_input', WRONG_CODE, { issues: [{ path: 'code', message: WRONG_CODE }] });
    }
    await secondFactor.disable(me.userId);
    await audited(req, res, 'session:totp-off', { userId: me.userId });
    res.status(204).end();
  });

  router.delete('/users/:id/sessions', ...admin, async (req, res) => {
    const id = String(req.params.id);
    if (!(await service.store.getUser(id))) throw new AppError('not_found', 'No such user.');
    const me = principalOf(res) as Principal;
    // An admin ending their own sessions keeps the one they are using.
    await service.endUserSessions(id, me.userId === id ? me.sessionHash : undefined);
    await audited(req, res, 'users:end-sessions', { userId: id });
    res.status(204).end();
  });

  router.delete('/users/:id/totp', ...admin, async (req, res) => {
    const id = String(req.params.id);
    if (!(await service.store.getUser(id))) throw new AppError('not_found', 'No such user.');
    await secondFactor.disable(id);
    await audited(req, res, 'users:totp-reset', { userId: id });
    res.status(204).end();
  });

  return router;
}
