/**
 * Helpers for the auth and audit integration tests: the real server (via the
 * shared harness, signed in as admin) plus clients that behave like a browser
 * (cookie + same-origin Origin), a script (Bearer token) or an attacker
 * (another Origin, no credentials).
 */
import http from 'node:http';
import type { Role } from '@linedeck/contract';
import { expect } from 'vitest';
import type { Config } from '../config.ts';
import type { StartOptions } from '../server.ts';
import {
  type Harness,
  startHarness,
  type TestPhoneSpec,
  uniquePasscode,
  waitFor,
} from '../test-support/harness.ts';
import type { ScryptParams } from './passwords.ts';

/** scrypt at a low cost so tests sign many users in quickly; passwords.test.ts checks the real cost. */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

export interface Reply<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Every answer any test client got in this test file (for the scans for secrets). */
export const transcript: { method: string; path: string; status: number; text: string }[] = [];

/**
 * The answers that may hold a secret: creating a token or display key shows it, once, by design.
 * Everything else must never hold one.
 */
export function answersThatMustNotHoldSecrets(): string[] {
  return transcript
    .filter(
      (t) => !(t.method === 'POST' && /^\/api\/(tokens|display-keys)$/.test(t.path) && t.status === 201),
    )
    .map((t) => t.text);
}

/** One HTTP request, with exactly the headers given (no cookie jar, no Origin unless asked). */
export function send<T = unknown>(
  baseUrl: string,
  method: string,
  urlPath: string,
  options: RequestOptions = {},
): Promise<Reply<T>> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const address = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: address.hostname,
        port: address.port,
        path: urlPath,
        method,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          transcript.push({ method, path: urlPath, status: res.statusCode ?? 0, text });
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as T });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The `name=value` of the session cookie in a response, or ''. */
export function cookieFrom(reply: Reply): string {
  const header = reply.headers['set-cookie']?.find((c) => c.startsWith('linedeck_session='));
  return header ? (header.split(';')[0] ?? '') : '';
}

export interface Client {
  label: string;
  headers: Record<string, string>;
  req<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
}

export function client(baseUrl: string, label: string, headers: Record<string, string> = {}): Client {
  return {
    label,
    headers,
    req: (method, urlPath, body, extra = {}) =>
      send(baseUrl, method, urlPath, { body, headers: { ...headers, ...extra } }),
  };
}

/** A browser tab of LineDeck: its session cookie and its own Origin. */
export function browser(baseUrl: string, cookie: string, label = 'browser'): Client {
  return client(baseUrl, label, { cookie, origin: baseUrl });
}

export interface AuthHarness extends Harness {
  admin: Client;
  anonymous: Client;
  /** Creates a user (as admin) and signs them in. */
  user(role: Role, opts?: { phoneIds?: string[]; username?: string; password?: string }): Promise<SignedIn>;
  signIn(username: string, password: string): Promise<Reply>;
  /** Every password and secret a test created: none may ever appear in a response, a log line or the audit. */
  passwords: Set<string>;
}

export interface SignedIn extends Client {
  id: string;
  username: string;
  password: string;
  cookie: string;
}

let counter = 0;

export async function startAuthHarness(
  specs: TestPhoneSpec[],
  options: StartOptions & { config?: Partial<Config>; pollIntervalMs?: number } = {},
): Promise<AuthHarness> {
  const h = await startHarness(specs, {
    ...options,
    users: { ...options.users, settings: { scrypt: FAST_SCRYPT, ...options.users?.settings } },
  });
  const admin = client(h.url, 'admin', h.authHeaders());
  const passwords = new Set<string>();

  async function signIn(username: string, password: string): Promise<Reply> {
    return send(h.url, 'POST', '/api/session', { body: { username, password }, headers: { origin: h.url } });
  }

  async function user(
    role: Role,
    opts: { phoneIds?: string[]; username?: string; password?: string } = {},
  ): Promise<SignedIn> {
    counter++;
    const username = opts.username ?? `${role}-${counter}`;
    const password = opts.password ?? `pw-${uniquePasscode(role)}`;
    passwords.add(password);
    const created = await admin.req<{ id: string }>('POST', '/api/users', {
      username,
      password,
      role,
      phoneIds: opts.phoneIds ?? [],
    });
    expect(created.status, created.text).toBe(201);
    const signedIn = await signIn(username, password);
    expect(signedIn.status, signedIn.text).toBe(200);
    const cookie = cookieFrom(signedIn);
    expect(cookie).not.toBe('');
    return { ...browser(h.url, cookie, username), id: created.body.id, username, password, cookie };
  }

  return Object.assign(h, { admin, anonymous: client(h.url, 'anonymous'), user, signIn, passwords });
}

/**
 * The usual fixture of the access tests: phones Alpha and Bravo, both read once (available), commands with
 * a short confirmation watch and no double-click guard so tests can repeat a command at once.
 */
export async function startAlphaBravo(): Promise<{ h: AuthHarness; a: string; b: string }> {
  const h = await startAuthHarness([{ name: 'Alpha' }, { name: 'Bravo' }], {
    commands: { confirmMs: 100, confirmPollMs: 20, dedupeMs: 0 },
  });
  const a = h.phone('Alpha').id;
  const b = h.phone('Bravo').id;
  await waitFor(
    () => h.server.cache.get(a)?.status === 'available' && h.server.cache.get(b)?.status === 'available',
  );
  return { h, a, b };
}

/** `GET /api/events` held open with `headers`; `ended` settles when the server ends it (or refuses it). */
export function openEventStream(
  baseUrl: string,
  headers: Record<string, string>,
): { status: Promise<number>; ended: Promise<void>; close(): void } {
  let setStatus!: (n: number) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => {
    setStatus = r;
  });
  const ended = new Promise<void>((r) => {
    setEnded = r;
  });
  const req = http.get(
    `${baseUrl}/api/events`,
    { headers: { accept: 'text/event-stream', ...headers } },
    (res) => {
      setStatus(res.statusCode ?? 0);
      res.on('data', () => {});
      res.on('close', () => setEnded());
    },
  );
  req.on('error', () => setEnded());
  return { status, ended, close: () => req.destroy() };
}

const HOUR = 60 * 60 * 1000;

/**
 * The idle timeout (12 h) on `harness`, whose clock `advance` moves: a session used every 11 h lives on,
 * then 12 h without a request ends it.
 */
export async function expectIdleTimeout(harness: AuthHarness, advance: (ms: number) => void): Promise<void> {
  const u = await harness.user('viewer');
  for (let i = 0; i < 3; i++) {
    advance(11 * HOUR);
    expect((await u.req('GET', '/api/session')).status).toBe(200);
  }
  advance(12 * HOUR + 1000);
  expectError(await u.req('GET', '/api/session'), 401, 'unauthenticated');
}

export function expectError(reply: Reply, status: number, code: string): string {
  expect(reply.status, `${reply.status} ${reply.text}`).toBe(status);
  const body = reply.body as { error?: { code?: string; message?: string; requestId?: string } };
  expect(body.error?.code, reply.text).toBe(code);
  expect(body.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return body.error?.message ?? '';
}
