/**
 * The OpenAPI document against the real server: every route the app mounts under /api and /cti is an
 * operation of the document and every operation is mounted (read from the Express router stack, so a
 * route added without its row in packages/contract/src/api-routes.ts fails here), and the document is
 * served to admins only.
 */
import { API_OPERATIONS, type ApiOperation } from '@linedeck/contract/api-routes';
import { buildOpenApiDocument, type OpenApiDocument, openApiPath } from '@linedeck/contract/openapi';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, type SignedIn, startAuthHarness } from '../users/test-support.ts';
import { type MountedRoute, mountedRoutes } from './mounted-routes.ts';

/** Routes that are not the JSON API: the wall's HTML page (a display key link) is documented in docs/api.md. */
const NOT_API = (r: MountedRoute) => !/^\/(api|cti)\//.test(r.path);

function key(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Mounted routes without an operation, and operations without a mounted route. */
function compare(mounted: MountedRoute[], operations: readonly ApiOperation[]) {
  const routes = new Set(mounted.filter((r) => !NOT_API(r)).map((r) => key(r.method, r.path)));
  const documented = new Set(operations.map((op) => key(op.method, op.path)));
  return {
    undocumented: [...routes].filter((r) => !documented.has(r)).sort(),
    missing: [...documented].filter((d) => !routes.has(d)).sort(),
  };
}

function appOf(h: AuthHarness): Express {
  // The server's request listener is the Express app startServer built (the real one, with sign-in).
  const app = h.server.http.listeners('request')[0] as Express | undefined;
  if (!app) throw new Error('the server has no request listener');
  return app;
}

let h: AuthHarness;
let operator: SignedIn;
beforeAll(async () => {
  h = await startAuthHarness([]);
  operator = await h.user('operator');
});
afterAll(async () => {
  await h?.close();
});

describe('routes and the document', () => {
  it('every mounted /api and /cti route is documented, and every documented route is mounted', () => {
    const mounted = mountedRoutes(appOf(h));
    // The walk itself works: it finds routes of plain app.get, of mounted Routers and of nested prefixes.
    expect(mounted.map((r) => key(r.method, r.path))).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'GET /api/contacts',
        'POST /api/phones/:id/calls',
        'GET /wall',
      ]),
    );
    expect(compare(mounted, API_OPERATIONS)).toEqual({ undocumented: [], missing: [] });
  });

  it('a route added without a row is reported, and a row without a route too', () => {
    const app = express();
    const router = express.Router();
    router.get('/phones/:id/secret-new-thing', (_req, res) => res.end());
    app.use('/api', router);
    app.get('/api/health', (_req, res) => res.end());
    const result = compare(mountedRoutes(app), [
      { method: 'get', path: '/api/health', summary: '', tag: '', access: 'public' },
      { method: 'post', path: '/api/gone', summary: '', tag: '', access: 'public' },
    ]);
    expect(result).toEqual({
      undocumented: ['GET /api/phones/:id/secret-new-thing'],
      missing: ['POST /api/gone'],
    });
  });

  it('each operation has one id, its path parameters, and a body schema where it takes one', () => {
    const doc = buildOpenApiDocument({ version: 'test' });
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(API_OPERATIONS.length);
    for (const op of API_OPERATIONS) {
      const documented = doc.paths[openApiPath(op.path)]?.[op.method];
      const names = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const pathParams = documented?.parameters?.filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams ?? [], key(op.method, op.path)).toEqual(names);
      expect(Boolean(documented?.requestBody), key(op.method, op.path)).toBe(Boolean(op.body));
    }
  });
});

describe('GET /api/openapi.json', () => {
  it('answers admins with the OpenAPI 3.1 document generated from the contract', async () => {
    const res = await h.admin.req<OpenApiDocument>('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    const addPhone = res.body.paths['/api/phones']?.post;
    expect(addPhone?.['x-linedeck-access']).toBe('phones:manage');
    // The request side is the schema's input: what a client sends, limits included.
    const schema = addPhone?.requestBody?.content['application/json'].schema as {
      properties: Record<string, { maxLength?: number }>;
      required: string[];
    };
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'host', 'passcode']));
    expect(schema.properties.passcode?.maxLength).toBe(128);
    const calls = res.body.paths['/api/calls']?.get?.parameters?.map((p) => p.name);
    expect(calls).toEqual(expect.arrayContaining(['phoneId', 'outcome', 'limit', 'cursor']));
    expect(res.body.paths['/api/health']?.get?.security).toEqual([]);
  });

  it('is for admins: anonymous gets 401, an operator 403', async () => {
    expect((await h.anonymous.req('GET', '/api/openapi.json')).status).toBe(401);
    const res = await operator.req<{ error: { code: string } }>('GET', '/api/openapi.json');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});
