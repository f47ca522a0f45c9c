/**
 * The routes an Express app really mounts, read from its router stack (Express 5's `router`: a
 * layer's `route` for `app.get(...)`, `handle.stack` for a mounted Router, `rawPath` for its prefix).
 * The OpenAPI test compares them with the operations table.
 */
import type { Express } from 'express';

export interface MountedRoute {
  method: string;
  /** Express spelling, without a trailing slash (`/api/contacts/` is `/api/contacts`). */
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function paths(p: string | string[] | undefined): string[] {
  if (p === undefined) return [''];
  return (Array.isArray(p) ? p : [p]).map((one) => (one === '/' ? '' : one));
}

function walk(stack: Layer[], prefix: string, out: MountedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of paths(layer.route.path)) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method, path: (prefix + path).replace(/(.)\/$/, '$1') });
        }
      }
    } else if (layer.handle?.stack) {
      for (const path of paths(layer.rawPath)) walk(layer.handle.stack, prefix + path, out);
    }
  }
}

export function mountedRoutes(app: Express): MountedRoute[] {
  const router = (app as unknown as { router?: { stack: Layer[] } }).router;
  if (!router) throw new Error('not an Express 5 app: no router stack to read');
  const out: MountedRoute[] = [];
  walk(router.stack, '', out);
  // One route may be registered twice (a body-parser step before the real handler): count it once.
  return [...new Map(out.map((r) => [`${r.method} ${r.path}`, r])).values()];
}
