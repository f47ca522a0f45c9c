/**
 * The phones the server owns: their records, and for each one a CTI client, a request queue and a
 * poller. The records are loaded once from the phones repository and kept in memory, so every read
 * (the routes, the hook, the state log) is synchronous and touches no database; every write is awaited
 * on the repository first, and memory changes only once it is stored: a failed write throws and
 * changes nothing. Writes take turns, so memory follows the database's order.
 *
 * It is the only holder of the phones' passcodes, which it binds into each phone's credential
 * (`{ scheme, username, secret }`) for the CTI client; nothing else ever sees them, the passthrough
 * included (it asks the client to authorize).
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
import { PhoneClient } from './phone-client.ts';
import { PhoneQueue } from './phone-queue.ts';
import type { NewPhone, PhonePatch, PhoneRecord, PhonesRepository } from './phones-repository.ts';
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
  repository: PhonesRepository;
  cache: StateCache;
  logger: Logger;
  pollIntervalMs: number;
  ctiTimeoutMs: number;
  /** Tuning for tests: accounts interval and backoff cap. */
  poller?: Pick<PollerOptions, 'accountsIntervalMs' | 'maxBackoffMs' | 'observer'>;
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

interface Secrets {
  passcode: string;
  hookToken: string;
}

/** SQLite's NOCASE, which the list was ordered by before: ASCII letters folded, nothing else. */
const nocase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Ties (names alike but for case) in the order the phones were added. */
const byName = (a: PhoneRecord, b: PhoneRecord) =>
  compare(nocase(a.name), nocase(b.name)) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id);

const notFound = (id: string) => new AppError('not_found', 'No phone with this id.', { phoneId: id });

export class Registry {
  private readonly records = new Map<string, PhoneRecord>();
  private readonly secrets = new Map<string, Secrets>();
  private readonly entries = new Map<string, PhoneEntry>();
  private readonly createClient: (options: ClientOptions) => CtiClient;
  private writing: Promise<unknown> = Promise.resolve();
  private loaded = false;
  private started = false;

  constructor(private readonly options: RegistryOptions) {
    this.createClient = options.createClient ?? ((o) => createCtiClient(o));
    // One line per status transition (available -> busy, -> offline...), not per visible change: a fleet
    // changes state many times a second, and the name is read from the store only for a line written.
    const lastStatus = new Map<string, string>();
    options.cache.onState((state) => {
      const key = `${state.status}\u0000${state.error?.code ?? ''}`;
      if (lastStatus.get(state.phoneId) === key) return;
      lastStatus.set(state.phoneId, key);
      if (!options.logger.isLevelEnabled('info')) return;
      const name = this.records.get(state.phoneId)?.name;
      options.logger.info(
        { phoneId: state.phoneId, name, status: state.status, error: state.error?.code },
        'phone state',
      );
    });
  }

  /** Reads every stored phone into memory, once, before anything else uses the registry. */
  async load(): Promise<void> {
    if (this.loaded) throw new Error('The registry is loaded once');
    for (const phone of await this.options.repository.loadAll()) this.remember(phone.record, phone);
    this.loaded = true;
  }

  /** Builds clients and starts polling every phone. */
  start(): void {
    this.started = true;
    for (const record of this.records.values())
      (this.entries.get(record.id) ?? this.attach(record)).poller.start();
  }

  list(): PhoneRecord[] {
    return [...this.records.values()].sort(byName);
  }

  count(): number {
    return this.records.size;
  }

  /** The phone's record, or a 404 `not_found`. */
  get(id: string): PhoneRecord {
    const record = this.records.get(id);
    if (!record) throw notFound(id);
    return record;
  }

  entry(id: string): PhoneEntry {
    const entry = this.entries.get(id);
    if (!entry) throw notFound(id);
    return entry;
  }

