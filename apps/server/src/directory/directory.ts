/**
 * The directory: its settings (stored, password sealed), an in-memory cache of its entries as read-only
 * contacts, refreshed on an interval and on "Refresh now", and a caller index over that cache. The
 * caller lookup is a Map lookup (contacts/caller-index.ts): the state cache calls it on every poll, so it
 * never reaches LDAP. A refresh that fails keeps the entries of the last one that worked.
 */

import { X509Certificate } from 'node:crypto';
import type {
  CallerContact,
  Contact,
  DirectorySettings,
  DirectoryStatus,
  DirectoryTestResult,
  directorySettingsBodySchema,
} from '@linedeck/contract';
import type { CountryCode } from '@linedeck/contract/numbers';
import type { z } from 'zod';
import { CallerIndex } from '../contacts/caller-index.ts';
import { normalizeSearch } from '../contacts/search-text.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toDirectoryContact } from './directory-contacts.ts';
import type { DirectoryConfig, DirectoryRepository } from './directory-repository.ts';
import {
  DirectoryError,
  type DirectoryFailure,
  type LdapEntry,
  readEntries,
  testConnection,
} from './ldap-reader.ts';

export type DirectorySettingsInput = z.output<typeof directorySettingsBodySchema>;

/** Scheme, host and port as the client will use them (ldap:// 389 and ldaps:// 636 when not written). */
function addressOf(url: string): string {
  const u = new URL(url);
  const scheme = u.protocol.toLowerCase();
  return `${scheme}//${u.hostname.toLowerCase()}:${u.port || (scheme === 'ldaps:' ? '636' : '389')}`;
}

/**
 * Each PEM block must be a certificate Node can read: a pasted key or a broken copy is refused at once.
 * Answers their SHA-256 fingerprints (what the audit log names instead of the whole PEM).
 */
export function certificateFingerprints(pem: string | null): string[] {
  if (!pem) return [];
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block).fingerprint256;
    } catch {
      throw new AppError('invalid_input', 'The CA certificate cannot be read.', {
        issues: [
          {
            path: 'caCertificate',
            message: `Certificate ${i + 1} of ${blocks.length} cannot be read: paste it again, whole.`,
          },
        ],
      });
    }
  });
}

export interface DirectoryOptions {
  repository: DirectoryRepository;
  logger: Logger;
  defaultCountry?: CountryCode | undefined;
  now?: () => Date;
  /** The LDAP read (ldap-reader.ts); a test may count calls to it. */
  read?: (config: DirectoryConfig) => Promise<LdapEntry[]>;
}

interface Cached {
  contact: Contact;
  /** Name and company, normalised as contact search does. */
  text: string;
  digits: string[];
}

export class Directory {
  private config: DirectoryConfig | undefined;
  private cached: Cached[] = [];
  private byId = new Map<string, Contact>();
  private readonly index: CallerIndex;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private state: DirectoryStatus = { lastRefreshAt: null, count: 0, lastError: null, lastErrorAt: null };
  private lastFailure: DirectoryFailure | null = null;
  private readonly country: CountryCode | null;
  private readonly now: () => Date;
  private readonly read: (config: DirectoryConfig) => Promise<LdapEntry[]>;

  constructor(private readonly options: DirectoryOptions) {
    this.country = options.defaultCountry ?? null;
    this.index = new CallerIndex(this.country);
    this.now = options.now ?? (() => new Date());
    this.read = options.read ?? readEntries;
  }

  /** Reads the stored settings and, when enabled, starts the first refresh without waiting for it. */
  async load(): Promise<void> {
    this.config = await this.options.repository.get();
    this.schedule();
    if (this.config?.enabled) void this.refresh();
  }

  settings(): DirectorySettings | null {
    const c = this.config;
    if (!c) return null;
    const { password, ...rest } = c;
    return { ...rest, hasPassword: password !== null && password !== '' };
  }

  status(): DirectoryStatus {
    return { ...this.state };
  }

  /** `password` absent keeps the stored one, null forgets it. Refreshes at once when enabled. */
  async save(input: DirectorySettingsInput): Promise<void> {
    const next = this.configOf(input);
    await this.options.repository.save(next, this.now().toISOString());
    this.config = next;
    this.lastFailure = null;
    this.schedule();
    if (next.enabled) void this.refresh();
    else this.replace([]);
  }

