/**
 * What goes into an audit row's `params`: what was asked, with numbers, but
 * never a secret: an audit row is read by every admin, and kept long after a passcode has changed.
 *
 * A value is replaced by "[redacted]" when its key looks like a secret
 * (`pass`, `secret`, `token`, `key`, `auth`, `cookie`, `credential`), with
 * three exceptions that carry no secret and are what the row is about:
 * - `keys` holding keypad keys (`["1","0","0","0"]` or the passthrough's
 *   `"1:0:0:0"`): the keys a command sent. Anything else under `keys` is
 *   redacted like any other secret-looking key;
 * - ids (`tokenId`, `displayKeyId`): names of records, not their secrets;
 * - booleans (`passwordReset: true`): a fact, not a value.
 * Every string is also scrubbed of `passcode=...` (a URL quoted in a message).
 */
import { isValidKey } from '@linedeck/contract';
import { redactUrl } from '../logger.ts';

export const REDACTED = '[redacted]';

const SECRET_KEY = /pass|secret|token|key|auth|cookie|credential/i;
const ID_KEY = /(^id$|Ids?$)/;
const MAX_DEPTH = 4;
const MAX_ITEMS = 100;
const MAX_STRING = 500;

function isKeypadKeys(value: unknown): boolean {
  if (Array.isArray(value))
    return value.length > 0 && value.every((k) => typeof k === 'string' && isValidKey(k));
  if (typeof value === 'string') return value.length > 0 && value.split(':').every(isValidKey);
  return false;
}

function isIdValue(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= 128;
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length <= 128);
}

function keepUnder(key: string, value: unknown): boolean {
  if (!SECRET_KEY.test(key)) return true;
  if (typeof value === 'boolean' || value === null || value === undefined) return true;
  if (key === 'keys') return isKeypadKeys(value);
  return ID_KEY.test(key) && isIdValue(value);
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    const scrubbed = redactUrl(value);
    return scrubbed.length > MAX_STRING ? `${scrubbed.slice(0, MAX_STRING)}...` : scrubbed;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return undefined;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => clean(v, depth + 1));
  if (typeof value === 'object') return sanitizeObject(value as Record<string, unknown>, depth + 1);
  return String(value);
}

function sanitizeObject(params: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params).slice(0, MAX_ITEMS)) {
    if (value === undefined) continue;
    out[key] = keepUnder(key, value) ? clean(value, depth) : REDACTED;
  }
  return out;
}

/** The params of an audit row, safe to store and show. */
export function sanitizeParams(params: Record<string, unknown>): Record<string, unknown> {
  return sanitizeObject(params, 0);
}
