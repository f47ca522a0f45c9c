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

/** `http:` or `https:` as this request arrived (`X-Forwarded-Proto` when `trust proxy` says so). */
function requestScheme(req: Request): string {
  return `${req.protocol ?? 'http'}:`.toLowerCase();
}

export type OriginVerdict = 'same-origin' | 'cross-site' | 'unknown';

export function originVerdict(req: Request): OriginVerdict {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin === 'null') return 'cross-site';
    // What a browser on our own page sends, spelled exactly so: no URL to parse on each request.
    if (origin.toLowerCase() === `${requestScheme(req)}//${requestHost(req)}`) return 'same-origin';
    // The scheme too: an http:// page on this host (plain HTTP is open to anyone on the network) is
    // another origin than the https:// LineDeck, and the other way round.
    return isOwnOrigin(req, origin) ? 'same-origin' : 'cross-site';
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return 'same-origin';
  if (site === undefined) return 'unknown';
  return 'cross-site';
}

/** Whether a URL (an Origin or a Referer) names this very origin: scheme, host and port. */
function isOwnOrigin(req: Request, value: string): boolean {
  try {
    const url = new URL(value);
    const host = requestHost(req);
    return host !== '' && url.host.toLowerCase() === host && url.protocol === requestScheme(req);
  } catch {
    return false;
  }
}

/**
 * A page load (a GET navigation) that another site started: fetch metadata says so when the browser
 * sends it (`same-origin` and `none`, a typed address or a bookmark, are ours); otherwise an Origin or a
 * Referer naming another origin. Without any of them (an old browser, a script) it is not foreign.
 */
export function isForeignNavigation(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin !== undefined) return !isOwnOrigin(req, origin);
  const referer = req.headers.referer;
  if (referer !== undefined) return !isOwnOrigin(req, referer);
  return false;
}

/** A state change riding on a cookie must prove it comes from our own pages. */
export function isSameOriginRequest(req: Request): boolean {
  return originVerdict(req) === 'same-origin';
}