  /** Bind and count with `input` (unsaved form values; the stored password when it has none) or the stored settings. */
  async test(input?: DirectorySettingsInput): Promise<DirectoryTestResult> {
    const config = input ? this.configOf(input) : this.config;
    if (!config) return { ok: false, count: null, reason: 'failed', message: 'No directory is set up yet.' };
    return testConnection(config);
  }

  /**
   * Form values as settings to use: certificates checked, and a password left empty replaced by the stored
   * one only for the directory it was typed for (same scheme, host and port). Otherwise an admin account
   * could send the stored password to any host, or in the clear to the same one.
   */
  private configOf(input: DirectorySettingsInput): DirectoryConfig {
    certificateFingerprints(input.caCertificate);
    const { password, ...rest } = input;
    if (password !== undefined) return { ...rest, password };
    const stored = this.config;
    if (!stored?.password) return { ...rest, password: null };
    if (addressOf(stored.url) !== addressOf(input.url))
      throw new AppError('invalid_input', 'Type the bind password again for the new URL.', {
        issues: [
          {
            path: 'password',
            message:
              'Type the password again: the stored one is only sent to the directory it was saved for.',
          },
        ],
      });
    return { ...rest, password: stored.password };
  }

  /** Reads the directory now (after any refresh already running) and answers the status it left. */
  refresh(): Promise<DirectoryStatus> {
    const run = this.queue.then(() => this.refreshOnce());
    this.queue = run.catch(() => {});
    return run;
  }

  private async refreshOnce(): Promise<DirectoryStatus> {
    const config = this.config;
    if (!config?.enabled) {
      this.replace([]);
      return this.status();
    }
    const at = this.now().toISOString();
    try {
      const entries = await this.read(config);
      if (config !== this.config) return this.status();
      const contacts = entries
        .map((e) => toDirectoryContact(e, config.mapping, this.country, at))
        .filter((c): c is Contact => c !== null)
        .sort((a, b) => a.name.localeCompare(b.name));
      this.replace(contacts);
      this.state = {
        ...this.state,
        lastRefreshAt: at,
        count: contacts.length,
        lastError: null,
        lastErrorAt: null,
      };
      this.lastFailure = null;
      this.options.logger.info({ count: contacts.length }, 'directory refreshed');
    } catch (err) {
      const e = err instanceof DirectoryError ? err : new DirectoryError('failed', String(err));
      this.lastFailure = e.reason;
      this.state = { ...this.state, lastError: e.message, lastErrorAt: at };
      this.options.logger.warn({ reason: e.reason, err: e.message }, 'directory refresh failed');
    }
    return this.status();
  }

  private replace(contacts: Contact[]): void {
    this.cached = contacts.map((contact) => ({
      contact,
      text: normalizeSearch(`${contact.name} ${contact.company ?? ''}`),
      digits: [contact.number, ...contact.otherNumbers.map((o) => o.number)].map((n) => n.replace(/\D/g, '')),
    }));
    this.byId = new Map(contacts.map((c) => [c.id, c]));
    this.index.rebuild(
      contacts.map((c) => ({
        id: c.id,
        name: c.name,
        company: c.company,
        numbers: [c, ...c.otherNumbers].map((n) => ({ number: n.number, e164: n.e164 })),
      })),
    );
    this.state = { ...this.state, count: contacts.length };
    for (const l of this.listeners) l();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const c = this.config;
    if (!c?.enabled) return;
    this.timer = setInterval(() => {
      // A refused password is not tried again by itself: an Active Directory locks accounts that do.
      if (this.lastFailure !== 'bad_credentials') void this.refresh();
    }, c.refreshMinutes * 60_000);
    this.timer.unref();
  }

  /** The directory contact for an incoming number, or null: a Map lookup in the cache, never LDAP. */
  lookup(remoteNumber: string): CallerContact | null {
    return this.index.lookup(remoteNumber);
  }

  get(id: string): Contact | undefined {
    return this.byId.get(id);
  }

  /** Cached contacts whose name or company holds `text`, or one of whose numbers holds one of `numbers`' digits. */
  search(text: string, numbers: readonly string[]): Contact[] {
    const digits = numbers.map((n) => n.replace(/\D/g, '')).filter((n) => n !== '');
    if (text === '' && digits.length === 0) return this.cached.map((c) => c.contact);
    return this.cached
      .filter(
        (c) =>
          (text !== '' && c.text.includes(text)) || c.digits.some((d) => digits.some((n) => d.includes(n))),
      )
      .map((c) => c.contact);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }
}
