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
import helmet from 'helmet';

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

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // The session cookie and display links must never leak to another site through Referer.
    referrerPolicy: { policy: 'no-referrer' },
    // Served over plain http on a LAN too: HSTS would lock a host name to https for months after
    // one TLS visit. A TLS proxy in front sets its own.
    strictTransportSecurity: false,
  });
}
