/**
 * Contacts get the one number model (packages/contract/src/numbers.ts) and accent-free search:
 * - `e164`: the main number in E.164 when it is a public number (null for extensions, feature codes);
 * - `extension`: digits sent as tones once the call is up;
 * - `email`, and `other_numbers` (JSON list of `{ label, number, e164, extension }`);
 * - `search_text`: normalized text the repository fills (contacts/search-text.ts), searched with LIKE.
 * Existing rows are backfilled here without a default country; at every start the contacts module
 * derives e164 and search_text again under DEFAULT_COUNTRY and writes the rows that differ.
 */
import { normalizeSearch } from '../../contacts/search-text.ts';
import type { StoreMigration } from './types.ts';

export const contactsNumbers: StoreMigration = {
  name: '008-contacts-numbers',
  async up(db) {
    await db.schema.alterTable('contacts').addColumn('e164', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('extension', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('email', 'text').execute();
    await db.schema
      .alterTable('contacts')
      .addColumn('other_numbers', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema
      .alterTable('contacts')
      .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    const rows = await db
      .selectFrom('contacts')
      .select(['id', 'name', 'company', 'notes', 'number'])
      .execute();
    for (const r of rows) {
      const text = [r.name, r.company, r.notes, r.number.replace('+', '')].filter(Boolean).join(' ');
      await db
        .updateTable('contacts')
        .set({ search_text: normalizeSearch(text) })
        .where('id', '=', r.id)
        .execute();
    }
  },
};
