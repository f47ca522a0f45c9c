/**
 * `runHandlers(handlers, req, res, done)`: handlers one after another as Express 5 runs a route's: each
 * calls `next()` for the following one; `next(err)`, a throw or a rejected promise ends the run with
 * `done(err)`; past the last one, `done()`. The fast lane and the route gate's `first` run through it.
 */
import type { Request, RequestHandler, Response } from 'express';

export function runHandlers(
  handlers: readonly RequestHandler[],
  req: Request,
  res: Response,
  done: (err?: unknown) => void,
): void {
  let index = 0;
  const next = (err?: unknown): void => {
    // As Express: any truthy value is an error (the handlers here never use `'route'` or `'router'`).
    if (err) {
      done(err);
      return;
    }
    const handler = handlers[index++];
    if (!handler) {
      done();
      return;
    }
    try {
      const returned: unknown = handler(req, res, next);
      if (returned instanceof Promise) returned.catch((e: unknown) => done(e ?? new Error('rejected')));
    } catch (e) {
      done(e);
    }
  };
  next();
}