  /** A phone with this id is stored (after `start()`, it also has its entry). */
  has(id: string): boolean {
    return this.records.has(id);
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

  create(phone: NewPhone): Promise<PhoneRecord> {
    // Check the host first: an address the client refuses must not leave a row behind.
    this.checkHost(phone.host);
    return this.inTurn(async () => {
      const stored = await this.options.repository.create(phone);
      this.remember(stored.record, stored);
      const entry = this.attach(stored.record);
      if (this.started) entry.poller.start();
      return stored.record;
    });
  }

  update(id: string, patch: PhonePatch): Promise<PhoneRecord> {
    this.get(id);
    if (patch.host !== undefined) this.checkHost(patch.host);
    return this.inTurn(async () => {
      const before = this.get(id);
      const record = await this.options.repository.update(id, patch);
      if (!record) throw notFound(id);
      const secrets = this.secrets.get(id) as Secrets;
      this.remember(record, {
        ...secrets,
        ...(patch.passcode !== undefined ? { passcode: patch.passcode } : {}),
      });
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
    });
  }

  async remove(id: string): Promise<void> {
    this.get(id);
    const entry = await this.inTurn(async () => {
      this.get(id);
      await this.options.repository.remove(id);
      return this.forget(id);
    });
    if (entry) await this.retire(entry, { keepQueue: false });
  }

  /** Drops the previous run's demo phones (their simulators listened on ports that are gone now). */
  async removeSimulated(): Promise<number> {
    const { ids, entries } = await this.inTurn(async () => {
      const removed = await this.options.repository.removeSimulated();
      return { ids: removed, entries: removed.map((id) => this.forget(id)) };
    });
    await Promise.all(entries.map((e) => e && this.retire(e, { keepQueue: false })));
    return ids.length;
  }

  /** Upserts phones by name (PHONES_FILE): new names are added, known ones updated. */
  async upsertByName(phones: readonly NewPhone[]): Promise<{ added: number; updated: number }> {
    let added = 0;
    let updated = 0;
    for (const phone of phones) {
      const existing = [...this.records.values()].find((r) => r.name === phone.name);
      if (existing) {
        // The file is the source for its phones: a field left out there is the default, not "keep".
        await this.update(existing.id, {
          host: phone.host,
          passcode: phone.passcode,
          model: phone.model ?? null,
          allowSelfSigned: phone.allowSelfSigned ?? false,
          auth: this.fileAuth(existing, phone),
          username: phone.username ?? DEFAULT_USERNAME,
        });
        updated++;
      } else {
        await this.create(phone);
        added++;
      }
    }
    return { added, updated };
  }

  /** Stops every poller, ends every phone's session (dologout), then lets queued commands finish. */
  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.retire(e, { keepQueue: false })));
    // A write still in flight (a firmware just learned) finishes before the database closes.
    await this.writing;
  }

  /** The secret of the phone's Action URL (for the URL an admin pastes, and for the hook's check). */
  hookToken(id: string): string {
    const secrets = this.secrets.get(id);
    if (!secrets) throw notFound(id);
    return secrets.hookToken;
  }

  /** A new hook token: pushes to the old URL only wake the poller from now on. */
  rotateHookToken(id: string): Promise<string> {
    this.get(id);
    return this.inTurn(async () => {
      const token = await this.options.repository.rotateHookToken(id);
      const secrets = this.secrets.get(id);
      if (token === undefined || !secrets) throw notFound(id);
      this.secrets.set(id, { ...secrets, hookToken: token });
      return token;
    });
  }

  /** Runs one write after the others: memory then changes in the order the database did. */
  private inTurn<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writing.then(write);
    this.writing = result.catch(() => {});
    return result;
  }

  /** Records are replaced, never changed in place: a reader's copy stays what it read. */
  private remember(record: PhoneRecord, secrets: Secrets): void {
    this.records.set(record.id, Object.freeze({ ...record }));
    this.secrets.set(record.id, { passcode: secrets.passcode, hookToken: secrets.hookToken });
  }

  /** Drops the phone from memory; its entry, if it had one, is the caller's to retire. */
  private forget(id: string): PhoneEntry | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    this.records.delete(id);
    this.secrets.delete(id);
    this.options.cache.remove(id);
    return entry;
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
      this.secrets.get(existing.id)?.passcode === phone.passcode;
    return wanted === 'detect' && existing.auth !== 'detect' && same ? existing.auth : wanted;
  }

  /**
   * What the phone said about itself (the scheme detect settled on, its firmware), stored like any
   * other write; nobody waits for it, so a failure is logged and memory keeps what was stored.
   */
  private learn(id: string, client: PhoneClient, learned: { auth?: AuthScheme; firmware?: string }): void {
    const { logger } = this.options;
    void this.inTurn(async () => {
      // A client replaced meanwhile (a credential change) speaks for a credential that is gone.
      const record = this.records.get(id);
      if (!record || this.entries.get(id)?.client !== client) return;
      const patch: PhonePatch = {};
      if (learned.auth && record.auth === 'detect') patch.auth = learned.auth;
      if (learned.firmware && learned.firmware !== record.firmware) patch.firmware = learned.firmware;
      if (Object.keys(patch).length === 0) return;
      const stored = await this.options.repository.update(id, patch);
      if (!stored) return;
      this.remember(stored, this.secrets.get(id) as Secrets);
      if (patch.auth)
        logger.info({ phoneId: id, auth: patch.auth }, `credential scheme detected: ${patch.auth}`);
    }).catch((err: unknown) =>
      logger.error(
        { err, phoneId: id },
        'what the phone said about itself (scheme, firmware) was not stored',
      ),
    );
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
    const { logger } = this.options;
    const secret = this.secrets.get(record.id)?.passcode ?? '';
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
      secrets: () => {
        const held = this.secrets.get(record.id);
        return held ? [held.passcode, held.hookToken] : [secret];
      },
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
      onLearned: (learned) => this.learn(record.id, client, learned),
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
}
