/** Helpers for the HTTP tests of session firmware: requests as a browser on the phone's web UI sends them. */
import { request } from 'node:http';
import type { SimPhone } from './phone.ts';
import { sha256Hex } from './session-login.ts';
import { readAnswer } from './test-support.ts';

export interface WebCall {
  method?: string;
  /** Query (GET, PUT) or form (POST) parameters. */
  params?: Record<string, string>;
  /** Sent as the `sid` cookie. */
  sid?: string;
  /** A raw body instead of the form (config_update's JSON). */
  body?: string;
  /** Overrides: `null` leaves a header out. */
  referer?: string | null;
  origin?: string | null;
}

/** One request to /cgi-bin/<fn> with same-origin Referer and Origin, unless told otherwise. */
export async function web(phone: SimPhone, fn: string, call: WebCall = {}) {
  const method = call.method ?? 'POST';
  const query = new URLSearchParams(call.params);
  const form = method === 'POST';
  const headers: Record<string, string> = { 'X-Requested-With': 'XMLHttpRequest' };
  const referer = call.referer === undefined ? `${phone.url}/` : call.referer;
  const origin = call.origin === undefined ? phone.url : call.origin;
  if (referer !== null) headers.Referer = referer;
  if (origin !== null && method !== 'GET') headers.Origin = origin;
  if (call.sid) headers.Cookie = `sid=${call.sid}`;
  if (form && call.body === undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  const url = `${phone.url}/cgi-bin/${fn}${form || query.size === 0 ? '' : `?${query}`}`;
  const body = call.body ?? (form ? query.toString() : undefined);
  return readAnswer(await fetch(url, { method, headers, body }));
}

/** access + dologin as the web UI does; returns the dologin answer. */
export async function login(phone: SimPhone, username: string, password: string) {
  const access = await web(phone, 'access', { params: { access: sha256Hex(username) } });
  const nonce = String(access.json?.body ?? '');
  return web(phone, 'dologin', { params: { username, password: sha256Hex(password + nonce) } });
}

/** Logs in and returns the sid; throws when the login is refused. */
export async function sidOf(phone: SimPhone, username = 'admin', password = 'admin'): Promise<string> {
  const answer = await login(phone, username, password);
  const sid = answer.json?.body?.sid;
  if (typeof sid !== 'string') throw new Error(`login refused: ${answer.text}`);
  return sid;
}

/** A POST with a chunked body, so no Content-Length header (fetch always sends one for a string). */
export function chunkedPost(
  phone: SimPhone,
  fn: string,
  form: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${phone.url}/cgi-bin/${fn}`,
      {
        method: 'POST',
        headers: {
          Referer: `${phone.url}/`,
          Origin: phone.url,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Transfer-Encoding': 'chunked',
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}
