/**
 * Security headers (helmet) for every answer, with a Content-Security-Policy
 * the built SPA runs under:
 * - `script-src 'self'`: Vite's build loads only module scripts from files,
 *   no inline script is ever allowed;
 * - `style-src 'self' 'unsafe-inline'`: React `style={...}` attributes need it
 *   (styles cannot run code);
 * - `connect-src 'self'`: fetch and EventSource to our own origin only;
 * - `frame-ancestors 'none'`: nobody frames the dashboard (clickjacking);
 * - no `upgrade-insecure-requests`: LineDeck is often served over plain HTTP
 *   on a LAN address, where upgrading would break every request.
 */
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // The session cookie and display links must never leak to another site through Referer.
  referrerPolicy: { policy: 'no-referrer' },
  // Served over plain http on a LAN too: HSTS would lock a host name to https for months after
  // one TLS visit. A TLS proxy in front sets its own.
  strictTransportSecurity: false,
};

export function securityHeaders(): RequestHandler {
  const policy = helmet(HELMET_OPTIONS);
  // Every directive above is fixed, so helmet's answer is the same for every request: read it once and
  // set those headers in one loop, rather than through helmet's dozen middlewares on each request.
  const { set, removed } = headersOf(policy);
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

/** The headers a middleware sets and removes on a response, run once against a recorder. */
export function headersOf(middleware: RequestHandler): { set: [string, string][]; removed: string[] } {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let done = false;
  middleware({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // A middleware that answers late or by itself (a nonce per request...) cannot be read once.
  if (!done) throw new Error('security headers: the middleware did not finish at once');
  return { set, removed };
}
