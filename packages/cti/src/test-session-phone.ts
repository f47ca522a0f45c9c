/**
 * A small session-firmware phone for the session strategy's unit tests: a real node:http server that
 * speaks the `session` profile of /work/briefs/firmware-profiles.md (access → nonce, dologin →
 * sid, Referer/Origin/Content-Length checks, sid as cookie or parameter, expiry, one session per
 * account, dorefresh, dologout, config_get/config_update, wrongN/locked) and records every request.
 * Knobs let a test end sessions, make every login be taken over at once, or drop a request.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SessionRequest {
  method: string;
  fn: string;
  query: URLSearchParams;
  form: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SessionPhoneOptions {
  adminPassword?: string;
  userPassword?: string;
  /** A session without a request for this long ends. Default 60000. */
  sessionTtlMs?: number;
  lockoutMinutes?: number;
}

export interface SessionPhone {
  host: string;
  origin: string;
  requests: SessionRequest[];
  /** Successful logins so far. */
  readonly logins: number;
  /** Config values by key (`P1561`, `:dnd`). */
  values: Map<string, string>;
  /** Keys a config_update answers success for but does not write. */
  ignoredWrites: Set<string>;
  /** Functions whose connection is destroyed instead of answered. */
  drop: Set<string>;
  /** End every session now (as a login elsewhere would). */
  endSessions(): void;
  /** When true, every login is ended right after it succeeds (someone keeps taking the account over). */
  takeOverEveryLogin: boolean;
  /** Changes an account's password (someone changed it on the phone). */
  changePassword(username: string, password: string): void;
  /** The sid of an account's live session, if any. */
  sidOf(username: string): string | undefined;
  calls(fn: string): SessionRequest[];
  close(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const UNAUTHORIZED = '<html><body><h1>401 Unauthorized</h1></body></html>';

export async function startSessionPhone(options: SessionPhoneOptions = {}): Promise<SessionPhone> {
  const passwords = new Map([
    ['admin', options.adminPassword ?? 'admin-pass'],
    ['user', options.userPassword ?? 'user-pass'],
  ]);
  const ttl = options.sessionTtlMs ?? 60_000;
  const nonces = new Map<string, string>();
  const sessions = new Map<string, { sid: string; seen: number }>();
  let failures = 0;
  let lockedUntil = 0;
  let origin = '';

  const liveUser = (sid: string | undefined): string | undefined => {
    if (!sid) return undefined;
    for (const [user, s] of sessions) {
      if (s.sid !== sid) continue;
      if (Date.now() - s.seen > ttl) {
        sessions.delete(user);
        return undefined;
      }
      s.seen = Date.now();
      return user;
    }
    return undefined;
  };

  const phone: SessionPhone = {
    host: '',
    origin: '',
    requests: [],
    logins: 0,
    values: new Map([
      ['P1561', '1'],
      [':dnd', '0'],
    ]),
    ignoredWrites: new Set(),
    drop: new Set(),
    takeOverEveryLogin: false,
    endSessions: () => sessions.clear(),
    sidOf: (user) => sessions.get(user)?.sid,
    changePassword: (user, password) => {
      passwords.set(user, password);
    },
    calls: (fn) => phone.requests.filter((r) => r.fn === fn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  let logins = 0;
  Object.defineProperty(phone, 'logins', { get: () => logins });

  const answer = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: http.OutgoingHttpHeaders = {},
  ) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' && body.startsWith('<') ? 'text/html' : 'application/json';
    res.writeHead(status, { 'content-type': type, ...headers }).end(text);
  };

  function authFailure(): unknown {
    if (Date.now() < lockedUntil) {
      return {
        response: 'error',
        body: 'locked',
        lockTime: Math.max(1, Math.ceil((lockedUntil - Date.now()) / 60000)),
      };
    }
    return undefined;
  }

  function handle(req: SessionRequest, res: http.ServerResponse) {
    const { method, fn, headers } = req;
    if (phone.drop.has(fn)) {
      res.socket?.destroy();
      return;
    }
    if (method === 'POST' && headers['content-length'] === undefined) return answer(res, 411, '');
    const refererOk = String(headers.referer ?? '').startsWith(`${origin}/`);
    const originOk = method === 'GET' || headers.origin === origin;
    if (!refererOk || !originOk) return answer(res, 403, '<html><body><h1>403 Forbidden</h1></body></html>');
    const cookieSid = /(?:^|;\s*)sid=([^;]+)/.exec(String(headers.cookie ?? ''))?.[1];
    const sid = cookieSid ?? req.query.get('sid') ?? req.form.get('sid') ?? undefined;

    if (fn === 'access') {
      const user = [...passwords.keys()].find((u) => sha256(u) === req.form.get('access')) ?? '?';
      const nonce = randomBytes(12).toString('hex');
      nonces.set(user, nonce);
      return answer(res, 200, { response: 'success', body: nonce });
    }
    if (fn === 'dologin') {
      const user = req.form.get('username') ?? '';
      const password = passwords.get(user);
      if (password === undefined) return answer(res, 200, { response: 'error', body: 'user is not allow' });
      const locked = authFailure();
      if (locked) return answer(res, 200, locked);
      if (req.form.get('password') !== sha256(password + (nonces.get(user) ?? ''))) {
        failures++;
        if (failures >= 5) {
          lockedUntil = Date.now() + (options.lockoutMinutes ?? 5) * 60000;
          return answer(res, 200, authFailure());
        }
        return answer(res, 200, { response: 'error', body: `wrong${5 - failures}` });
      }
      failures = 0;
      logins++;
      const fresh = randomBytes(16).toString('hex');
      sessions.set(user, { sid: fresh, seen: Date.now() });
      if (phone.takeOverEveryLogin) setImmediate(() => sessions.delete(user));
      const body = { sid: fresh, role: user, ver: '1.0.7.5', mac: '00:0B:82:AA:BB:CC', defaultAuth: false };
      return answer(
        res,
        200,
        { response: 'success', body },
        { 'set-cookie': `sid=${fresh}; Path=/; HttpOnly` },
      );
    }
    const user = liveUser(sid);
    if (fn === 'dorefresh')
      return user ? answer(res, 200, { response: 'success', body: 'ok' }) : answer(res, 401, UNAUTHORIZED);
    if (fn === 'dologout') {
      if (user) sessions.delete(user);
      return answer(res, 200, { response: 'success', body: 'ok' });
    }
    if (fn === 'config_get') {
      if (!user) return answer(res, 200, { response: 'error', body: { status: 'session-expired' } });
      const keys = (req.query.get('pvalues') ?? '').split(',');
      const body = keys.map((k) => ({ alias: '', pvalue: k, value: phone.values.get(k) ?? '' }));
      return answer(res, 200, { response: 'success', body });
    }
    if (fn === 'config_update') {
      if (method !== 'PUT') return answer(res, 501, '');
      if (!user) return answer(res, 401, UNAUTHORIZED);
      const pvalue = (JSON.parse(req.body) as { pvalue: Record<string, string> }).pvalue;
      for (const [k, v] of Object.entries(pvalue)) if (!phone.ignoredWrites.has(k)) phone.values.set(k, v);
      return answer(res, 200, { response: 'success', body: { status: 'right' } });
    }
    if (!fn.startsWith('api-')) return answer(res, 404, '<html><body>404</body></html>');
    if (!user) return answer(res, 401, UNAUTHORIZED);
    if (fn === 'api-get_line_status') {
      return answer(res, 200, {
        response: 'success',
        body: [{ line: 1, state: 'idle', acct: 0, remotename: '', remotenumber: '' }],
      });
    }
    if (fn === 'api-get_accounts') {
      return answer(res, 200, {
        response: 'success',
        body: [{ id: 1, sip_server: 'pbx', sip_id: '2001', name: 'A', reg: 1 }],
      });
    }
    if (fn === 'api-get_phone_status')
      return answer(res, 200, { response: 'success', body: 'available', misc: '0' });
    return answer(res, 200, { response: 'success', body: true });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://phone');
      const body = Buffer.concat(chunks).toString('utf8');
      const isForm = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
      const recorded: SessionRequest = {
        method: req.method ?? '',
        fn: url.pathname.replace(/^\/cgi-bin\//, ''),
        query: url.searchParams,
        form: new URLSearchParams(isForm ? body : ''),
        headers: req.headers,
        body,
      };
      phone.requests.push(recorded);
      handle(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  phone.host = `127.0.0.1:${port}`;
  phone.origin = origin;
  return phone;
}
