/**
 * API tokens follow the user who made them (users/service.ts checks it on every request): `expires_at`
 * (ISO date-time, null: until revoked) and `phone_ids` (JSON list, null: all phones, as every token
 * before this step).
 *
 * Tokens made before creators were recorded reliably (`created_by` null) are handed to the oldest active
 * admin: only admins ever made tokens, and this keeps existing scripts running exactly as long as that
 * admin stays an admin. Where there is no such admin they stay unowned, and an unowned token is refused.
 */
import { sql } from 'kysely';
import type { StoreMigration } from './types.ts';

export const tokensOwner: StoreMigration = {
  name: '011-tokens-owner',
  async up(db) {
    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
    await db.schema.alterTable('api_tokens').addColumn('phone_ids', 'text').execute();
    await sql`update api_tokens set created_by = (
        select id from users where role = 'admin' and disabled = 0 order by created_at, id limit 1
      ) where created_by is null`.execute(db);
    await db.schema.createIndex('api_tokens_created_by').on('api_tokens').column('created_by').execute();
  },
};
