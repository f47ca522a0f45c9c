/**
 * The one scrubber for strings that come from a phone. A phone, or something posing as one at its
 * address, may echo what it was sent: its passcode, the session password, the sid, the hook token. Every
 * string from a phone passes through here where it enters the server (the phone client's answers and
 * errors, the passthrough body), before it is stored, shown, logged or relayed.
 */
import { redactSecrets } from '@linedeck/cti';

/** Replaces the phone's secrets in any string inside `value` (plain objects and arrays, deeply). */
export type Scrub = <T>(value: T) => T;

/** A scrubber over the secrets `secrets()` names at each call (they change: a new sid, a new passcode). */
export function phoneScrubber(secrets: () => readonly (string | undefined)[]): Scrub {
  return <T>(value: T): T => {
    const list = secrets().filter((s): s is string => typeof s === 'string' && s !== '');
    return scrubValue(value, list) as T;
  };
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, secrets));
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, secrets)]));
  }
  return value;
}

/**
 * The secret as is, percent- and form-encoded (redactSecrets), plus the lower-case escapes some
 * libraries write, and any `passcode=`/`password=`/`sid=` value.
 */
function scrubText(text: string, secrets: readonly string[]): string {
  const lower = secrets.map((s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
  return redactSecrets(text, [...secrets, ...lower.filter((l, i) => l !== secrets[i])]);
}

/**
 * An error from the phone's client, scrubbed in place (message, stack, the phone's answer body): its
 * class and code stay what callers test for.
 */
export function scrubError<E>(err: E, scrub: Scrub): E {
  if (!(err instanceof Error)) return err;
  const target = err as Error & { body?: unknown };
  try {
    target.message = scrub(target.message);
    if (target.stack) target.stack = scrub(target.stack);
    if (target.body !== undefined) {
      Object.defineProperty(target, 'body', { value: scrub(target.body), enumerable: true, writable: true });
    }
  } catch {
    // A frozen error cannot be scrubbed in place; our messages never quote its text (errors.ts).
  }
  return err;
}
