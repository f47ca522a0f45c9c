/**
 * `directory_settings.ca_certificate`: the PEM of the CA(s) an ldaps:// directory's certificate is checked
 * against (an office's own CA); null for the system's CAs. Public, so stored as it is.
 */
import type { StoreMigration } from './types.ts';

export const directoryCaCertificate: StoreMigration = {
  name: '019-directory-ca-certificate',
  async up(db) {
    await db.schema.alterTable('directory_settings').addColumn('ca_certificate', 'text').execute();
  },
};
