/**
 * `users.password_rule` is the version of the password rule (users/passwords.ts PASSWORD_RULE_VERSION)
 * the stored password was last judged against. Judging costs a quarter of a second of the server's one
 * thread, so a sign-in judges a password only when this is older than the rule, once per password.
 * 0, what every existing user gets: not judged yet.
 */
import type { StoreMigration } from './types.ts';

export const usersPasswordRule: StoreMigration = {
  name: '015-users-password-rule',
  async up(db) {
    await db.schema
      .alterTable('users')
      .addColumn('password_rule', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
