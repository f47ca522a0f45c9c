/**
 * The security headers are read from helmet once, at start: over HTTP, an answer carries exactly the
 * headers helmet itself sets with the same options, value for value.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { HELMET_OPTIONS, headersOf, securityHeaders } from './security-headers.ts';

async function headersServedBy(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(res.headers);
    for (const varying of ['date', 'connection', 'keep-alive']) delete headers[varying];
    return headers;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('security headers', () => {
  it("are helmet's own, every one and every value", async () => {
    const ours = await headersServedBy(securityHeaders());
    expect(ours).toEqual(await headersServedBy(helmet(HELMET_OPTIONS)));
    expect(ours['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(ours['referrer-policy']).toBe('no-referrer');
    expect(ours['strict-transport-security']).toBeUndefined();
  });

  it('refuse a middleware that does not finish at once (a header made per request cannot be read once)', () => {
    const late: RequestHandler = (_req, _res, next) => {
      setTimeout(next, 0);
    };
    expect(() => headersOf(late)).toThrow(/did not finish at once/);
  });
});
