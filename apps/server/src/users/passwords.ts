/**
 * Password hashing with node:crypto scrypt (no native dependency). The stored
 * form carries its own parameters (`scrypt$N$r$p$salt$hash`), so the cost can
 * be raised later without breaking old hashes. Verification is constant-time,
 * and an unknown user costs the same as a wrong password (`verifyDummy`).
 * Which passwords may be chosen is decided here too (`judgePassword`, zxcvbn-ts).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { PASSWORD_MIN_LENGTH } from '@linedeck/contract';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../errors.ts';

/**
 * N=2^15, r=8, p=3: one of OWASP's minimum scrypt settings (Password Storage
 * Cheat Sheet), 32 MiB and about 0.2 s per hash on a small server.
 */
export const SCRYPT_DEFAULTS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function scrypt(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: 128 * N * r * p is what scrypt needs; give it room.
    const maxmem = 256 * params.N * params.r * params.p + 1024 * 1024;
    scryptCb(password.normalize('NFC'), salt, keylen, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_DEFAULTS,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** True when `password` matches `stored`. A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16)
    return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = await scrypt(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/** Spends the time a real verification would, for a user that does not exist (no user enumeration by timing). */
export async function verifyDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummyHash);
  return false;
}

/** A random password for the first admin: 20 characters from an unambiguous alphabet (~110 bits). */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  // Rejection sampling: 256 % 56 != 0, so bytes >= 224 are skipped to keep every character equally likely.
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 224) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * zxcvbn's score (0-4) a password needs: 3 is "safely unguessable: moderate protection from offline
 * slow-hash scenario" (10^8 guesses or more), what its authors suggest for a sign-up.
 */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Raise it when the rule gets stricter: every stored password is then judged again at its next sign-in
 * (users.password_rule remembers the version each one passed, so a sign-in judges a password only once).
 */
export const PASSWORD_RULE_VERSION = 1;

export interface PasswordVerdict {
  ok: boolean;
  /** Why it is refused, in words for the user (empty when ok). */
  problem: string;
  /** The estimator's advice (may be empty). */
  suggestions: string[];
}

let estimator: ZxcvbnFactory | undefined;

/**
 * Built on first use, dictionaries included: loading them takes a few hundred milliseconds and about
 * 40 MB of the server's memory, which a server whose passwords were all judged already never needs.
 * `require` keeps the first use synchronous (the packages ship CommonJS builds too).
 */
function passwordEstimator(): ZxcvbnFactory {
  if (estimator) return estimator;
  const load = createRequire(import.meta.url);
  const core = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = load('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  estimator = new core.ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return estimator;
}

/**
 * Whether `password` may be chosen: at least PASSWORD_MIN_LENGTH characters and not guessable by
 * zxcvbn's estimate, which counts the username and "linedeck" as words an attacker would try first.
 */
export function judgePassword(password: string, username: string): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return {
      ok: false,
      problem: `A password has at least ${PASSWORD_MIN_LENGTH} characters.`,
      suggestions: [],
    };
  }
  // The estimator's time grows with length; past 100 characters nothing is guessable anyway.
  const result = passwordEstimator().check(password.slice(0, 100), [username, 'linedeck']);
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, problem: '', suggestions: [] };
  const warning = result.feedback.warning ?? '';
  return {
    ok: false,
    problem: warning || 'This password is too easy to guess.',
    suggestions: result.feedback.suggestions,
  };
}

/** Throws 400 `invalid_input` (the field named `path`) when `password` may not be chosen. */
export function assertStrongPassword(password: string, username: string, path: string): void {
  const verdict = judgePassword(password, username);
  if (verdict.ok) return;
  const detail = [verdict.problem, ...verdict.suggestions].join(' ');
  throw new AppError('invalid_input', `This password is too easy to guess: ${detail}`, {
    issues: [{ path, message: detail }],
  });
}
