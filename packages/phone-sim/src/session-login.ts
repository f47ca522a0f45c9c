/**
 * /cgi-bin/ on session-only firmware (briefs: firmware profiles, `session`; field notes, "Session login"),
 * HTTP-free like cti-handler.ts: phone.ts parses the request into a WebRequest, this file answers it.
 * In order: a POST without Content-Length 411; a missing or foreign Referer (and Origin on POST) a bare 403;
 * then `access` (nonce), `dologin` (sid, lockout shared with api-*), `dorefresh`, `dologout`, `config_get`,
 * `config_update` (PUT only), and api-* with the sid in place of the passcode (handleCti).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConfigPhone } from './config-api.ts';
import { configGet, configUpdate } from './config-api.ts';
import type { CtiPhone, CtiReply } from './cti-handler.ts';
import { handleCti, json, page } from './cti-handler.ts';
import { wrongPasscodeAnswer } from './passcode-guard.ts';
import type { SessionRole, SessionStore } from './session-store.ts';

/** The parts of an HTTP request the session firmware looks at. */
export interface WebRequest {
  readonly method: string;
  readonly fn: string;
  /** Query parameters for GET and PUT, form fields for POST. */
  readonly params: URLSearchParams;
  /** The raw body (config_update's JSON). */
  readonly body: string;
  /** The `sid` cookie, if any. */
  readonly cookieSid: string | undefined;
  readonly host: string | undefined;
  readonly referer: string | undefined;
  readonly origin: string | undefined;
  readonly hasContentLength: boolean;
  readonly remoteIp: string | undefined;
}

export interface SessionPhone extends CtiPhone, ConfigPhone {
  readonly sessions: SessionStore;
  readonly firmware: string;
  readonly mac: string;
}

/** The accounts of the web UI and the passcode each checks. */
const USERNAMES: readonly SessionRole[] = ['admin', 'user'];

/** The web UI's functions and the one method each takes; another method gets 501. */
const WEB_METHODS: Readonly<Record<string, string>> = {
  access: 'POST',
  dologin: 'POST',
  dorefresh: 'POST',
  dologout: 'POST',
  config_get: 'GET',
  config_update: 'PUT',
};

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `url` is on this phone's origin (`http://<Host>`), as the phone's CSRF check wants it. */
export function sameOrigin(url: string | undefined, host: string | undefined): boolean {
  if (!url || !host) return false;
  try {
    const own = new URL(`http://${host}`);
    const other = new URL(url);
    return other.protocol === 'http:' && other.host === own.host;
  } catch {
    return false;
  }
}

const SESSION_EXPIRED = { status: 'session-expired' };

export function handleSessionRequest(
  phone: SessionPhone,
  req: WebRequest,
  now: number,
): CtiReply | Promise<CtiReply> {
  if (req.method === 'POST' && !req.hasContentLength)
    return { status: 411, contentType: 'text/html', body: '' };
  const crossSite =
    !sameOrigin(req.referer, req.host) || (req.method === 'POST' && !sameOrigin(req.origin, req.host));
  if (crossSite) return page(403, 'Forbidden');
  const method = WEB_METHODS[req.fn];
  if (method && method !== req.method) return page(501, 'Not Implemented');
  switch (req.fn) {
    case 'access':
      return access(phone, req.params);
    case 'dologin':
      return dologin(phone, req.params, now);
  }
  const role =
    phone.sessions.touch(req.cookieSid, now) ?? phone.sessions.touch(req.params.get('sid') ?? undefined, now);
  switch (req.fn) {
    case 'dorefresh':
      return role ? json(phone, 'success', 'ok') : json(phone, 'error', SESSION_EXPIRED);
    case 'dologout': {
      const ended =
        phone.sessions.end(req.cookieSid, now) || phone.sessions.end(req.params.get('sid') ?? undefined, now);
      return ended ? json(phone, 'success', 'ok') : json(phone, 'error', SESSION_EXPIRED);
    }
    case 'config_get':
      return role
        ? json(phone, 'success', configGet(phone, req.params.get('pvalues')))
        : json(phone, 'error', SESSION_EXPIRED);
    case 'config_update': {
      if (!role) return json(phone, 'error', SESSION_EXPIRED);
      const result = configUpdate(phone, req.body);
      return result.ok
        ? json(phone, 'success', { status: 'right' })
        : json(phone, 'error', 'Invalid Request');
    }
    default:
      return handleCti(phone, req.fn, req.params, req.remoteIp, now, role ?? null);
  }
}

/** The nonce for the account whose name hashes to `access`; an unknown hash gets one that nothing accepts. */
function access(phone: SessionPhone, params: URLSearchParams): CtiReply {
  const hash = (params.get('access') ?? '').toLowerCase();
  const username = USERNAMES.find((name) => sha256Hex(name) === hash);
  const nonce = username ? phone.sessions.issueNonce(username) : randomBytes(8).toString('hex');
  return json(phone, 'success', nonce);
}

function dologin(phone: SessionPhone, params: URLSearchParams, now: number): CtiReply {
  const username = params.get('username') ?? '';
  const role = USERNAMES.find((name) => name === username);
  if (!role) {
    phone.sessions.counters.failedLogins++;
    return json(phone, 'error', 'user is not allow');
  }
  const passcode = role === 'admin' ? phone.guard.adminPasscode : phone.guard.userPasscode;
  const nonce = phone.sessions.nonceOf(role);
  const password = params.get('password') ?? '';
  const right = nonce !== undefined && sameText(password.toLowerCase(), sha256Hex(passcode + nonce));
  if (phone.guard.attempt(right, now) !== 'ok') {
    phone.sessions.counters.failedLogins++;
    const answer = wrongPasscodeAnswer(phone.guard, now);
    return json(phone, 'error', answer.body, answer.extra);
  }
  const sid = phone.sessions.open(role, role, now);
  const body = { sid, role, ver: phone.firmware, mac: phone.mac, defaultAuth: false };
  return { ...json(phone, 'success', body), headers: { 'Set-Cookie': `sid=${sid}; Path=/; HttpOnly` } };
}
