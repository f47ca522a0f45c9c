/**
 * The phones the server owns: their records (store), and for each one a CTI
 * client, a request queue and a poller. It is the only reader of stored
 * passcodes (`repo.getPasscode`), which it binds into the phone's credential
 * (`{ scheme, username, secret }`) and hands to the CTI client; nothing else
 * ever sees them, the passthrough included (it asks the client to authorize).
 */
import {
  type AuthScheme,
  type Credential,
  type CtiClient,
  createCtiClient,
  DEFAULT_USERNAME,
} from '@linedeck/cti';
import { AppError, isCtiError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { NewPhone, PhonePatch, PhoneRecord, PhonesRepo } from '../store/phones-repo.ts';
import { PhoneClient } from './phone-client.ts';
import { PhoneQueue } from './phone-queue.ts';
import { Poller, type PollerOptions } from './poller.ts';
import type { StateCache } from './state-cache.ts';

export interface ClientOptions {
  host: string;
  credential: Credential;
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
  /** Shared by polls, commands, the diagnosis and the passthrough: one session per phone. */
  readonly client: PhoneClient;
  readonly queue: PhoneQueue;
  readonly poller: Poller;
  /** `http(s)://host[:port]` of the phone, for the passthrough. */
  readonly origin: string;
  /** The passthrough skips certificate verification for this phone only when its config says so. */
  readonly allowSelfSigned: boolean;
}

/** The origin of a configured host (`10.0.0.5`, `10.0.0.5:8080`, `https://phone.lan`). */
export function originOf(host: string): string {
  const trimmed = host.trim().replace(/\/$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return new URL(withScheme).origin;
}

export class Registry {
  private readonly entries = new Map<string, PhoneEntry>();
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

  /** For the raw passthrough: where the phone is, and its client, which authorizes and reads each answer. */
  proxyTarget(id: string): Pick<PhoneEntry, 'origin' | 'queue' | 'allowSelfSigned' | 'client' | 'poller'> {
    const entry = this.entry(id);
    return {
      origin: entry.origin,
      queue: entry.queue,
      allowSelfSigned: entry.allowSelfSigned,
      client: entry.client,
      poller: entry.poller,
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
    const changed = <K extends keyof PhonePatch & keyof PhoneRecord>(key: K) =>
      patch[key] !== undefined && patch[key] !== before[key];
    // A passcode sent again counts as new: re-entering it is how an admin says "try it again".
    const credentialChanged =
      patch.passcode !== undefined ||
      changed('host') ||
      changed('auth') ||
      changed('username') ||
      changed('allowSelfSigned');
    if (credentialChanged) {
      // A new client and poller, which also lifts an auth stop. The old session ends first (same queue).
      const old = this.entries.get(id);
      if (old) void this.retire(old, { keepQueue: true });
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
    if (entry) await this.retire(entry, { keepQueue: false });
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
          auth: this.fileAuth(existing, phone),
          username: phone.username ?? DEFAULT_USERNAME,
        });
        updated++;
      } else {
        this.create(phone);
        added++;
      }
    }
    return { added, updated };
  }

  /** Stops every poller, ends every phone's session (dologout), then lets queued commands finish. */
  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.retire(e, { keepQueue: false })));
  }

  /**
   * The file says `detect` on every boot: a scheme already detected with the same host, account and
   * secret is kept, so a restart does not spend a passcode try and a login again.
   */
  private fileAuth(existing: PhoneRecord, phone: NewPhone): PhonePatch['auth'] {
    const wanted = phone.auth ?? 'passcode';
    const same =
      existing.host === phone.host &&
      existing.username === (phone.username ?? DEFAULT_USERNAME) &&
      this.options.repo.getPasscode(existing.id) === phone.passcode;
    return wanted === 'detect' && existing.auth !== 'detect' && same ? existing.auth : wanted;
  }

  /**
   * Stops the poller and ends the client's session (dologout) as a command of the phone's queue: ahead
   * of any poll of a successor sharing the queue, and still one request in flight.
   */
  private async retire(entry: PhoneEntry, { keepQueue }: { keepQueue: boolean }): Promise<void> {
    const stopped = entry.poller.stop();
    const closed = entry.queue.command(() => entry.client.close()).catch(() => {});
    await stopped;
    await closed;
    if (!keepQueue) await entry.queue.close();
  }

  /** The CTI client is the judge of a valid host; its refusal becomes a 400 on the `host` field. */
  private checkHost(host: string): void {
    try {
      this.createClient({
        host,
        credential: { scheme: 'passcode', username: DEFAULT_USERNAME, secret: 'check' },
        timeoutMs: this.options.ctiTimeoutMs,
      });
      originOf(host);
    } catch (err) {
      const message = isCtiError(err) ? err.message : 'This is not a phone address.';
      throw new AppError('invalid_input', message, { issues: [{ path: 'host', message }] });
    }
  }

  private attach(record: PhoneRecord, queue: PhoneQueue = new PhoneQueue()): PhoneEntry {
    const { logger, repo } = this.options;
    const secret = repo.getPasscode(record.id) ?? '';
    const build = (scheme: AuthScheme) =>
      this.createClient({
        host: record.host,
        credential: { scheme, username: record.username, secret },
        timeoutMs: this.options.ctiTimeoutMs,
        allowSelfSigned: record.allowSelfSigned,
      });
    const client = new PhoneClient({
      phoneId: record.id,
      choice: record.auth,
      build,
      firmware: record.firmware,
      onAuthStop: (message, auth) => {
        poller.authFailed(message, auth);
        logger.warn(
          { phoneId: record.id, auth },
          `${message} Nothing is sent to the phone until the credential changes or a test runs.`,
        );
      },
      onRenewed: (renewals) =>
        logger.warn(
          { phoneId: record.id, renewals },
          renewals > 2
            ? `the phone ended LineDeck's web session ${renewals} times: another login to the "${record.username}" account (the phone's web page?) keeps ending it; logged in again once`
            : "the phone ended LineDeck's web session (a login elsewhere?): logged in again once",
        ),
      onLearned: ({ auth, firmware }) => {
        // Written straight to the store: this is what the phone said, not a change of credential.
        if (this.entries.get(record.id)?.client !== client) return;
        const patch: PhonePatch = {};
        if (auth && record.auth === 'detect') patch.auth = auth;
        if (firmware) patch.firmware = firmware;
        if (Object.keys(patch).length === 0) return;
        repo.update(record.id, patch);
        if (patch.auth) logger.info({ phoneId: record.id, auth }, `credential scheme detected: ${auth}`);
      },
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
    const entry: PhoneEntry = {
      id: record.id,
      client,
      queue,
      poller,
      origin: originOf(record.host),
      allowSelfSigned: record.allowSelfSigned,
    };
    this.entries.set(record.id, entry);
    this.options.cache.add(record.id);
    return entry;
  }

  /** The secret of the phone's Action URL (for the URL an admin pastes, and for the hook's check). */
  hookToken(id: string): string {
    const token = this.options.repo.getHookToken(id);
    if (token === undefined) throw new AppError('not_found', 'No phone with this id.', { phoneId: id });
    return token;
  }

  /** A new hook token: pushes to the old URL only wake the poller from now on. */
  rotateHookToken(id: string): string {
    const token = this.options.repo.rotateHookToken(id);
    if (token === undefined) throw new AppError('not_found', 'No phone with this id.', { phoneId: id });
    return token;
  }
}
