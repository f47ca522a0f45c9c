/**
 * The host allow-list against DNS rebinding: a hostile page whose name is re-pointed at this server
 * (or at 127.0.0.1) reaches it with its own name in `Host`. Only names the operator allowed are served;
 * an IP literal cannot be rebound, so the machine's own addresses are allowed by default.
 */
import os from 'node:os';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]', '']);

/**
 * ALLOWED_HOSTS when unset: the bind host and localhost, and (binding every address) each address of
 * the machine's interfaces, the names a LAN browser uses without DNS.
 */
export function defaultAllowedHosts(bindHost: string): string[] {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (WILDCARD_BINDS.has(bindHost)) {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) hosts.add(a.address.toLowerCase());
    }
  } else {
    hosts.add(normalHost(bindHost));
  }
  return [...hosts];
}

/** `Host` without its port and brackets, lower case: `[::1]:8080` is `::1`, `LineDeck.lan` `linedeck.lan`. */
function normalHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  // One colon is a port; more is a bare IPv6 address.
  return h.split(':').length === 2 ? (h.split(':')[0] as string) : h;
}

/** Refuses (421) a request whose `Host` is not allowed; `*` in the list allows any. */
export function hostCheck(allowed: readonly string[]): RequestHandler {
  const names = new Set(allowed.map(normalHost));
  const any = names.has('*');
  return (req, _res, next) => {
    const host = normalHost(req.headers.host ?? '');
    if (any || names.has(host)) {
      next();
      return;
    }
    next(
      new AppError(
        'forbidden',
        'This server is not served under the name in the Host header: add it to ALLOWED_HOSTS (docs/configuration.md).',
        { status: 421 },
      ),
    );
  };
}
