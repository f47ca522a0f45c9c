/**
 * The directory's settings (directory/): one row, id 'default'. The mapping is JSON text; the bind
 * password is sealed by the store's secret box (bound to the row id), never stored in the clear.
 */
import type { StoreMigration } from './types.ts';

export const directory: StoreMigration = {
  name: '017-directory',
  async up(db) {
    await db.schema
      .createTable('directory_settings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('bind_dn', 'text', (c) => c.notNull())
      .addColumn('password_sealed', 'text')
      .addColumn('base_dn', 'text', (c) => c.notNull())
      .addColumn('filter', 'text', (c) => c.notNull())
      .addColumn('mapping', 'text', (c) => c.notNull())
      .addColumn('refresh_minutes', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
