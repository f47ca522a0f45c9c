/**
 * `sendJson(res, value)`: a 200 JSON answer, as `res.json` sends it (the same headers and body), without
 * Express's content-type negotiation on the way. Only for answers whose value is never a string, a
 * Buffer or undefined; the command routes answer with it (they are most of the traffic a desk sends).
 */
import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: Response, value: object): void {
  const body = JSON.stringify(value);
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
