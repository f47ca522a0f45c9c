/**
 * Accounts: where a session was signed in from (shown to its user, so a session they do not recognise
 * can be ended), an admin's TOTP second factor and its one-time recovery codes.
 * - `totp_secret` is sealed with the store's secret box (store/crypto.ts, bound to the user id) like the
 *   phones' passcodes; it is set at enrolment and only used once `totp_enabled` is 1 (a code confirmed it).
 * - `totp_last_step` is the last 30 s step a code was taken for: the same code cannot sign in twice.
 * - `recovery_codes` holds SHA-256 hashes only; `used_at` marks the one use each code gets.
 */
import type { StoreMigration } from './types.ts';

export const accounts: StoreMigration = {
  name: '012-accounts',
  async up(db) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('address', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
    await db.schema
      .alterTable('users')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();
  },
};
