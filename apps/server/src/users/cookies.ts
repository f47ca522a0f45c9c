/**
 * The session cookie. A few lines instead of cookie-parser: we read exactly
 * one cookie and never trust anything else in the header.
 */
import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'linedeck_session';
/**
 * Over HTTPS the cookie is `__Host-linedeck_session`: browsers accept that name only with Secure,
 * Path=/ and no Domain, from a secure page, so neither a sibling subdomain nor a plain-HTTP answer
 * (an attacker on the network) can plant or overwrite it. Plain HTTP (a LAN address) cannot hold such
 * a cookie and keeps the plain name; over HTTPS the plain name is not read at all.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

function cookieName(req: Request): string {
  return req.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The value of one cookie from a `Cookie` header, or undefined. Later duplicates are ignored. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * HttpOnly (no script can read it), SameSite=Strict (no cross-site request
 * carries it; the SPA's own same-origin requests do), Path=/, and Secure when
 * the request came over HTTPS (directly or, with `trust proxy`, via a proxy).
 */
function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: req.secure,
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}

export function setSessionCookie(req: Request, res: Response, sessionId: string, maxAgeMs: number): void {
  res.cookie(cookieName(req), sessionId, cookieOptions(req, maxAgeMs));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(cookieName(req), cookieOptions(req));
}

export function sessionCookieOf(req: Request): string | undefined {
  return readCookie(req.headers.cookie, cookieName(req));
}
