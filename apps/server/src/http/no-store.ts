/**
 * Every /api answer is `Cache-Control: no-store`: answers hold secrets (a new token's) and personal data
 * (calls, contacts) that no browser or proxy cache should keep. A route may still set its own.
 */
import type { RequestHandler } from 'express';

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
