/**
 * The phones the server owns: their records (store), and for each one a CTI
 * client, a request queue and a poller. It is the only reader of stored
 * passcodes (`repo.getPasscode`), which it hands to the CTI client and, for
 * the raw passthrough, to `proxyTarget()`; nothing else ever sees them.
 */
import { type CtiClient, createCtiClient } from '@linedeck/cti';
import { AppError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { NewPhone, PhonePatch, PhoneRecord, PhonesRepo } from '../store/phones-repo.ts';
import { PhoneQueue } from './phone-queue.ts';
import { Poller, type PollerOptions } from './poller.ts';
import type { StateCache } from './state-cache.ts';

export interface ClientOptions {
  host: string;
  passcode: string;
  timeoutMs: number;
  /** Only matters for `https://` hosts (packages/cti/src/transport.ts). */
  allowSelfSigned?: boolean;
}

export interface RegistryOptions {
  repo: PhonesRepo;
  cache: StateCache;
  logger: Logger;
  pollIntervalMs: number;
  ctiTimeoutMs: number;
  /** Tuning for tests: accounts interval and backoff cap. */
  poller?: Pick<PollerOptions, 'accountsIntervalMs' | 'maxBackoffMs'>;
  /** Builds the CTI client; the real one by default. */
  createClient?: (options: ClientOptions) => CtiClient;
}

export interface PhoneEntry {
  readonly id: string;
  readonly client: CtiClient;
  readonly queue: PhoneQueue;
  readonly poller: Poller;
  /** `http(s)://host[:port]` of the phone, for the passthrough. */
  readonly origin: string;
  /** The passthrough skips certificate verification for this phone only when its config says so. */
  readonly allowSelfSigned: boolean;
}

interface InternalEntry extends PhoneEntry {
  passcode: string;
}

/** The origin of a configured host (`10.0.0.5`, `10.0.0.5:8080`, `https://phone.lan`). */
export function originOf(host: string): string {
  const trimmed = host.trim().replace(/\/$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return new URL(withScheme).origin;
}

export class Registry {
  private readonly entries = new Map<string, InternalEntry>();
  private readonly createClient: (options: ClientOptions) => CtiClient;
  private started = false;

  constructor(private readonly options: RegistryOptions) {
    this.createClient = options.createClient ?? ((o) => createCtiClient(o));
    options.cache.onState((state) => {
      const name = this.options.repo.get(state.phoneId)?.name;
      options.logger.info(
        { phoneId: state.phoneId, name, status: state.status, error: state.error?.code },
        'phone state',
      );
    });
  }

  /** Builds clients and starts polling every stored phone. */
  start(): void {
    this.started = true;
    for (const record of this.options.repo.list())
      (this.entries.get(record.id) ?? this.attach(record)).poller.start();
  }

  list(): PhoneRecord[] {
    return this.options.repo.list();
  }

  /** The phone's record, or a 404 `not_found`. */
  get(id: string): PhoneRecord {
    const record = this.options.repo.get(id);
    if (!record) throw new AppError('not_found', 'No phone with this id.', { phoneId: id });
    return record;
  }

  entry(id: string): PhoneEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new AppError('not_found', 'No phone with this id.', { phoneId: id });
    return entry;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** For the raw passthrough only: where the phone is and the passcode to add to the query. */
  proxyTarget(id: string): { origin: string; passcode: string; queue: PhoneQueue; allowSelfSigned: boolean } {
    const entry = this.entries.get(id);
    if (!entry) throw new AppError('not_found', 'No phone with this id.', { phoneId: id });
    return {
      origin: entry.origin,
      passcode: entry.passcode,
      queue: entry.queue,
      allowSelfSigned: entry.allowSelfSigned,
    };
  }

  create(phone: NewPhone): PhoneRecord {
    // Check the host first: an address the client refuses must not leave a row behind.
    this.checkHost(phone.host);
    const record = this.options.repo.create(phone);
    const entry = this.attach(record);
    if (this.started) entry.poller.start();
    return record;
  }

  update(id: string, patch: PhonePatch): PhoneRecord {
    const before = this.get(id);
    if (patch.host !== undefined) this.checkHost(patch.host);
    const record = this.options.repo.update(id, patch) ?? before;
    const trustChanged =
      patch.allowSelfSigned !== undefined && patch.allowSelfSigned !== before.allowSelfSigned;
    if (patch.host !== undefined || patch.passcode !== undefined || trustChanged) {
      // New address, passcode or certificate trust: a new client and poller. This also lifts an auth stop.
      const old = this.entries.get(id);
      void old?.poller.stop();
      const entry = this.attach(record, old?.queue);
      if (this.started) entry.poller.start();
    }
    return record;
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    const entry = this.entries.get(id);
    this.entries.delete(id);
    this.options.repo.remove(id);
    this.options.cache.remove(id);
    if (entry) {
      await entry.poller.stop();
      await entry.queue.close();
    }
  }

  /** Upserts phones by name (PHONES_FILE): new names are added, known ones updated. */
  upsertByName(phones: readonly NewPhone[]): { added: number; updated: number } {
    let added = 0;
    let updated = 0;
    for (const phone of phones) {
      const existing = this.options.repo.getByName(phone.name);
      if (existing) {
        // The file is the source for its phones: a field left out there is the default, not "keep".
        this.update(existing.id, {
          host: phone.host,
          passcode: phone.passcode,
          model: phone.model ?? null,
          allowSelfSigned: phone.allowSelfSigned ?? false,
        });
        updated++;
      } else {
        this.create(phone);
        added++;
      }
    }
    return { added, updated };
  }

  /** Stops every poller, then lets queued commands finish. */
  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((e) => e.poller.stop()));
    await Promise.all(entries.map((e) => e.queue.close()));
  }

  /** The CTI client is the judge of a valid host; its refusal becomes a 400 on the `host` field. */
  private checkHost(host: string): void {
    try {
      this.createClient({ host, passcode: 'check', timeoutMs: this.options.ctiTimeoutMs });
      originOf(host);
    } catch (err) {
      const message = isCtiError(err) ? err.message : 'This is not a phone address.';
      throw new AppError('invalid_input', message, { issues: [{ path: 'host', message }] });
    }
  }

  private attach(record: PhoneRecord, queue: PhoneQueue = new PhoneQueue()): InternalEntry {
    const passcode = this.options.repo.getPasscode(record.id) ?? '';
    const client = this.createClient({
      host: record.host,
      passcode,
      timeoutMs: this.options.ctiTimeoutMs,
      allowSelfSigned: record.allowSelfSigned,
    });
    const poller = new Poller({
      phoneId: record.id,
      client,
      queue,
      cache: this.options.cache,
      logger: this.options.logger,
      intervalMs: this.options.pollIntervalMs,
      ...this.options.poller,
    });
    const entry: InternalEntry = {
      id: record.id,
      client,
      queue,
      poller,
      origin: originOf(record.host),
      allowSelfSigned: record.allowSelfSigned,
      passcode,
    };
    this.entries.set(record.id, entry);
    this.options.cache.add(record.id);
    return entry;
  }
}
