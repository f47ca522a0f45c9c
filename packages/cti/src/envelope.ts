/**
 * Reads the phone's answer leniently: the JSON envelope `{response, body, ...extra}` is accepted
 * whatever the Content-Type says (phones send text/html and text/plain, cti-field-notes.md), while
 * anything that is not that envelope (an HTML error page, `key=value` lines, truncated JSON, nothing)
 * is `malformed` rather than guessed at. Authentication answers (auth/answers.ts) are `auth_failed`
 * before anything else is looked at, so none of them can pass for a refused command.
 */
import { type AnswerContext, authError, authFailureOfAnswer, authFailureOfStatus } from './auth/answers.ts';
import { CtiError } from './errors.ts';
import type { RawResponse } from './transport.ts';

export interface Envelope {
  response: 'success';
  body: unknown;
  /** Top-level fields next to `response` and `body` (`misc`, `battery`, `session_expiring`, ...). */
  extra: Record<string, unknown>;
}

const NO_SID: AnswerContext = { sentSid: false };

/** Returns the envelope of a successful answer, or throws the matching `CtiError`. */
export function parseEnvelope(
  raw: RawResponse,
  fn: string,
  host: string,
  context: AnswerContext = NO_SID,
): Envelope {
  return envelopeOf(readJsonAnswer(raw, fn, host, context), raw.status, fn, host);
}

/**
 * The status checks and the JSON parse, without insisting on an envelope: config_get answers a bare
 * list or `{"configs": [...]}` on some firmware (config-api.ts).
 */
export function readJsonAnswer(
  raw: RawResponse,
  fn: string,
  host: string,
  context: AnswerContext = NO_SID,
): unknown {
  const { status } = raw;
  // Checked before the body: a 401/403 is usually an HTML page, and it means the credential is wrong,
  // the session ended or the Allowed IP List refuses us. Callers must not send the same credential again.
  const byStatus = authFailureOfStatus(status, context);
  if (byStatus) throw authError(fn, host, byStatus, { status });
  if (status < 200 || status > 299) {
    throw new CtiError('http_status', `${fn}: phone ${host} answered HTTP ${status}.`, { host, status });
  }
  // Strip a UTF-8 BOM, which JSON.parse refuses but some embedded web servers prepend.
  const text = raw.text.replace(/^\uFEFF/, '').trim();
  if (!text) throw malformed(fn, host, status, 'empty');
  try {
    return JSON.parse(text);
  } catch {
    throw malformed(fn, host, status, text.startsWith('<') ? 'an HTML page' : 'not JSON');
  }
}

/** Checks a parsed answer for the envelope and the auth answers. */
export function envelopeOf(parsed: unknown, status: number, fn: string, host: string): Envelope {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed(fn, host, status, 'not a JSON object');
  }
  const answer = parsed as Record<string, unknown>;
  const { response, body, ...extra } = answer;
  const verdict = typeof response === 'string' ? response.trim().toLowerCase() : undefined;
  if (verdict !== 'success' && verdict !== 'error') {
    throw malformed(fn, host, status, 'no "response": "success" or "error"');
  }
  const auth = authFailureOfAnswer(fn, verdict, answer);
  if (auth) throw authError(fn, host, auth, { status, body });
  if (verdict === 'error') {
    throw new CtiError('rejected', `${fn}: phone ${host} rejected the request (${describeBody(body)}).`, {
      host,
      status,
      body,
    });
  }
  return { response: 'success', body, extra };
}

function malformed(fn: string, host: string, status: number, why: string): CtiError {
  return new CtiError(
    'malformed',
    `${fn}: phone ${host} sent an answer that is not a CTI envelope (${why}).`,
    {
      host,
      status,
    },
  );
}

function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? 'no body');
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
