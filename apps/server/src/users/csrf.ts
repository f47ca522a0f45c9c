/**
 * Cross-site request refusal for cookie-authenticated state changes. A
 * browser always sends `Origin` with a cross-origin POST/PATCH/DELETE (and
 * with same-origin ones in every current browser); fetch metadata
 * (`Sec-Fetch-Site`) covers the rest. A request carrying neither cannot be
 * told apart from a forged one, so it is refused: scripts use Bearer tokens,
 * which a browser never attaches on its own.
 */
import type { Request } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** The host (with port) this request was sent to: `Host`, or `X-Forwarded-Host` when `trust proxy` says so. */
function requestHost(req: Request): string {
  return (req.host ?? req.headers.host ?? '').toLowerCase();
}

export type OriginVerdict = 'same-origin' | 'cross-site' | 'unknown';

export function originVerdict(req: Request): OriginVerdict {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin === 'null') return 'cross-site';
    try {
      const url = new URL(origin);
      const host = requestHost(req);
      return host !== '' && url.host.toLowerCase() === host ? 'same-origin' : 'cross-site';
    } catch {
      return 'cross-site';
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return 'same-origin';
  if (site === undefined) return 'unknown';
  return 'cross-site';
}

/** A state change riding on a cookie must prove it comes from our own pages. */
export function isSameOriginRequest(req: Request): boolean {
  return originVerdict(req) === 'same-origin';
}
