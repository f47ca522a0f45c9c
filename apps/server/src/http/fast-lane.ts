/**
 * `fastLane(...)`: the requests a desk sends most (commands to its phones) skip Express's walk of the app.
 * Express tries every layer in turn, one regular expression and handler after another (some twenty
 * before a command reaches its own route); each costs little, but a command's own share of its time is
 * mostly such small steps. A lane route is matched once, by method and path, then runs exactly the
 * handlers the app would run for it, in the same order (`before`: the app's request log, security
 * headers, host check, no-store, JSON body parser and sign-in, the very same functions; then the route's
 * own, from the same table the app's router is built from), and fails into the app's own error handler.
 *
 * Whatever the lane is not sure of goes to the app as before: another method, a query string, a
 * percent-escape or a slash in a parameter, a trailing slash, another letter case.
 */
import { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express';
import { runHandlers } from './run-handlers.ts';

export interface LaneRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express spelling below the lane's prefix, with `:name` parameters: `/phones/:id/keys`. */
  path: string;
  handlers: RequestHandler[];
}

export interface FastLaneOptions {
  /** Where the routes are mounted in the app: `/api`. */
  prefix: string;
  /** What the app runs before a route of this prefix, in its order. */
  before: readonly RequestHandler[];
  routes: readonly LaneRoute[];
  /** The app's error handler. */
  onError: ErrorRequestHandler;
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  params: string[];
  chain: RequestHandler[];
}

const PARAMETER = /^:(\w+)$/;
const LITERAL = /^[\w~-]*$/;

function compile(prefix: string, route: LaneRoute, before: readonly RequestHandler[]): CompiledRoute {
  const params: string[] = [];
  const source = `${prefix}${route.path}`
    .split('/')
    .map((segment) => {
      const parameter = PARAMETER.exec(segment)?.[1];
      if (parameter !== undefined) {
        params.push(parameter);
        // Nothing Express would decode: a percent-escape goes the long way.
        return '([^/?%]+)';
      }
      if (!LITERAL.test(segment)) throw new Error(`fast lane: "${route.path}" is not a plain path`);
      return segment;
    })
    .join('/');
  return {
    method: route.method,
    pattern: new RegExp(`^${source}$`),
    params,
    chain: [...before, ...route.handlers],
  };
}

/** The lane as the app's first middleware: a request it does not take goes on through the app. */
export function fastLane(options: FastLaneOptions): RequestHandler & { readonly taken: number } {
  const routes = options.routes.map((route) => compile(options.prefix, route, options.before));
  // `taken`: how many requests it took, what the tests check it was on the way.
  const lane = Object.assign(
    (req: Request, res: Response, next: (err?: unknown) => void): void => {
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const match = route.pattern.exec(req.url);
        if (!match) continue;
        const params: Record<string, string> = {};
        route.params.forEach((name, i) => {
          params[name] = match[i + 1] as string;
        });
        req.params = params;
        lane.taken++;
        runHandlers(route.chain, req, res, (err) => {
          // Past the last handler, nothing answered: the app's router would have gone on to a 404 or worse.
          const failure =
            err ?? new Error('fast lane: the route passed the request on and nothing answered it');
          options.onError(failure, req, res, next);
        });
        return;
      }
      next();
    },
    { taken: 0 },
  );
  return lane;
}

/** The same routes as an Express router, for the requests the lane leaves to the app. */
export function laneRouter(routes: readonly LaneRoute[]): Router {
  const router = Router();
  for (const { method, path, handlers } of routes) {
    router[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path, ...handlers);
  }
  return router;
}
