/**
 * Wires the parts together: store, registry and pollers, state cache, SSE
 * hub, commands, the Express app and the HTTP server. index.ts calls it with
 * the environment's config; integration tests call it with a temp DATA_DIR
 * and port 0, so they run exactly what production runs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import type { Access } from './access/access.ts';
import { createApp } from './app.ts';
import { AuditLog } from './audit/audit-log.ts';
import { createAuditRepository } from './audit/audit-repository.ts';
import type { Audit } from './audit/audit-seam.ts';
import { auditRouter } from './audit/routes.ts';
import { CallRecorder } from './calls/call-recorder.ts';
import { createCallsRepository } from './calls/calls-repository.ts';
import type { CallsStore } from './calls/calls-store.ts';
import { startRetention } from './calls/retention.ts';
import { createCampaignsRepository } from './campaigns/campaigns-repository.ts';
import { DialerEngine, type DialerEngineOptions } from './campaigns/dialer-engine.ts';
import { type Config, DEFAULT_CALL_RETENTION_DAYS } from './config.ts';
import { type Contacts, createContacts } from './contacts/contacts.ts';
import { createContactsRepository } from './contacts/contacts-repository.ts';
import { Directory } from './directory/directory.ts';
import { createDirectoryRepository } from './directory/directory-repository.ts';
import { EventHub, staleLimitMs } from './events.ts';
import { defaultAllowedHosts } from './http/host-check.ts';
import { createLogger, type Logger, resolveLogFormat } from './logger.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { type MetricsServer, metricsHandler, startMetricsServer } from './metrics/metrics-endpoint.ts';
import { ActionUrlHook } from './phones/action-url-hook.ts';
import { Commands, type CommandsOptions } from './phones/commands.ts';
import { installHookFront } from './phones/hook-front.ts';
import { createPhonesRepository } from './phones/phones-repository.ts';
import { Registry, type RegistryOptions } from './phones/registry.ts';
import { StateCache } from './phones/state-cache.ts';
import { loadPhonesFile } from './phones-file.ts';
import { type SimulatedFleet, startSimulatedFleet } from './simulated-fleet.ts';
import { createSecretBox, loadKey } from './store/crypto.ts';
import { openDatabase, type Store } from './store/database.ts';
import type { Db } from './store/schema.ts';
import { type CreateUsersOptions, createUsers, type FirstStart, type Users } from './users/index.ts';
import { createScreenPopStore } from './users/screen-pop.ts';
import { startWebhooks, type WebhooksPart, type WebhooksTuning } from './webhooks/index.ts';
import { watchCampaignStates } from './webhooks/webhook-sources.ts';

export interface StartOptions {
  logger?: Logger;
  /** Replaces sign-in altogether (tests of other parts only); by default sign-in is required. */
  access?: Access;
  audit?: Audit;
  /** Sign-in tuning for tests: session lengths, scrypt cost, rate limits, clock. */
  users?: Pick<CreateUsersOptions, 'settings' | 'signInLimits' | 'now'>;
  /** Built web app to serve; null for none. */
  webDist?: string | null;
  /** Tuning for tests (backoff cap, accounts interval). */
  poller?: RegistryOptions['poller'];
  commands?: Pick<CommandsOptions, 'dedupeMs' | 'confirmMs' | 'confirmPollMs'>;
  heartbeatMs?: number;
  /** Campaign dialer tuning for tests (tick, how long an attempt waits for its call in the journal). */
  campaigns?: Pick<DialerEngineOptions, 'tickMs' | 'lostCallGraceMs'>;
  /** Demo calls on the simulated fleet (default true). */
  demo?: boolean;
  /** Webhook outbox tuning for tests (tick, backoff). */
  webhooks?: WebhooksTuning;
  /** Commands through the fast lane (default) or the app's own walk (tests compare the two). */
  fastLane?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  http: http.Server;
  /** How many requests the fast lane took (http/fast-lane.ts); undefined when it is off. */
  fastLaneTaken: () => number | undefined;
  /** The database (SQLite or Postgres) behind every repository. */
  db: Db;
  store: Store;
  registry: Registry;
  cache: StateCache;
  events: EventHub;
  commands: Commands;
  contacts: Contacts;
  /** The call journal's store and recorder. */
  calls: CallsStore;
  recorder: CallRecorder;
  /** The campaign dialer (campaigns/dialer-engine.ts). */
  campaigns: DialerEngine;
  /** Webhooks (webhooks/): the service, its event sources and the outbox dispatcher. */
  webhooks: WebhooksPart;
  /** The LDAP / Active Directory directory: settings, cache and refresh (directory/). */
  directory: Directory;
  logger: Logger;
  /** Prometheus metrics when METRICS_TOKEN or METRICS_PORT turned them on (webhook deliveries count here). */
  metrics: Metrics | undefined;
  /** The METRICS_PORT listener's `/metrics` URL, when there is one. */
  metricsUrl: string | undefined;
  fleet: SimulatedFleet | undefined;
  /** Users, sessions, tokens, display keys (undefined when `options.access` replaced them). */
  users: Users | undefined;
  auditLog: AuditLog;
  /** Set when this start created the first admin (with the password to print when generated). */
  firstStart: FirstStart | null;
  close(): Promise<void>;
}

