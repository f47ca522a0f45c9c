/**
 * `createApp(deps)`: the Express app without listen, so tests run the real
 * thing on port 0. Every route but /api/health and the phones' Action URL hook
 * goes through `access.authenticate` and its `access.authorize(action)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CountryCode } from '@linedeck/contract/numbers';
import express, { type Express, type Router } from 'express';
import { type Access, createOpenAccess, principalOf } from './access/access.ts';
import { type Audit, noopAudit } from './audit/audit-seam.ts';
import type { CallIntents, CallsStore } from './calls/calls-store.ts';
import { callRoutes } from './calls/routes.ts';
import { type CampaignRoutesDeps, campaignRoutes } from './campaigns/routes.ts';
import type { Contacts } from './contacts/contacts.ts';
import { contactRoutes, publicSettingsRoute } from './contacts/routes.ts';
import { ctiProxy } from './cti-proxy.ts';
import type { Directory } from './directory/directory.ts';
import { directoryRoutes } from './directory/routes.ts';
import { AppError, apiNotFound, errorHandler } from './errors.ts';
import type { EventHub } from './events.ts';
import { flowRoutes } from './flows/flow-routes.ts';
import { fastLane, laneRouter } from './http/fast-lane.ts';
import { hostCheck } from './http/host-check.ts';
import { noStore } from './http/no-store.ts';
import { routeGate } from './http/route-gate.ts';
import { type Logger, requestLog } from './logger.ts';
import { openApiHandlers } from './openapi/openapi-route.ts';
import { ACTION_URL_PATH, ActionUrlHook } from './phones/action-url-hook.ts';
import { phoneCommands } from './phones/command-routes.ts';
import type { Commands } from './phones/commands.ts';
import { hookTokenRoutes } from './phones/hook-token-routes.ts';
import type { Registry } from './phones/registry.ts';
import { phoneRoutes } from './phones/routes.ts';
import type { StateCache } from './phones/state-cache.ts';
import { staticSite } from './static.ts';
import { type ScreenPopStore, screenPopRoutes } from './users/screen-pop.ts';
import { securityHeaders } from './users/security-headers.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import type { Webhooks } from './webhooks/webhooks-service.ts';

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  cache: StateCache;
  events: EventHub;
  commands: Commands;
  /** Per-request timeout of the CTI passthrough (same as the CTI client's). */
  ctiTimeoutMs: number;
  /** Defaults to `createOpenAccess()` (everything allowed) until sign-in exists. */
  access?: Access;
  /** Defaults to a no-op. */
  audit?: Audit;
  /** The contacts store: serves /api/contacts when given. */
  contacts?: Contacts;
  /**
   * Sign-in, users, tokens, display keys and audit routes (users/index.ts, audit/routes.ts): `api` is
   * mounted at /api before anything that authenticates, `wall` (GET /wall?key=) before the SPA.
   */
  authRouters?: { api: Router; wall: Router };
  /** Express `trust proxy` (TRUST_PROXY): decides req.ip (rate limits, audit) and req.secure (Secure cookie). */
  trustProxy?: boolean | number | string;
  /** The built web app; `null` serves none; default apps/web/dist when it exists. */
  webDist?: string | null;
  /** Version shown by /api/health. */
  version?: string;
  /** The phones' Action URL hook (GET /hooks/action-url/:phoneId/:token); one is made when not given. */
  actionUrlHook?: ActionUrlHook;
  /** The call journal: its store serves /api/calls; the recorder hears from call commands who sent them. */
  calls?: { store: CallsStore; intents?: CallIntents; defaultCountry?: CountryCode | undefined };
  /** Campaigns (campaigns/): the store and the dialer behind /api/campaigns and /api/do-not-call. */
  campaigns?: Pick<CampaignRoutesDeps, 'repository' | 'engine' | 'phoneExists' | 'defaultCountry'>;
  /** Host names a browser may use (http/host-check.ts); absent: any (tests that build the app alone). */
  allowedHosts?: readonly string[];
  /** Serve the web build's source maps (SERVE_SOURCE_MAPS). */
  serveSourceMaps?: boolean;
  /** `GET /metrics` (metrics/metrics-endpoint.ts: it checks METRICS_TOKEN itself); absent: no /metrics. */
  metricsHandler?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Each user's screen pop template (users/screen-pop.ts): serves /api/account/screen-pop when given. */
  screenPop?: ScreenPopStore;
  /** Webhooks (webhooks/): serves /api/webhooks (admins only) when given. */
  webhooks?: Webhooks;
  /** The LDAP / Active Directory directory (directory/): serves /api/directory (admins only) when given. */
  directory?: Directory;
  /** Commands take the fast lane (http/fast-lane.ts); default true. Off: the same routes through the app. */
  fastLane?: boolean;
}

