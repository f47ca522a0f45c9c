/**
 * Screen pop: each user's address template opened for their calls (users/screen-pop.ts). A row of its
 * own rather than columns on `users`: most users never set one, and it goes with the user.
 */
import type { StoreMigration } from './types.ts';

export const screenPop: StoreMigration = {
  name: '014-screen-pop',
  async up(db) {
    await db.schema
      .createTable('screen_pops')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('open_on', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
