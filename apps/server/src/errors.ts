/**
 * The error model (architecture, "Error model"): every error carries a code,
 * and this file is the ONE place a code becomes an HTTP status. The answer is
 * always `{ error: { code, message, requestId, phoneId?, issues? } }`.
 */
import type { ApiErrorBody, ApiErrorCode, AuthFailureView } from '@linedeck/contract';
import { type AuthFailure, describeAuthFailure } from '@linedeck/cti';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { type Logger, redactUrl } from './logger.ts';

export const ERROR_STATUS = {
  invalid_input: 400,
  confirmation_mismatch: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  rejected: 409,
  phone_auth_failed: 502,
  /** The phone's firmware or credential cannot do it (forward on passcode-only firmware). */
  not_available: 409,
  /** The phone said success but the read-back shows it did not keep the change. */
  not_applied: 502,
  unreachable: 502,
  http_status: 502,
  malformed: 502,
  timeout: 504,
  internal: 500,
} as const satisfies Record<ApiErrorCode, number>;

export type ErrorCode = ApiErrorCode;

export interface Issue {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  phoneId?: string;
  /** Overrides the table for the rare exception (413 body too large, 405 wrong method). */
  status?: number;
  issues?: Issue[];
  /** With `phone_auth_failed`: what the phone said (wrongN, locked, ...), for the UI's own words. */
  auth?: AuthFailureView;
  cause?: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly phoneId: string | undefined;
  readonly issues: Issue[] | undefined;
  readonly auth: AuthFailureView | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.phoneId = options.phoneId;
    this.issues = options.issues;
    this.auth = options.auth;
  }
}

/** The CtiError codes of @linedeck/cti; duck-typed so two copies of the package still match. */
const CTI_CODES = [
  'invalid_input',
  'unreachable',
  'timeout',
  'http_status',
  'auth_failed',
  'rejected',
  'malformed',
  'not_supported',
  'not_applied',
];

export interface CtiErrorLike {
  code: string;
  host?: string;
  body?: unknown;
  status?: number;
  auth?: AuthFailure;
  message: string;
}

export function isCtiError(err: unknown): err is CtiErrorLike {
  return (
    err instanceof Error &&
    err.name === 'CtiError' &&
    typeof (err as { code?: unknown }).code === 'string' &&
    CTI_CODES.includes((err as unknown as { code: string }).code)
  );
}

/**
 * A CTI failure as the API tells it. Our own sentences, not the client's
 * message: that one may quote a URL, and a URL may quote a passcode.
 */
export function fromCtiError(err: CtiErrorLike, phoneId: string): AppError {
  const opts = { phoneId, cause: err };
  switch (err.code) {
    case 'invalid_input':
      // The client's own sentence: it describes the argument (never a URL: nothing was built yet).
      return new AppError('invalid_input', redactUrl(err.message), opts);
    case 'unreachable':
      return new AppError('unreachable', 'The phone could not be reached.', opts);
    case 'timeout':
      return new AppError('timeout', 'The phone did not answer in time.', opts);
    case 'auth_failed': {
      const auth = authFailureOf(err);
      return new AppError('phone_auth_failed', authMessage(auth), { ...opts, auth });
    }
    case 'not_supported':
      return new AppError(
        'not_available',
        "This phone's firmware or credentials cannot do that (it needs a session login).",
        opts,
      );
    case 'not_applied':
      return new AppError(
        'not_applied',
        'The phone answered success but did not keep the change (read back differently).',
        opts,
      );
    case 'rejected':
      return new AppError('rejected', `The phone refused the command${describeBody(err.body)}.`, opts);
    case 'http_status':
      return new AppError(
        'http_status',
        `The phone answered with HTTP ${typeof err.status === 'number' ? err.status : 'an error status'}.`,
        opts,
      );
    default:
      return new AppError('malformed', 'The phone gave an answer that is not a CTI response.', opts);
  }
}

/**
 * What the phone said, from the client's `auth` facts; an answer without them (an older client, a bare
 * 401/403) is the plain refusal, and a `locked` body is a lock without its time.
 */
export function authFailureOf(err: CtiErrorLike): AuthFailure {
  if (err.auth) return err.auth;
  if (typeof err.body === 'string' && /locked/i.test(err.body)) return { reason: 'locked' };
  return { reason: 'refused' };
}

/** The sentence of an auth stop: "The phone refused the stored credential: wrong password, 4 attempts left." */
export function authMessage(auth: AuthFailure): string {
  // The client renews an ended session once by itself: one that reaches us ended again right away.
  if (auth.reason === 'session_expired') {
    return "The phone keeps ending LineDeck's web session right after each login: another login to this account (the phone's web page?) ends it.";
  }
  return `The phone refused the stored credential: ${describeAuthFailure(auth)}.`;
}

function describeBody(body: unknown): string {
  if (typeof body === 'string' && body.length > 0 && body.length <= 80) return ` (it answered "${body}")`;
  if (typeof body === 'boolean') return ` (it answered ${body})`;
  return '';
}

export function zodIssues(err: ZodError): Issue[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Any thrown value as an AppError; unknown errors become `internal` (their details stay in the log). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    return new AppError('invalid_input', 'The request is not valid.', { issues: zodIssues(err) });
  }
  if (isCtiError(err)) return fromCtiError(err, '');
  // A broken escape in the path (`/%ff`): the client's mistake, not a crash worth a stack in the log.
  if (err instanceof URIError) {
    return new AppError('invalid_input', 'The address has a broken percent-encoding.');
  }
  const e = err as { type?: string; status?: number; statusCode?: number } | null;
  // body-parser errors carry a `type`: malformed JSON, too large, wrong charset...
  if (e && typeof e.type === 'string') {
    if (e.type === 'entity.too.large') {
      return new AppError('invalid_input', 'The request body is too large.', { status: 413 });
    }
    if (e.type === 'entity.parse.failed')
      return new AppError('invalid_input', 'The request body is not valid JSON.');
    return new AppError('invalid_input', 'The request body could not be read.');
  }
  return new AppError('internal', 'Something went wrong on the server.', { cause: err });
}

export function errorBody(err: AppError, requestId: string): ApiErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      requestId,
      ...(err.phoneId ? { phoneId: err.phoneId } : {}),
      ...(err.issues ? { issues: err.issues } : {}),
      ...(err.auth ? { auth: err.auth } : {}),
    },
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const appError = toAppError(err);
    const requestId = String(res.locals.requestId ?? '');
    if (appError.code === 'internal') {
      logger.error(
        { requestId, method: req.method, url: redactUrl(req.originalUrl), err: describeError(err) },
        'unhandled error',
      );
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    res.status(appError.status).json(errorBody(appError, requestId));
  };
}

/** 404 for any /api path no route answered. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No such API route: ${req.method} ${req.path}`));
};

/** An error for a log line: name, message and stack, with any URL in them redacted. */
export function describeError(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) {
    return {
      name: err.name,
      message: redactUrl(err.message),
      ...(err.stack ? { stack: redactUrl(err.stack) } : {}),
    };
  }
  return { name: 'NonError', message: redactUrl(String(err)) };
}
