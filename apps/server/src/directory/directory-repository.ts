/**
 * The directory's settings row (store/migrations/017): SQL only, the same on SQLite and Postgres. The
 * bind password is sealed with the store's secret box, bound to the row id, and opened only here.
 */
import { type DirectoryMapping, directoryMappingSchema } from '@linedeck/contract';
import type { SecretBox } from '../store/crypto.ts';
import type { Db } from '../store/schema.ts';

const ROW_ID = 'default';

/** The settings with the password in the clear: only the LDAP client gets this. */
export interface DirectoryConfig {
  enabled: boolean;
  url: string;
  bindDn: string;
  password: string | null;
  /** PEM of the CA(s) for ldaps://; null: the system's CAs. */
  caCertificate: string | null;
  baseDn: string;
  filter: string;
  mapping: DirectoryMapping;
  refreshMinutes: number;
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;

export function createDirectoryRepository(db: Db, box: SecretBox) {
  return {
    async get(): Promise<DirectoryConfig | undefined> {
      const row = await db
        .selectFrom('directory_settings')
        .selectAll()
        .where('id', '=', ROW_ID)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        enabled: Number(row.enabled) === 1,
        url: row.url,
        bindDn: row.bind_dn,
        password: row.password_sealed ? box.open(row.password_sealed, ROW_ID) : null,
        caCertificate: row.ca_certificate,
        baseDn: row.base_dn,
        filter: row.filter,
        mapping: directoryMappingSchema.parse(JSON.parse(row.mapping)),
        refreshMinutes: Number(row.refresh_minutes),
      };
    },

    async save(config: DirectoryConfig, at: string): Promise<void> {
      const values = {
        enabled: config.enabled ? 1 : 0,
        url: config.url,
        bind_dn: config.bindDn,
        password_sealed: config.password ? box.seal(config.password, ROW_ID) : null,
        ca_certificate: config.caCertificate,
        base_dn: config.baseDn,
        filter: config.filter,
        mapping: JSON.stringify(config.mapping),
        refresh_minutes: config.refreshMinutes,
        updated_at: at,
      };
      await db
        .insertInto('directory_settings')
        .values({ id: ROW_ID, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
  };
}
