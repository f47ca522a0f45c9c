/**
 * `routeGate(router)`: the same router, behind a check of the request path's first segment. Express tries
 * every route of every router mounted at /api, one regular expression after another, for each request:
 * a command to a phone walked past some hundred routes of the users', campaigns', webhooks' and other
 * routers before reaching its own. A gated router is entered only when the first segment is one its
 * routes start with, so it runs exactly when one of its routes could match.
 *
 * The gate is derived from the router's own routes. When a route or middleware could match any first
 * segment (a middleware without a path, a parameter or a pattern first, a regular expression), the router
 * is given back ungated. Matching follows Express's defaults (case-insensitive); a segment with a
 * percent-escape always enters the router.
 */
import type { RequestHandler, Router } from 'express';
import { runHandlers } from './run-handlers.ts';

interface LayerLike {
  route?: { path: unknown };
  rawPath?: unknown;
  slash?: boolean;
  handle?: unknown;
}

/** The first segments a router's routes start with, or null when some layer could match any path. */
export function firstSegmentsOf(router: { stack?: unknown }): Set<string> | null {
  const stack = router.stack;
  if (!Array.isArray(stack)) return null;
  const segments = new Set<string>();
  for (const layer of stack as LayerLike[]) {
    if (layer.slash) {
      // `router.use(inner)`: the inner router's segments; any other middleware sees every request.
      const inner =
        typeof layer.handle === 'function' ? firstSegmentsOf(layer.handle as { stack?: unknown }) : null;
      if (!inner) return null;
      for (const s of inner) segments.add(s);
      continue;
    }
    const raw = layer.route ? layer.route.path : layer.rawPath;
    for (const path of Array.isArray(raw) ? raw.flat(Number.POSITIVE_INFINITY) : [raw]) {
      const segment = literalFirstSegment(path);
      if (segment === null) return null;
      segments.add(segment);
    }
  }
  return segments;
}

/** `/users/:id` is `users`; null when the first segment is not a plain word (a parameter, a pattern). */
function literalFirstSegment(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  const end = path.indexOf('/', 1);
  const segment = path.slice(1, end === -1 ? undefined : end).toLowerCase();
  return /^[a-z0-9._~-]*$/.test(segment) ? segment : null;
}

function requestFirstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return path.slice(1, end === -1 ? undefined : end).toLowerCase();
}

/**
 * `options.first` (sign-in, say) runs before the router, only for the requests that enter it; a router
 * that could match any path is then mounted behind it, as `app.use(first, router)` would.
 */
export function routeGate(router: Router, options: { first?: RequestHandler } = {}): RequestHandler {
  const { first } = options;
  const enter: RequestHandler = first
    ? (req, res, next) => runHandlers([first, router], req, res, next)
    : router;
  const segments = firstSegmentsOf(router as unknown as { stack?: unknown });
  if (!segments) return enter;
  const gate: RequestHandler = (req, res, next) => {
    const segment = requestFirstSegment(req.path);
    if (segments.has(segment) || segment.includes('%')) {
      enter(req, res, next);
      return;
    }
    next();
  };
  // The router's layers stay readable through the gate: whoever lists the mounted routes
  // (openapi/mounted-routes.ts) still finds them.
  return Object.assign(gate, { stack: router.stack });
}
