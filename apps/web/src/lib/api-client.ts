/**
 * The one way the web app talks to the server: fetch, then typed data or an
 * `ApiError` carrying the server's error code, message and request id.
 * Every answer also tells the connectivity store whether the server is reachable.
 */
import type { ApiErrorBody } from '@linedeck/contract';
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

  constructor(init: {
    code: string;
    message: string;
    status: number;
    requestId?: string | undefined;
    phoneId?: string | undefined;
    issues?: { path: string; message: string }[] | undefined;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.phoneId = init.phoneId;
    this.issues = init.issues ?? [];
  }
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
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Sends a request to the LineDeck API. Same origin only: the browser adds the
 * session cookie and the `Origin` header the server checks on state changes.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
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
