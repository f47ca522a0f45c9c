/**
 * Reads the phone's answer leniently: the JSON envelope `{response, body, ...extra}` is accepted
 * whatever the Content-Type says (phones send text/html and text/plain, cti-field-notes.md), while
 * anything that is not that envelope (an HTML error page, `key=value` lines, truncated JSON, nothing)
 * is `malformed` rather than guessed at.
 */
import { CtiError } from './errors.ts';
import type { CtiFunction } from './protocol.ts';
import type { RawResponse } from './transport.ts';

export interface Envelope {
  response: 'success';
  body: unknown;
  /** Top-level fields next to `response` and `body` (`misc`, `battery`, `session_expiring`, ...). */
  extra: Record<string, unknown>;
}

/** Returns the envelope of a successful answer, or throws the matching `CtiError`. */
export function parseEnvelope(raw: RawResponse, fn: CtiFunction, host: string): Envelope {
  const { status } = raw;
  // Checked before the body: a 401/403 is usually an HTML page, and it means the passcode is wrong or
  // the Allowed IP List refuses us. Either way, callers must stop and not retry (lockout).
  if (status === 401 || status === 403) {
    throw new CtiError(
      'auth_failed',
      `${fn}: phone ${host} refused the passcode or this client (HTTP ${status}).`,
      {
        host,
        status,
      },
    );
  }
  if (status < 200 || status > 299) {
    throw new CtiError('http_status', `${fn}: phone ${host} answered HTTP ${status}.`, { host, status });
  }

  const malformed = (why: string) =>
    new CtiError('malformed', `${fn}: phone ${host} sent an answer that is not a CTI envelope (${why}).`, {
      host,
      status,
    });

  // Strip a UTF-8 BOM, which JSON.parse refuses but some embedded web servers prepend.
  const text = raw.text.replace(/^\uFEFF/, '').trim();
  if (!text) throw malformed('empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(text.startsWith('<') ? 'an HTML page' : 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed('not a JSON object');
  }

  const { response, body, ...extra } = parsed as Record<string, unknown>;
  const verdict = typeof response === 'string' ? response.trim().toLowerCase() : undefined;
  if (verdict !== 'success' && verdict !== 'error') throw malformed('no "response": "success" or "error"');

  // Newer firmware answers "locked" after too many wrong passcodes, with either verdict.
  if (typeof body === 'string' && body.trim().toLowerCase() === 'locked') {
    throw new CtiError('auth_failed', `${fn}: phone ${host} is locked after too many wrong passcodes.`, {
      host,
      status,
      body,
    });
  }
  if (verdict === 'error') {
    throw new CtiError('rejected', `${fn}: phone ${host} rejected the request (${describeBody(body)}).`, {
      host,
      status,
      body,
    });
  }
  return { response: 'success', body, extra };
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? 'no body');
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
