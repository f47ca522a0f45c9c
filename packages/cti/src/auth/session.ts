/**
 * Newer firmware's web session (field notes, "Session login"): `access` gives a nonce, `dologin` takes
 * sha256(password + nonce) and gives a sid, which then authenticates every request (cookie and
 * parameter). The rules that keep a phone from locking us out:
 * - log in lazily, once, shared by concurrent requests;
 * - a wrong password at dologin throws at once and is never sent again by this strategy;
 * - when the phone says the session ended, log in ONCE more and send the request once more; if that
 *   fails or the session ends again at once, stop with `auth_failed` (someone else keeps logging in);
 * - keep the session alive with `dorefresh` after keepAliveMs without a request (the phone drops it
 *   after about a minute), so a phone polled slowly does not need a login per poll.
 * Every request carries the same-origin Referer/Origin and `X-Requested-With` the phone's web server
 * insists on.
 */
import { createHash } from 'node:crypto';
import { parseEnvelope } from '../envelope.ts';
import { CtiError } from '../errors.ts';
import type { CgiFunction, RawResponse, Transport } from '../transport.ts';
import { authError, isSessionExpired } from './answers.ts';
import type { Authorization, AuthStrategy, PhoneInfo } from './strategy.ts';

/** Grandstream's own browser extension also sends a request every 30 s (field notes). */
export const DEFAULT_KEEP_ALIVE_MS = 30_000;

export interface SessionStrategyOptions {
  transport: Transport;
  username: string;
  password: string;
  /** Send `dorefresh` after this long without a request. Default 30 s. */
  keepAliveMs?: number;
}

/** A sid we put into a Cookie header and a query: nothing that could end the header or add a field. */
const SID_PATTERN = /^[A-Za-z0-9._~+/=-]{1,256}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function sessionStrategy(options: SessionStrategyOptions): AuthStrategy {
  const { transport, username, password } = options;
  const { host, origin } = transport;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  let sid: string | null = null;
  let nonceHash: string | null = null;
  let info: PhoneInfo = { firmware: null, mac: null };
  let pendingLogin: Promise<string> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;

  const sameOrigin = () => ({ referer: `${origin}/`, origin, 'x-requested-with': 'XMLHttpRequest' });
  const authFor = (current: string): Authorization => ({
    params: { sid: current },
    headers: { ...sameOrigin(), cookie: `sid=${current}` },
    sentSid: true,
  });

  const post = (fn: CgiFunction, form: Record<string, string>, current?: string): Promise<RawResponse> =>
    transport.request({
      method: 'POST',
      fn,
      form,
      headers: current ? authFor(current).headers : sameOrigin(),
    });

  function login(): Promise<string> {
    pendingLogin ??= doLogin().finally(() => {
      pendingLogin = null;
    });
    return pendingLogin;
  }

  async function doLogin(): Promise<string> {
    sid = null;
    const access = await post('access', { access: sha256Hex(username) });
    const nonce = parseEnvelope(access, 'access', host).body;
    if (typeof nonce !== 'string' || !nonce.trim() || nonce.length > 512) {
      throw new CtiError('malformed', `access: phone ${host} sent no login nonce.`, {
        host,
        status: access.status,
      });
    }
    nonceHash = sha256Hex(password + nonce);
    const answer = await post('dologin', { username, password: nonceHash });
    let body: unknown;
    try {
      body = parseEnvelope(answer, 'dologin', host).body;
    } catch (err) {
      // A refusal in words we do not know is still a refused login: stop, never send it again.
      if (err instanceof CtiError && err.code === 'rejected') {
        throw authError('dologin', host, { reason: 'refused' }, { status: answer.status });
      }
      throw err;
    }
    const fresh = sidOf(body, answer.setCookie);
    if (!fresh) {
      throw new CtiError(
        'malformed',
        `dologin: phone ${host} accepted the login but sent no usable session id.`,
        {
          host,
          status: answer.status,
        },
      );
    }
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    info = { firmware: textOrNull(fields.ver), mac: textOrNull(fields.mac) };
    sid = fresh;
    touch();
    return fresh;
  }

  async function current(): Promise<Authorization> {
    return authFor(sid ?? (await login()));
  }

  function forget(which: string | undefined) {
    if (which !== undefined && sid === which) {
      sid = null;
      clearTimeout(timer);
      timer = undefined;
    }
  }

  async function tracked<T>(exchange: (auth: Authorization) => Promise<T>, auth: Authorization): Promise<T> {
    inFlight++;
    try {
      return await exchange(auth);
    } finally {
      inFlight--;
      touch();
    }
  }

  /** (Re)starts the idle timer; unref'd so a forgotten client never keeps the process alive. */
  function touch() {
    clearTimeout(timer);
    timer = undefined;
    if (!sid) return;
    timer = setTimeout(() => void refresh(), keepAliveMs);
    timer.unref?.();
  }

  async function refresh() {
    timer = undefined;
    const kept = sid;
    if (!kept) return;
    if (inFlight > 0 || pendingLogin) return touch();
    inFlight++;
    try {
      parseEnvelope(await post('dorefresh', { sid: kept }, kept), 'dorefresh', host, { sentSid: true });
    } catch (err) {
      // The session is gone: the next request logs in (once). Anything else (a slow or unreachable
      // phone) may be passing: try again after the next idle period.
      if (err instanceof CtiError && err.code === 'auth_failed') {
        forget(kept);
        return;
      }
    } finally {
      inFlight--;
    }
    touch();
  }

  return {
    scheme: 'session',

    async run(exchange) {
      const first = await current();
      try {
        return await tracked(exchange, first);
      } catch (err) {
        if (!isSessionExpired(err)) throw err;
        forget(first.params.sid);
        // Another request may have logged in meanwhile: then its session is used, still one login.
        const again = await current();
        try {
          return await tracked(exchange, again);
        } catch (err2) {
          if (!isSessionExpired(err2)) throw err2;
          forget(again.params.sid);
          const ended = err2 as CtiError;
          throw new CtiError(
            'auth_failed',
            `${ended.message.replace(/\.$/, '')}, again right after a fresh login: another login to this account (the phone's web page?) keeps ending it.`,
            { host, auth: { reason: 'session_expired' }, ...(ended.status ? { status: ended.status } : {}) },
          );
        }
      }
    },

    async authorize() {
      const auth = await current();
      touch();
      return auth;
    },

    sessionEnded(auth) {
      forget(auth ? auth.params.sid : (sid ?? undefined));
    },

    info: () => ({ ...info }),

    secrets: () => [password, nonceHash, sid].filter((s): s is string => !!s),

    async close() {
      clearTimeout(timer);
      timer = undefined;
      if (pendingLogin) await pendingLogin.catch(() => {});
      const ending = sid;
      sid = null;
      clearTimeout(timer);
      if (!ending) return;
      try {
        await post('dologout', { sid: ending }, ending);
      } catch {
        // Best effort: the phone ends an idle session by itself within about a minute.
      }
    },
  };
}

function sidOf(body: unknown, setCookie: readonly string[] = []): string | undefined {
  const fromBody =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).sid : undefined;
  if (typeof fromBody === 'string' && SID_PATTERN.test(fromBody)) return fromBody;
  for (const cookie of setCookie) {
    const match = /^\s*sid=([^;\s]+)/.exec(cookie);
    if (match?.[1] && SID_PATTERN.test(match[1])) return match[1];
  }
  return undefined;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 64) : null;
}
