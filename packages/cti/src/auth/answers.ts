/**
 * Recognises every way a phone says "this credential is not accepted" (field notes, "Authentication
 * answers"): HTTP 401/403, `wrongN`, `locked` + `lockTime`, `user is not allow`, the `session-expired`
 * body and phone status `unauthorized`. Each must stop the caller from sending the credential again, so
 * none of them may be read as a refused command (`rejected`): they become `auth_failed` with the facts
 * in `CtiError.auth`.
 */
import { CtiError } from '../errors.ts';
import { type AuthFailure, describeAuthFailure } from './auth-failure.ts';

export interface AnswerContext {
  /** The request carried a session id: a 401 then means the session ended, not a wrong password. */
  sentSid: boolean;
}

const WRONG = /^wrong(\d{0,3})$/;
const NOT_ALLOWED = /^user is not allow/;

/** What an HTTP status alone says about authentication, if anything. */
export function authFailureOfStatus(status: number, context: AnswerContext): AuthFailure | undefined {
  if (status === 401) return { reason: context.sentSid ? 'session_expired' : 'refused' };
  if (status === 403) return { reason: 'refused' };
  return undefined;
}

/**
 * What a parsed answer object says about authentication, if anything. `fn` matters for one answer
 * only: `unauthorized` is a phone status, and on another function it would be a plain body.
 */
export function authFailureOfAnswer(
  fn: string,
  verdict: 'success' | 'error',
  answer: Record<string, unknown>,
): AuthFailure | undefined {
  const { body } = answer;
  if (isSessionExpiredBody(body)) return { reason: 'session_expired' };
  if (typeof body !== 'string') return undefined;
  const text = body.trim().toLowerCase();
  // "locked" comes with either verdict on the firmware that knows it.
  if (text === 'locked') {
    const minutes = toMinutes(answer.lockTime);
    return minutes === undefined ? { reason: 'locked' } : { reason: 'locked', lockMinutes: minutes };
  }
  if (verdict === 'error') {
    const wrong = WRONG.exec(text);
    if (wrong) {
      return wrong[1]
        ? { reason: 'wrong_credential', attemptsLeft: Number(wrong[1]) }
        : { reason: 'wrong_credential' };
    }
    if (NOT_ALLOWED.test(text)) return { reason: 'not_allowed' };
  }
  if (fn === 'api-get_phone_status' && text === 'unauthorized') return { reason: 'unauthorized' };
  return undefined;
}

/** `{"status":"session-expired"}`, as config_get answers once the sid is gone. */
export function isSessionExpiredBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const status = (body as Record<string, unknown>).status;
  return typeof status === 'string' && status.trim().toLowerCase() === 'session-expired';
}

/** The CtiError for an authentication answer; the message says what the phone said, never a secret. */
export function authError(
  fn: string,
  host: string,
  auth: AuthFailure,
  details: { status?: number; body?: unknown } = {},
): CtiError {
  const http = details.status !== undefined && details.status !== 200 ? ` (HTTP ${details.status})` : '';
  return new CtiError('auth_failed', `${fn}: phone ${host}: ${describeAuthFailure(auth)}${http}.`, {
    host,
    auth,
    ...(details.status !== undefined ? { status: details.status } : {}),
    // Only short text bodies ("wrong4", "locked") are kept: they are the phone's words, never a secret.
    ...(typeof details.body === 'string' && details.body.length <= 40 ? { body: details.body } : {}),
  });
}

export function isSessionExpired(err: unknown): boolean {
  return err instanceof CtiError && err.code === 'auth_failed' && err.auth?.reason === 'session_expired';
}

function toMinutes(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  if (typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value)) return Number(value);
  return undefined;
}
