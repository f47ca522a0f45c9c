/**
 * Error code -> words for people: the one table the UI uses (architecture habit 2).
 * For a phone that said no, its own answer (quoted in the server's message) is shown.
 */
import { describeAuthFailure } from '@linedeck/cti/auth-failure';
import { isApiError } from './api-client.ts';

const ERROR_TEXT: Record<string, string> = {
  invalid_input: 'That request was not valid.',
  unauthenticated: 'Your session has ended. Sign in again.',
  forbidden: 'Your role does not allow this.',
  not_found: 'This phone or item no longer exists.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  confirmation_mismatch: "The confirmation did not match the phone's name.",
  rejected: 'The phone refused the command.',
  phone_auth_failed: "The phone rejected LineDeck's password.",
  not_available:
    'This phone does not offer that over its sign-in (it needs a web session, or its firmware has no such setting).',
  not_applied: "The phone answered yes but did not apply the change. Set it in the phone's web interface.",
  unreachable: 'The phone cannot be reached. Check that it is on and on the network.',
  http_status: 'The phone answered with an error.',
  malformed: 'The phone gave an answer LineDeck cannot read.',
  timeout: 'The phone did not answer in time.',
  internal: 'Something went wrong on the server. Try again.',
  network: 'The server cannot be reached. Check your connection.',
  server_unavailable: 'The server is not answering. It may be restarting.',
  bad_response: 'The server gave an unexpected answer.',
};

/** Codes whose server message says more than our sentence: it quotes the phone's own answer or the field. */
const SERVER_WORDS = new Set(['rejected', 'http_status', 'invalid_input', 'confirmation_mismatch']);

/** One sentence for a toast or an error line. */
export function errorText(error: unknown): string {
  if (!isApiError(error)) return ERROR_TEXT.internal as string;
  const message = error.message.trim();
  if (error.code === 'phone_auth_failed' && error.auth) {
    return `The phone rejected LineDeck's password: ${describeAuthFailure(error.auth)}.`;
  }
  if (SERVER_WORDS.has(error.code) && message) {
    const issues = error.issues.map((i) => i.message).join(' ');
    return [message, issues].filter(Boolean).join(' ');
  }
  return ERROR_TEXT[error.code] ?? (message || (ERROR_TEXT.internal as string));
}

/** The request id, for the small print people can read out to an admin. */
export function errorReference(error: unknown): string | undefined {
  return isApiError(error) && error.requestId ? `Ref. ${error.requestId}` : undefined;
}
