import type { StoreMigration } from './types.ts';

export const phones: StoreMigration = {
  name: '001-phones',
  async up(db) {
    await db.schema
      .createTable('phones')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('passcode_enc', 'text', (c) => c.notNull())
      .addColumn('model', 'text')
      .addColumn('firmware', 'text')
      // 1 for the demo fleet started when nothing is configured: dropped at the next boot.
      .addColumn('simulated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
