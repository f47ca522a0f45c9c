import type { StoreMigration } from './types.ts';

export const phonesAllowSelfSigned: StoreMigration = {
  name: '005-phones-allow-self-signed',
  // Off for every existing phone: a certificate is only trusted without verification when an admin says so.
  async up(db) {
    await db.schema
      .alterTable('phones')
      .addColumn('allow_self_signed', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
