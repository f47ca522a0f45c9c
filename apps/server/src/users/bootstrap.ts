/**
 * First start: with no user at all, create `admin`. With `ADMIN_PASSWORD` it
 * gets that password; without, a random one that is printed once on the
 * console (stdout, never the structured log) and must be changed at the
 * first sign-in.
 */

import { generatePassword, hashPassword, type ScryptParams } from './passwords.ts';
import type { UsersRepository } from './users-repository.ts';

export const FIRST_ADMIN = 'admin';

export interface FirstStart {
  username: string;
  /** Set only when generated: the caller prints it once. */
  generatedPassword: string | null;
}

/** Creates the first admin when there is no user. Returns what happened, or null when users exist. */
export async function ensureFirstAdmin(
  store: UsersRepository,
  options: { adminPassword: string | undefined; now: string; scrypt?: ScryptParams | undefined },
): Promise<FirstStart | null> {
  if ((await store.countUsers()) > 0) return null;
  const generated = options.adminPassword === undefined ? generatePassword() : null;
  const password = options.adminPassword ?? (generated as string);
  const passwordHash = await hashPassword(password, options.scrypt);
  if ((await store.countUsers()) > 0) return null;
  await store.insertUser(
    {
      username: FIRST_ADMIN,
      passwordHash,
      role: 'admin',
      phoneIds: [],
      mustChangePassword: generated !== null,
    },
    options.now,
  );
  return { username: FIRST_ADMIN, generatedPassword: generated };
}

/** The lines `npm start` prints so whoever started it knows how to get in. */
export function signInMessage(url: string, firstStart: FirstStart | null): string {
  if (firstStart?.generatedPassword) {
    return [
      '',
      `  LineDeck is running at ${url}`,
      '',
      `  First start: sign in as "${firstStart.username}" with this one-time password:`,
      '',
      `      ${firstStart.generatedPassword}`,
      '',
      '  It is shown only now; you will choose your own password at the first sign-in.',
      '',
    ].join('\n');
  }
  if (firstStart) {
    return `\n  LineDeck is running at ${url}\n  Sign in as "${firstStart.username}" with the password from ADMIN_PASSWORD.\n`;
  }
  return `\n  LineDeck is running at ${url}\n  Sign in with your LineDeck user (an admin creates users in Settings).\n`;
}
