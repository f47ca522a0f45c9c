/**
 * The route gate over HTTP: a gated router is entered only for the first path segments its routes start
 * with (any case, and whenever the segment is percent-escaped), its routes answer as before, and a router
 * with a route or middleware that could match any path is not gated at all.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler, Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstSegmentsOf, routeGate } from './route-gate.ts';

/** The router, counting how often a request entered it. */
function counted(router: Router): { router: Router; entered: () => number } {
  let entered = 0;
  const handler = ((req, res, next) => {
    entered++;
    router(req, res, next);
  }) as RequestHandler as Router;
  Object.assign(handler, { stack: router.stack });
  return { router: handler, entered: () => entered };
}

const users = Router();
users.get('/users/:id', (req, res) => {
  res.json({ user: req.params.id });
});
const tokens = Router();
tokens.post('/tokens', (_req, res) => {
  res.status(201).json({ token: 'made' });
});
users.use(tokens);
users.use(['/campaigns', '/do-not-call'], (_req, res) => {
  res.json({ campaigns: true });
});
const gated = counted(users);

let server: http.Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use('/api', routeGate(gated.router));
  app.use('/api', (req, res) => {
    res.status(404).json({ missed: req.path });
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function call(
  method: string,
  path: string,
): Promise<{ status: number; body: unknown; entered: number }> {
  const before = gated.entered();
  const res = await fetch(`${base}${path}`, { method });
  return { status: res.status, body: await res.json(), entered: gated.entered() - before };
}

describe('route gate', () => {
  it('enters the router only for the first segments its routes start with', async () => {
    expect(await call('GET', '/api/users/7')).toEqual({ status: 200, body: { user: '7' }, entered: 1 });
    expect(await call('POST', '/api/tokens')).toEqual({ status: 201, body: { token: 'made' }, entered: 1 });
    expect(await call('GET', '/api/do-not-call')).toEqual({
      status: 200,
      body: { campaigns: true },
      entered: 1,
    });
    expect(await call('POST', '/api/phones/a/keys')).toEqual({
      status: 404,
      body: { missed: '/phones/a/keys' },
      entered: 0,
    });
    expect(await call('GET', '/api/usersx')).toMatchObject({ status: 404, entered: 0 });
  });

  it('matches like Express: any case, and a percent-escaped segment always goes in', async () => {
    expect(await call('GET', '/api/USERS/8')).toEqual({ status: 200, body: { user: '8' }, entered: 1 });
    expect(await call('GET', '/api/%75sers/9')).toMatchObject({ entered: 1 });
  });

  it('runs `first` (sign-in) only for requests that enter, and stops there when it fails', async () => {
    const phones = Router();
    phones.post('/phones/:id/keys', (_req, res) => {
      res.json({ sent: res.locals.who });
    });
    const signIn: RequestHandler = async (req, res, next) => {
      await Promise.resolve();
      if (req.headers.authorization !== 'Bearer ok') throw Object.assign(new Error('no'), { status: 401 });
      res.locals.who = 'ada';
      next();
    };
    let signIns = 0;
    const counting: RequestHandler = (req, res, next) => {
      signIns++;
      return signIn(req, res, next);
    };
    const app = express();
    app.use('/api', routeGate(phones, { first: counting }));
    app.use('/api', (req, res) => {
      res.status(404).json({ missed: req.path });
    });
    app.use(((err, _req, res, _next) => {
      res.status(err.status ?? 500).json({ error: err.message });
    }) as express.ErrorRequestHandler);
    const gatedServer = http.createServer(app);
    await new Promise<void>((resolve) => gatedServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gatedServer.address() as AddressInfo).port}`;
    try {
      const post = (path: string, auth?: string) =>
        fetch(`${url}${path}`, { method: 'POST', headers: auth ? { authorization: auth } : {} }).then(
          async (r) => ({ status: r.status, body: await r.json() }),
        );
      expect(await post('/api/phones/a/keys', 'Bearer ok')).toEqual({ status: 200, body: { sent: 'ada' } });
      expect(await post('/api/phones/a/keys', 'Bearer no')).toEqual({ status: 401, body: { error: 'no' } });
      expect(signIns).toBe(2);
      // Not a path of the router: no sign-in asked for, on to what comes next.
      expect(await post('/api/session')).toEqual({ status: 404, body: { missed: '/session' } });
      expect(signIns).toBe(2);
    } finally {
      await new Promise((resolve) => gatedServer.close(resolve));
    }
  });

  it('leaves a router ungated when something in it could match any path', () => {
    const everything = Router();
    everything.use((_req, _res, next) => next());
    everything.get('/users', () => {});
    expect(firstSegmentsOf(everything)).toBeNull();
    expect(routeGate(everything)).toBe(everything);

    const param = Router();
    param.get('/:anything/x', () => {});
    expect(routeGate(param)).toBe(param);

    const pattern = Router();
    pattern.get(/^\/users/, () => {});
    expect(routeGate(pattern)).toBe(pattern);

    expect([...(firstSegmentsOf(users) ?? [])].sort()).toEqual([
      'campaigns',
      'do-not-call',
      'tokens',
      'users',
    ]);
    // Its routes can still be listed through the gate (the OpenAPI check reads them).
    expect((routeGate(users) as unknown as Router).stack).toBe(users.stack);
  });
});
