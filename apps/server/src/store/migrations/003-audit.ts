/** The audit log. Rows are never updated; the id orders them (and pages them). */
import type { StoreMigration } from './types.ts';

export const audit: StoreMigration = {
  name: '003-audit',
  async up(db, dialect) {
    await db.schema
      .createTable('audit')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('username', 'text')
      .addColumn('role', 'text')
      .addColumn('address', 'text')
      .addColumn('phone_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('result', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_phone').on('audit').columns(['phone_id', 'id']).execute();
    await db.schema.createIndex('audit_user').on('audit').columns(['user_id', 'id']).execute();
    await db.schema.createIndex('audit_at').on('audit').column('at').execute();
  },
};
