/**
 * Users, sessions, API tokens and display keys.
 *
 * Secrets are never stored: passwords as scrypt hashes, session ids, tokens and display keys as SHA-256
 * of 32 random bytes (a fast hash is enough for a random 256-bit value: there is nothing to brute-force).
 * Sessions reference their user or display key with ON DELETE CASCADE, so deleting either ends its
 * sessions in the same statement. Usernames are unique whatever their case: a unique index on
 * lower(username) (databases made before this runner have `COLLATE NOCASE` instead; the repository
 * compares lower() with lower(), which both answer the same).
 */
import { sql } from 'kysely';
import type { StoreMigration } from './types.ts';

const ROLE_CHECK = sql`role in ('admin', 'operator', 'viewer')`;

export const users: StoreMigration = {
  name: '002-users',
  async up(db) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('phone_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('users_role', ROLE_CHECK)
      .execute();
    await db.schema
      .createIndex('users_username_lower')
      .on('users')
      .unique()
      .expression(sql`lower(username)`)
      .execute();

    await db.schema
      .createTable('display_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('phone_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('display_key_id', 'text', (c) => c.references('display_keys.id').onDelete('cascade'))
      // Epoch milliseconds, compared on every request.
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint('sessions_one_owner', sql`(user_id is null) <> (display_key_id is null)`)
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_display_key').on('sessions').column('display_key_id').execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addCheckConstraint('api_tokens_role', ROLE_CHECK)
      .execute();
  },
};
