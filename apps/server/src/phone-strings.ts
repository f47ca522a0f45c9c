/**
 * The one scrubber for strings that come from a phone. A phone, or something posing as one at its
 * address, may echo what it was sent: its passcode, the session password, the sid, the hook token. Every
 * string from a phone passes through here where it enters the server (the phone client's answers and
 * errors, the passthrough body), before it is stored, shown, logged or relayed.
 */
import { redactSecrets } from '@linedeck/cti';

/** Replaces the phone's secrets in any string inside `value` (plain objects and arrays, deeply). */
export type Scrub = <T>(value: T) => T;

/**
 * A scrubber over the secrets `secrets()` names at each call (they change: a new sid, a new passcode).
 * It runs on every answer of every poll, so it is copy-on-write: a value with nothing to replace comes
 * back as the same object (the poll's unchanged-answer reuse keeps working, and no garbage is made),
 * and the encoded forms of the secrets are worked out once per change of the secrets, not per string.
 */
export function phoneScrubber(secrets: () => readonly (string | undefined)[]): Scrub {
  // The secrets rarely change (a new sid each minute at most): their forms are kept until they do.
  let last: { key: string; forms: SecretForms; done: WeakMap<object, unknown> } | undefined;
  return <T>(value: T): T => {
    const list = secrets().filter((s): s is string => typeof s === 'string' && s !== '');
    const key = list.join('\u0000');
    if (last?.key !== key) last = { key, forms: secretForms(list), done: new WeakMap() };
    // A frozen answer cannot change: the client hands back the same frozen lines for an unchanged
    // answer, poll after poll, and its scrubbed form is remembered instead of walked again each time.
    if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) {
      return scrubValue(value, last.forms) as T;
    }
    if (last.done.has(value)) return last.done.get(value) as T;
    const scrubbed = scrubValue(value, last.forms);
    last.done.set(value, scrubbed);
    return scrubbed as T;
  };
}

/** Names whose value is a secret in free text (`passcode=...`): the form in which a URL leaks it. */
const SECRET_PARAM = /\b(?:passcode|password|sid)=/i;

/**
 * Each secret as is, percent- and form-encoded, and with the lower-case escapes some libraries write.
 * Secrets under 4 characters are left out: replacing "a" everywhere would garble the text, and the
 * `passcode=` pattern still catches them in a URL (redactSecrets).
 */
interface SecretForms {
  /** What redactSecrets replaces (it adds the percent- and form-encoded forms itself). */
  secrets: string[];
  /** Every form a secret can take in a string: the quick check that nothing needs replacing. */
  forms: string[];
}

function secretForms(list: readonly string[]): SecretForms {
  const long = list.filter((s) => s.length >= 4);
  const lower = long.map((s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
  const secrets = [...new Set([...long, ...lower])];
  const forms = new Set(secrets);
  for (const secret of long) {
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  return { secrets, forms: [...forms] };
}

function scrubValue(value: unknown, forms: SecretForms): unknown {
  if (typeof value === 'string') return scrubText(value, forms);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = scrubValue(value[i], forms);
      if (next === value[i]) continue;
      out ??= value.slice();
      out[i] = next;
    }
    return out ?? value;
  }
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = scrubValue(item, forms);
      if (next === item) continue;
      out ??= { ...(value as Record<string, unknown>) };
      out[key] = next;
    }
    return out ?? value;
  }
  return value;
}

/** The text itself when it holds no secret and no `passcode=`-style value; else the redacted copy. */
function scrubText(text: string, { secrets, forms }: SecretForms): string {
  if (!SECRET_PARAM.test(text) && !forms.some((f) => text.includes(f))) return text;
  return redactSecrets(text, secrets);
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
