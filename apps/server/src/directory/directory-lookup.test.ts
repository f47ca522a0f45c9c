/** The caller lookup runs in every poll: it must answer from the cache's Map, never by reading LDAP. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { Directory } from './directory.ts';
import type { DirectoryConfig, DirectoryRepository } from './directory-repository.ts';
import type { LdapEntry } from './ldap-reader.ts';

const config: DirectoryConfig = {
  enabled: true,
  url: 'ldap://127.0.0.1:1',
  bindDn: '',
  password: null,
  baseDn: 'dc=example,dc=com',
  filter: '(objectClass=person)',
  mapping: { name: ['cn'], company: ['o'], numbers: ['telephoneNumber'] },
  refreshMinutes: 15,
};

describe('directory caller lookup', () => {
  it('answers from the cache without reading the directory', async () => {
    let reads = 0;
    const entry: LdapEntry = {
      dn: 'cn=Ada,dc=example,dc=com',
      attributes: { cn: ['Ada'], o: ['Engines'], telephonenumber: ['+49 30 2309 1000'] },
    };
    const repository = { get: async () => config, save: async () => {} } as unknown as DirectoryRepository;
    const directory = new Directory({
      repository,
      logger: createLogger({ level: 'silent' }),
      defaultCountry: 'DE',
      read: async () => {
        reads++;
        return [entry];
      },
    });
    await directory.load();
    await directory.refresh();
    const after = reads;
    for (let i = 0; i < 10_000; i++) expect(directory.lookup('030 23091000')?.name).toBe('Ada');
    expect(directory.lookup('0301234')).toBeNull();
    expect(reads).toBe(after);
    await directory.close();
  });
});