export function createApp(deps: AppDeps): Express {
  const { logger, registry, cache, events, commands } = deps;
  const access = deps.access ?? createOpenAccess();
  const audit = deps.audit ?? noopAudit;
  const app = express();
  app.disable('x-powered-by');
  // Every /api answer is `no-store`, so an ETag (a hash of each body) would be computed for nothing. The
  // hashed assets keep theirs (serve-static's own option); index.html is revalidated by Last-Modified.
  app.disable('etag');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  const actionUrlHook = deps.actionUrlHook ?? new ActionUrlHook({ registry, cache, logger });
  const errors = errorHandler(logger);
  // What every request goes through first: the request log, helmet (a CSP the built SPA runs under, no
  // inline scripts; users/security-headers.ts), the host allow-list.
  const front = [
    requestLog(logger),
    securityHeaders(),
    ...(deps.allowedHosts ? [hostCheck(deps.allowedHosts)] : []),
  ];
  const apiJson = express.json({ limit: '32kb' });
  const callIntents = deps.calls?.intents;
  const phoneDeps = {
    registry,
    cache,
    commands,
    access,
    audit,
    logger,
    actionUrlHook,
    ...(callIntents ? { callIntents } : {}),
  };
  const commandRoutes = phoneCommands(phoneDeps);
  // The fast lane runs a command's route with exactly what this app runs before it (front, no-store, the
  // body parser, sign-in) without walking every layer below; anything else goes on (http/fast-lane.ts).
  if (deps.fastLane !== false) {
    const lane = fastLane({
      prefix: '/api',
      before: [...front, noStore, apiJson, access.authenticate],
      routes: commandRoutes,
      onError: errors,
    });
    app.locals.fastLane = lane;
    app.use(lane);
  }

  // Before the request log (its info line would carry caller names from the query) and before any
  // authentication: phones call it without a credential (their token is in the path; phones/action-url-hook.ts).
  app.use(ACTION_URL_PATH, actionUrlHook.handler);

  // Before the request log: a scrape every 15 s would be most of its lines.
  if (deps.metricsHandler) app.get('/metrics', deps.metricsHandler);
  app.use(front);
  app.use('/api', noStore);

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, version: deps.version ?? '0.1.0', phones: registry.list().length });
  });

  // A CSV of 2,000 contacts is bigger than any other body; the 32 kB parser below then skips the parsed body.
  if (deps.contacts) app.post('/api/contacts/import', express.json({ limit: '512kb' }));
  // A campaign's pasted list or CSV of thousands of numbers is bigger than any other body.
  if (deps.campaigns)
    app.post(['/api/campaigns', '/api/campaigns/:id/entries'], express.json({ limit: '2mb' }));
  app.use('/api', apiJson);
  // Commands and state reads are most of the traffic: their routers come first, behind sign-in, and are
  // entered only for their own paths (/api/phones..., /api/state), so nothing else is walked before them.
  const phoneGroup = express.Router();
  phoneGroup.use(laneRouter(commandRoutes));
  phoneGroup.use(phoneRoutes(phoneDeps));
  phoneGroup.use(flowRoutes({ registry, cache, access, audit, logger, callIntents }));
  app.use('/api', routeGate(phoneGroup, { first: access.authenticate }));
  // Sign-in and the admin routes come first: each authenticates itself (sign-in must not).
  // Each router at /api behind `routeGate` is entered only for the first path segments its routes start
  // with (http/route-gate.ts): a command no longer walks past every route of every router before its own.
  if (deps.authRouters) app.use('/api', routeGate(deps.authRouters.api));
  if (deps.screenPop) app.use('/api', routeGate(screenPopRoutes({ store: deps.screenPop, access })));
  app.get('/api/events', access.authenticate, access.authorize('events:read'), (req, res, next) => {
    const filter = access.phoneFilter?.(res);
    // A wall's display key gets no `call` events: it never sees names or numbers of past calls.
    const calls = principalOf(res)?.kind !== 'display';
    return events.handler(
      () => filter,
      () => calls,
    )(req, res, next);
  });
  if (deps.contacts) {
    app.use(
      '/api/contacts',
      access.authenticate,
      contactRoutes({ contacts: deps.contacts, access, audit, logger }),
    );
    app.get('/api/settings/public', access.authenticate, publicSettingsRoute(deps.contacts));
  }
  if (deps.calls) {
    const phoneName = (id: string) => (registry.has(id) ? registry.get(id).name : undefined);
    app.use(
      '/api/calls',
      access.authenticate,
      callRoutes({ store: deps.calls.store, access, audit, logger, phoneName }),
    );
  }
  // It authenticates its own paths only (/api/campaigns..., /api/do-not-call).
  if (deps.campaigns)
    app.use('/api', routeGate(campaignRoutes({ ...deps.campaigns, cache, access, audit, logger })));
  // It authenticates its own paths only (/api/webhooks...).
  if (deps.webhooks)
    app.use('/api', routeGate(webhookRoutes({ webhooks: deps.webhooks, access, audit, logger })));
  // It authenticates its own paths only (/api/directory...).
  if (deps.directory)
    app.use('/api', routeGate(directoryRoutes({ directory: deps.directory, access, audit, logger })));
  app.use('/api', routeGate(hookTokenRoutes({ registry, access, audit, logger, actionUrlHook })));
  app.get('/api/openapi.json', ...openApiHandlers({ access, version: deps.version ?? '0.1.0' }));
  app.use('/api', apiNotFound);

  app.use(
    '/cti',
    access.authenticate,
    ctiProxy({ registry, access, audit, logger, timeoutMs: deps.ctiTimeoutMs }),
  );

  if (deps.authRouters) app.use(deps.authRouters.wall);
  const site =
    deps.webDist === null
      ? null
      : staticSite(deps.webDist, { serveSourceMaps: deps.serveSourceMaps ?? false });
  if (site) app.use(site);

  app.use((req, _res, next) => next(new AppError('not_found', `Nothing at ${req.method} ${req.path}`)));
  app.use(errors);
  return app;
}
