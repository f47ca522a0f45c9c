/**
 * `calls.turned_away`: why the phone refused a call without ringing (`dnd`: Do Not Disturb was on and the
 * phone told LineDeck of the missed call by push); null for every call that rang or was dialled.
 */
import type { StoreMigration } from './types.ts';

export const callsTurnedAway: StoreMigration = {
  name: '016-calls-turned-away',
  async up(db) {
    await db.schema.alterTable('calls').addColumn('turned_away', 'text').execute();
  },
};
