/**
 * Reads what session firmware looks at from a node:http request (session-login.ts stays HTTP-free):
 * method, parameters (query, or the form of a POST), the raw body, the `sid` cookie and the headers of
 * its CSRF check. Bodies are small on a phone: more than 64 kB is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { WebRequest } from './session-login.ts';

export const MAX_WEB_BODY = 64 * 1024;

export class BodyTooLarge extends Error {}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEB_BODY) throw new BodyTooLarge('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The `sid` cookie of a Cookie header (`a=1; sid=...`). */
export function cookieSid(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === 'sid') return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

export async function readWebRequest(req: IncomingMessage, fn: string, query: string): Promise<WebRequest> {
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? await readText(req) : '';
  return {
    method,
    fn,
    params: new URLSearchParams(method === 'POST' ? body : query),
    body,
    cookieSid: cookieSid(req.headers.cookie),
    host: req.headers.host,
    referer: req.headers.referer,
    origin: req.headers.origin,
    hasContentLength: req.headers['content-length'] !== undefined,
    remoteIp: req.socket.remoteAddress,
  };
}
