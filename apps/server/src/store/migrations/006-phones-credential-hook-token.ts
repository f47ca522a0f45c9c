import type { StoreMigration } from './types.ts';

export const phonesCredentialHookToken: StoreMigration = {
  name: '006-phones-credential-hook-token',
  // Existing phones keep the guide's passcode scheme; their hook token is made when first needed.
  async up(db) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema
      .alterTable('phones')
      .addColumn('auth_scheme', 'text', (c) => c.notNull().defaultTo('passcode'))
      .execute();
    await db.schema
      .alterTable('phones')
      .addColumn('username', 'text', (c) => c.notNull().defaultTo('admin'))
      .execute();
    await db.schema.alterTable('phones').addColumn('hook_token_enc', 'text').execute();
  },
};
