/**
 * Sign-in rate limits (express-rate-limit, in-memory: one server process).
 * Only failed attempts count (`skipSuccessfulRequests`): a colleague signing
 * in normally never uses up the office's budget, while a guesser is stopped
 * after a few tries. Three counters, each over `windowMs` (15 min):
 * - address + username (10): one machine guessing one account;
 * - address (50): one machine trying many accounts;
 * - username (100, from any address): many machines on one account. Kept
 *   high, since whoever trips it also locks the real user out for a while.
 * Also applied to `POST /api/session/password`, which checks a password too.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors.ts';

export interface SignInLimits {
  windowMs: number;
  perAddressAndUser: number;
  perAddress: number;
  perUser: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  windowMs: 15 * 60 * 1000,
  perAddressAndUser: 10,
  perAddress: 50,
  perUser: 100,
};

function address(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** The username being tried: from a sign-in body, or the signed-in user for a password change. */
function username(req: Request): string {
  const body = req.body as { username?: unknown } | undefined;
  const fromBody = typeof body?.username === 'string' ? body.username : '';
  const fromSession = (req.res?.locals.principal as { username?: string } | undefined)?.username ?? '';
  return (fromBody || fromSession).trim().toLowerCase().slice(0, 64);
}

export function signInLimiters(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS): RequestHandler[] {
  const common = {
    windowMs: limits.windowMs,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: ((_req, _res, next) => {
      next(
        new AppError(
          'rate_limited',
          `Too many failed sign-in attempts. Wait ${Math.ceil(limits.windowMs / 60_000)} minutes and try again.`,
        ),
      );
    }) as RequestHandler,
  };
  return [
    rateLimit({
      ...common,
      limit: limits.perAddressAndUser,
      keyGenerator: (req) => `${address(req)}|${username(req)}`,
    }),
    rateLimit({ ...common, limit: limits.perAddress, keyGenerator: (req) => address(req) }),
    rateLimit({ ...common, limit: limits.perUser, keyGenerator: (req) => `user|${username(req)}` }),
  ];
}
