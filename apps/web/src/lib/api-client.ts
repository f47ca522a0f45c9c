/**
 * The one way the web app talks to the server: fetch, then typed data or an
 * `ApiError` carrying the server's error code, message and request id.
 * Every answer also tells the connectivity store whether the server is reachable.
 */
import type { ApiErrorBody, AuthFailureView } from '@linedeck/contract';
import { reportReachable, reportUnreachable } from './connectivity.ts';

/** Codes the client adds to the server's own (`packages/contract` API_ERROR_CODES). */
export type ClientErrorCode = 'network' | 'server_unavailable' | 'bad_response';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly phoneId: string | undefined;
  readonly issues: { path: string; message: string }[];
  /** With `phone_auth_failed`: what the phone said (wrongN, locked, ...). */
  readonly auth: AuthFailureView | undefined;

  constructor(init: {
    code: string;
    message: string;
    status: number;
    requestId?: string | undefined;
    phoneId?: string | undefined;
    issues?: { path: string; message: string }[] | undefined;
    auth?: AuthFailureView | undefined;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.phoneId = init.phoneId;
    this.issues = init.issues ?? [];
    this.auth = init.auth;
  }
}

/** The `auth` facts of an error body, when they have the expected shape (else none). */
function authOf(error: unknown): AuthFailureView | undefined {
  const auth = (error as { auth?: unknown }).auth;
  if (typeof auth !== 'object' || auth === null) return undefined;
  const { reason, attemptsLeft, lockMinutes } = auth as Record<string, unknown>;
  if (typeof reason !== 'string') return undefined;
  return {
    reason: reason as AuthFailureView['reason'],
    ...(typeof attemptsLeft === 'number' ? { attemptsLeft } : {}),
    ...(typeof lockMinutes === 'number' ? { lockMinutes } : {}),
  };
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  /**
   * Sent as `Idempotency-Key`: names one deliberate command, so the server sends it even when the
   * same body went a moment ago (docs/api.md, "Commands"). Use `newIdempotencyKey()` per intent.
   */
  idempotencyKey?: string | undefined;
}

/**
 * The Idempotency-Key of one intent on one call, e.g. "answer the call that has rung on line 1 since
 * 10:00:03": a double click on it is the same key (sent once), the next call's Answer is a new one
 * even seconds later. FNV-1a of the description, so the key fits the header's pattern.
 */
export function intentKey(command: string, call: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < call.length; i++) {
    hash ^= call.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${command.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)}-${hash.toString(36)}`;
}

/**
 * A fresh key for one intent: a UUID. `crypto.randomUUID` exists only in secure contexts (HTTPS or
 * localhost), and LineDeck is often served over plain HTTP on a LAN: then 128 random bits in hex.
 */
export function newIdempotencyKey(
  source: Pick<Crypto, 'getRandomValues'> & { randomUUID?: (() => string) | undefined } = crypto,
): string {
  if (typeof source.randomUUID === 'function') return source.randomUUID();
  const bytes = source.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends a request to the LineDeck API. Same origin only: the browser adds the
 * session cookie and the `Origin` header the server checks on state changes.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal, idempotencyKey } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    reportUnreachable();
    throw new ApiError({ code: 'network', message: 'The server cannot be reached.', status: 0 });
  }

  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  if (response.ok) {
    reportReachable();
    return parsed as T;
  }
  if (isErrorBody(parsed)) {
    reportReachable();
    const { error } = parsed;
    throw new ApiError({
      code: error.code,
      message: error.message,
      status: response.status,
      requestId: error.requestId,
      phoneId: error.phoneId,
      issues: error.issues,
      auth: authOf(error),
    });
  }
  // No LineDeck error body: a proxy (Vite in development, a reverse proxy in
  // production) answered for a server that is down or restarting.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    reportUnreachable();
    throw new ApiError({
      code: 'server_unavailable',
      message: 'The server is not answering.',
      status: response.status,
    });
  }
  throw new ApiError({
    code: 'bad_response',
    message: `Unexpected answer from the server (HTTP ${response.status}).`,
    status: response.status,
  });
}
