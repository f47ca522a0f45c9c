/**
 * The directory's cache without a server: the caller lookup runs in every poll, so it must answer from
 * the cache's Map, never by reading LDAP; a failed refresh keeps the last good entries; a refused
 * password is not tried again by the timer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import { Directory } from './directory.ts';
import type { DirectoryConfig, DirectoryRepository } from './directory-repository.ts';
import { DirectoryError, type LdapEntry } from './ldap-reader.ts';

const config: DirectoryConfig = {
  enabled: true,
  url: 'ldap://127.0.0.1:1',
  bindDn: '',
  password: null,
  caCertificate: null,
  baseDn: 'dc=example,dc=com',
  filter: '(objectClass=person)',
  mapping: { name: ['cn'], company: ['o'], numbers: ['telephoneNumber'] },
  refreshMinutes: 15,
};

const repository = { get: async () => config, save: async () => {} } as unknown as DirectoryRepository;
const logger = createLogger({ level: 'silent' });
const ada: LdapEntry = {
  dn: 'cn=Ada,dc=example,dc=com',
  attributes: { cn: ['Ada'], o: ['Engines'], telephonenumber: ['+49 30 2309 1000'] },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('directory refreshes', () => {
  it('keeps the last good entries when a refresh fails, and says why', async () => {
    let fail = false;
    const directory = new Directory({
      repository,
      logger,
      defaultCountry: 'DE',
      read: async () => {
        if (fail) throw new DirectoryError('unreachable', 'The directory at ldap://x cannot be reached.');
        return [ada];
      },
    });
    await directory.load();
    await directory.refresh();
    fail = true;
    const status = await directory.refresh();
    expect(status).toMatchObject({ count: 1, lastError: 'The directory at ldap://x cannot be reached.' });
    expect(directory.lookup('+493023091000')?.name).toBe('Ada');
    await directory.close();
  });

  it('retries an unreachable directory on the interval but not a refused password', async () => {
    vi.useFakeTimers();
    for (const reason of ['unreachable', 'bad_credentials'] as const) {
      let reads = 0;
      const directory = new Directory({
        repository,
        logger,
        read: async () => {
          reads++;
          throw new DirectoryError(reason, reason);
        },
      });
      await directory.load();
      await vi.advanceTimersByTimeAsync(3 * 15 * 60_000);
      expect(reads, reason).toBe(reason === 'unreachable' ? 4 : 1);
      // A person pressing Refresh now still tries.
      await directory.refresh();
      expect(reads, reason).toBe(reason === 'unreachable' ? 5 : 2);
      await directory.close();
    }
  });
});

describe('directory caller lookup', () => {
  it('answers from the cache without reading the directory', async () => {
    let reads = 0;
    const directory = new Directory({
      repository,
      logger,
      defaultCountry: 'DE',
      read: async () => {
        reads++;
        return [ada];
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
