import { isApiError } from '../../lib/api-client.ts';
import { errorText } from '../../lib/error-text.ts';

/**
 * Codes whose general sentence (lib/error-text.ts) is better than the server's message: the session,
 * the role, the connection. Any other refusal of a flow carries the server's own sentence ("The number
 * is busy.", "Another transfer is under way on this phone."), which says more than a code's table entry.
 */
const GENERAL_CODES = new Set([
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'network',
  'server_unavailable',
  'bad_response',
  'internal',
]);

/** A failed transfer, conference, DND or forward request in words. */
export function flowErrorText(error: unknown): string {
  if (isApiError(error) && !GENERAL_CODES.has(error.code) && error.message.trim()) {
    const issues = error.issues.map((i) => i.message).join(' ');
    return [error.message.trim(), issues].filter(Boolean).join(' ');
  }
  return errorText(error);
}