/**
 * How phones in this process reach the server: HOST=0.0.0.0 (or ::) listens on every address, loopback
 * included, so the in-process simulators use 127.0.0.1 (their source then matches their loopback host).
 * Undefined when the server listens only on another address.
 */
function loopbackUrl(address: AddressInfo): string | undefined {
  if (address.address === '0.0.0.0' || address.address === '::' || address.address.startsWith('127.')) {
    return `http://127.0.0.1:${address.port}`;
  }
  if (address.address === '::1') return `http://[::1]:${address.port}`;
  return undefined;
}

/** The users' routes and the audit log's (admins read it), mounted together at /api before the rest. */
function signInRouters(users: Users, auditLog: AuditLog): { api: Router; wall: Router } {
  const api = Router();
  api.use(users.routers.api);
  api.use(auditRouter({ access: users.access, auditLog }));
  return { api, wall: users.routers.wall };
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger =
    options.logger ?? createLogger({ level: config.logLevel, format: resolveLogFormat(config.logFormat) });
  const store = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const { db } = store;
  const box = createSecretBox(loadKey({ secret: config.secret, dataDir: config.dataDir }));
  const cache = new StateCache();
  // Read lazily at each scrape: `events` exists by the time anyone can scrape.
  const metrics =
    config.metricsToken !== undefined || config.metricsPort !== undefined
      ? createMetrics({ states: () => cache.all(), sseClients: () => events.clientCount })
      : undefined;
  const poller = { ...options.poller, ...(metrics ? { observer: metrics.poll } : {}) };
  const registry = new Registry({
    repository: createPhonesRepository(db, box),
    cache,
    logger,
    pollIntervalMs: config.pollIntervalMs,
    ctiTimeoutMs: config.ctiTimeoutMs,
    ...(options.poller || metrics ? { poller } : {}),
  });
  await registry.load();
  // The previous run's simulated phones listened on ports that are gone now.
  await registry.removeSimulated();

  const auditLog = new AuditLog(createAuditRepository(db), { logger, now: options.users?.now });
  // Sign-in is on unless a caller brings its own access (tests of other parts).
  const users = options.access
    ? undefined
    : createUsers({
        store,
        config,
        logger,
        audit: auditLog,
        phoneExists: (id) => registry.has(id),
        ...options.users,
      });
  const firstStart = users ? await users.ensureFirstAdmin() : null;

  const events = new EventHub({
    logger,
    snapshot: () => cache.all(),
    staleAfterMs: staleLimitMs(config.pollIntervalMs),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  // Pushed synchronously from the poll that saw the change: no batching delay.
  cache.onState((state) => events.publish({ type: 'state', data: state }));
  const webhooks = await startWebhooks({
    db,
    box,
    logger,
    phoneName: (id) => (registry.has(id) ? registry.get(id).name : undefined),
    ...(metrics ? { onOutcome: (outcome) => metrics.webhookDelivery(outcome) } : {}),
    tuning: options.webhooks,
  });
  cache.onState((state) => webhooks.sources.onState(state));
  // The journal hears every call event (polls and trusted pushes); a call is announced once it is stored.
  // A call's webhook deliveries are written in the call's own transaction (at least once, even if we stop).
  const calls = createCallsRepository(db, {
    defaultCountry: config.defaultCountry,
    writeWith: webhooks.callOutbox,
  });
  let dialer: DialerEngine | undefined;
  const recorder = new CallRecorder({
    store: calls,
    publish: (call) => {
      events.publish({ type: 'call', data: call });
      // A campaign attempt's outcome is the journal's call (stored, then announced).
      dialer?.onCall(call);
    },
    logger,
    defaultCountry: config.defaultCountry,
    lastReadAt: (phoneId) => cache.get(phoneId)?.updatedAt,
  });
  // Before any poll: the calls the last run left open wait for their phone's first read (no events), which
  // says which go on.
  await recorder.recoverInterrupted();
  cache.onCall((event) => recorder.onCallEvent(event));
  cache.onFirstLines((phoneId, lines, at) => recorder.onFirstLines(phoneId, lines, at));
  cache.onRemove((phoneId) => recorder.forgetPhone(phoneId));
  const retention = startRetention(calls, {
    days: config.callRetentionDays ?? DEFAULT_CALL_RETENTION_DAYS,
    logger,
  });
  const commands = new Commands({
    registry,
    cache,
    logger,
    ...options.commands,
    ...(metrics ? { observer: metrics.command } : {}),
  });
  // Callers are named from contacts in the cache's states and call events; a change re-names them at once.
  // The directory's cache answers caller lookups LineDeck's own contacts do not (directory/).
  const directory = new Directory({
    repository: createDirectoryRepository(db, box),
    logger,
    defaultCountry: config.defaultCountry,
  });
  await directory.load();
  const contacts = await createContacts(createContactsRepository(db), {
    defaultCountry: config.defaultCountry,
    directory,
  });
  const lookup = (n: string) => contacts.lookup(n);
  cache.setCallerLookup(lookup);
  const campaignsRepository = watchCampaignStates(createCampaignsRepository(db), (c) =>
    webhooks.sources.onCampaignState(c),
  );
  const campaignEngine = new DialerEngine({
    repository: campaignsRepository,
    cache,
    commands,
    intents: recorder,
    audit: options.audit ?? auditLog,
    logger,
    publish: (data) => events.publish({ type: 'campaign', data }),
    defaultCountry: config.defaultCountry,
    ...options.campaigns,
  });
  dialer = campaignEngine;
  // Before any poll can make a phone ready: campaigns that were running stay paused until a person resumes.
  await campaignEngine.start();
  contacts.onChange(() => cache.setCallerLookup(lookup));

  if (config.phonesFile) {
    const result = await registry.upsertByName(loadPhonesFile(config.phonesFile));
    logger.info({ file: config.phonesFile, ...result }, 'phones loaded from PHONES_FILE');
  }
  let fleet: SimulatedFleet | undefined;
  const simulated = config.simulatedPhones ?? 4;
  if (registry.count() === 0 && !config.phonesFile && simulated > 0) {
    fleet = await startSimulatedFleet({ count: simulated, registry, logger, demo: options.demo ?? true });
  }
  registry.start();

  const actionUrlHook = new ActionUrlHook({ registry, cache, logger });
  const app = createApp({
    logger,
    registry,
    actionUrlHook,
    cache,
    events,
    commands,
    ctiTimeoutMs: config.ctiTimeoutMs,
    contacts,
    screenPop: createScreenPopStore(db),
    webhooks: webhooks.webhooks,
    directory,
    calls: { store: calls, intents: recorder, defaultCountry: config.defaultCountry },
    campaigns: {
      repository: campaignsRepository,
      engine: campaignEngine,
      phoneExists: (id) => registry.has(id),
      defaultCountry: config.defaultCountry,
    },
    ...(options.access ? { access: options.access } : users ? { access: users.access } : {}),
    ...(options.audit ? { audit: options.audit } : users ? { audit: auditLog } : {}),
    ...(users ? { authRouters: signInRouters(users, auditLog) } : {}),
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    ...(options.webDist !== undefined ? { webDist: options.webDist } : {}),
    allowedHosts: config.allowedHosts ?? defaultAllowedHosts(config.host),
    serveSourceMaps: config.serveSourceMaps ?? false,
    ...(options.fastLane !== undefined ? { fastLane: options.fastLane } : {}),
    ...(metrics && config.metricsToken !== undefined
      ? { metricsHandler: metricsHandler(metrics, config.metricsToken, logger) }
      : {}),
  });
  const server = http.createServer(app);
  // Phones' hook request lines with raw spaces in names reach the hook instead of a parser's 400.
  const hookFront = installHookFront(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  fleet?.useActionUrls(loopbackUrl(address), logger);
  let metricsServer: MetricsServer | undefined;
  if (metrics && config.metricsPort !== undefined) {
    const handler = metricsHandler(metrics, config.metricsToken, logger);
    metricsServer = await startMetricsServer(handler, config.metricsPort, config.host);
  }

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing ??= (async () => {
      // Stop taking requests, end SSE streams (browsers reconnect elsewhere), then let work finish.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      events.close();
      actionUrlHook.close();
      hookFront.close();
      await metricsServer?.close();
      server.closeIdleConnections();
      await campaignEngine.close();
      await commands.idle();
      await registry.close();
      retention.stop();
      // What the last polls saw is written; open calls stay open (the next start resumes or closes them).
      await recorder.close();
      // After the recorder: the deliveries its last save wrote may still go out.
      await webhooks.close();
      await directory.close();
      const force = setTimeout(() => server.closeAllConnections(), 2000);
      await stopped;
      clearTimeout(force);
      // After the last request: the rows written behind the answers go in before the database closes.
      await auditLog.close();
      await store.close();
      await fleet?.close();
    })();
    return closing;
  }

  return {
    url,
    port: address.port,
    http: server,
    fastLaneTaken: () => (app.locals.fastLane as { taken: number } | undefined)?.taken,
    db,
    store,
    registry,
    cache,
    events,
    commands,
    contacts,
    calls,
    recorder,
    campaigns: campaignEngine,
    webhooks,
    directory,
    logger,
    metrics,
    metricsUrl: metricsServer?.url,
    fleet,
    users,
    auditLog,
    firstStart,
    close,
  };
}
