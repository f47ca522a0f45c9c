/**
 * Serves the built web app (apps/web/dist) from the same origin as the API,
 * with the SPA fallback: any GET that is not /api or /cti and not a file
 * answers index.html, so deep links (/phones/abc) load the app.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { AppError } from './errors.ts';

export const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Returns a router serving `dist`, or null when the web app has not been built. Source maps (`*.map`)
 * describe the source: they are served only with `serveSourceMaps` (SERVE_SOURCE_MAPS=true).
 */
export function staticSite(
  dist: string = DEFAULT_WEB_DIST,
  options: { serveSourceMaps?: boolean } = {},
): Router | null {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) return null;
  const router = express.Router();
  if (!options.serveSourceMaps) {
    router.get(/\.map$/i, (req, _res, next) => {
      next(new AppError('not_found', `Nothing at ${req.method} ${req.path}`));
    });
  }
  // Hashed assets never change: cache them for long. index.html must always be revalidated.
  router.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', fallthrough: true }),
  );
  router.use(express.static(dist, { index: false, maxAge: 0 }));
  router.get('/{*splat}', (req, res, next) => {
    if (
      req.path === '/api' ||
      req.path.startsWith('/api/') ||
      req.path === '/cti' ||
      req.path.startsWith('/cti/')
    ) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
