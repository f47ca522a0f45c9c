/**
 * The one error type of the CTI client. Every failure, from a bad argument to
 * a locked-out passcode, is a `CtiError` with a `code`, so the server can map
 * codes to HTTP statuses in one table (docs/architecture.md, "Error model").
 *
 * No secret (passcode, password, nonce hash, sid) may end up in an error: the request URL, form and
 * Cookie header carry them, so nothing here ever holds a URL or a request, and causes coming from the
 * network stack are replaced by a sanitized copy (`sanitizeCause`).
 */
import type { AuthFailure } from './auth/auth-failure.ts';

export const CTI_ERROR_CODES = [
  'invalid_input',
  'unreachable',
  'timeout',
  'http_status',
  'auth_failed',
  'rejected',
  'malformed',
  /** The function needs what this phone or credential lacks (the config API without a session). */
  'not_supported',
  /** A config write the phone answered with success but did not keep (read back differently). */
  'not_applied',
] as const;
export type CtiErrorCode = (typeof CTI_ERROR_CODES)[number];

export interface CtiErrorOptions {
  /** The phone's host as configured (never with credentials). */
  host: string;
  /** HTTP status of the phone's answer, when there was one. */
  status?: number;
  /** The phone's own `body` when it answered `response: "error"`. */
  body?: unknown;
  /** With `auth_failed`: what the phone said (wrongN, locked, ...). */
  auth?: AuthFailure;
  cause?: unknown;
}

export class CtiError extends Error {
  override readonly name = 'CtiError';
  readonly code: CtiErrorCode;
  readonly host: string;
  readonly status?: number;
  readonly body?: unknown;
  readonly auth?: AuthFailure;

  constructor(code: CtiErrorCode, message: string, options: CtiErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.host = options.host;
    if (options.status !== undefined) this.status = options.status;
    if (options.body !== undefined) this.body = options.body;
    if (options.auth !== undefined) this.auth = options.auth;
  }

  /** What logs and API responses get: the public fields only, the cause reduced to name/code/message. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      host: this.host,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.body !== undefined) json.body = this.body;
    if (this.auth !== undefined) json.auth = this.auth;
    if (this.cause instanceof Error) {
      const code = (this.cause as { code?: unknown }).code;
      json.cause = { name: this.cause.name, message: this.cause.message, ...(code ? { code } : {}) };
    }
    return json;
  }
}

export function isCtiError(value: unknown): value is CtiError {
  return value instanceof CtiError;
}

/** Parameter names whose value is a secret wherever they appear in a URL, a form or a Cookie header. */
const SECRET_PARAMS = /\b(passcode|password|sid)=[^&\s"';<>]*/gi;

/** Replaces `passcode=<anything>` in free text, the form in which a URL would leak it. */
export function redactPasscode(text: string, passcode?: string): string {
  return redactSecrets(text, passcode ? [passcode] : []);
}

/**
 * Replaces `passcode=`, `password=` and `sid=` values (URL, form, Cookie) and every given secret in
 * any of the forms a network library may quote it in (as is, percent-encoded, form-encoded).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_PARAMS, (_match, name: string) => `${name}=[redacted]`);
  // Very short secrets are left alone: replacing "a" everywhere would garble the message while the
  // pattern above already caught the URL.
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/**
 * Undici's `fetch failed` TypeError and node's request errors may carry the request URL (message,
 * nested causes, a `url`/`input` property). Rather than trust them, keep a fresh Error with only the
 * name, the system error code (ECONNREFUSED, ...) and a redacted message, one level of cause deep.
 */
export function sanitizeCause(err: unknown, secrets?: string | readonly string[]): Error {
  const list = typeof secrets === 'string' ? [secrets] : (secrets ?? []);
  const source = err instanceof Error ? err : new Error(String(err));
  const inner = source.cause instanceof Error ? source.cause : undefined;
  const code = errorCode(source) ?? (inner ? errorCode(inner) : undefined);
  const parts = [source.message, inner?.message].filter((m): m is string => !!m);
  const message = redactSecrets([...new Set(parts)].join(': '), list);
  const safe = new Error(message);
  safe.name = source.name;
  if (code) (safe as Error & { code?: string }).code = code;
  // The stack would repeat the unredacted message on its first line.
  safe.stack = `${safe.name}: ${message}`;
  return safe;
}

function errorCode(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
