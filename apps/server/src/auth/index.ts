/**
 * Users, sessions, API tokens, display keys, roles and the audit log, as one
 * piece the server plugs in (issue 6):
 *
 *   const auth = createAuth({ db, config, logger });
 *   await auth.ensureFirstAdmin();            // at boot; prints nothing itself
 *   app.use(auth.securityHeaders);           // first
 *   app.use(auth.routers.wall);              // before the SPA: GET /wall?key=
 *   app.use('/api', auth.routers.api);       // before anything that authenticates
 *   createApp({ access: auth.access, audit: auth.audit, ... })
 */
import type { Database } from 'better-sqlite3';
import type { RequestHandler, Router } from 'express';
import { AuditLog } from '../audit/audit-log.ts';
import { auditRouter } from '../audit/routes.ts';
import type { Logger } from '../logger.ts';
import { adminRouter } from './admin-routes.ts';
import { AuthStore } from './auth-store.ts';
import { ensureFirstAdmin, type FirstStart, signInMessage } from './bootstrap.ts';
import { createAccess, type RealAccess } from './create-access.ts';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import { AuthService, type AuthSettings, DEFAULT_AUTH_SETTINGS } from './service.ts';
import { sessionRouter, wallRouter } from './session-routes.ts';

export interface CreateAuthOptions {
  db: Database;
  config: { adminPassword: string | undefined };
  logger: Logger;
  now?: () => number;
  settings?: Partial<AuthSettings>;
  signInLimits?: Partial<SignInLimits>;
  /** Whether a phone id exists (for assigning phones); reads the store's `phones` table by default. */
  phoneExists?: (id: string) => boolean;
  /** JSON body limit of these routes. */
  bodyLimit?: string;
}

export interface Auth {
  access: RealAccess;
  audit: AuditLog;
  service: AuthService;
  store: AuthStore;
  routers: {
    /** Mount at `/api`: session, users, tokens, display keys, audit. Each route authenticates itself. */
    api: Router;
    /** Mount at the root, before the SPA: `GET /wall?key=`. */
    wall: Router;
  };
  securityHeaders: RequestHandler;
  /** Creates the first admin when there are no users. */
  ensureFirstAdmin(): Promise<FirstStart | null>;
  /** What to print on the console once the server listens at `url`. */
  signInMessage(url: string, firstStart: FirstStart | null): string;
}

function phonesTableLookup(db: Database): (id: string) => boolean {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'phones'").get();
  if (!hasTable) return () => false;
  const statement = db.prepare('SELECT 1 FROM phones WHERE id = ?');
  return (id) => statement.get(id) !== undefined;
}

export function createAuth(options: CreateAuthOptions): Auth {
  const now = options.now ?? Date.now;
  const store = new AuthStore(options.db);
  const settings: AuthSettings = { ...DEFAULT_AUTH_SETTINGS, ...options.settings };
  const service = new AuthService({ store, logger: options.logger, settings, now });
  const access = createAccess(service);
  const audit = new AuditLog(options.db, now);
  const limits: SignInLimits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits };
  const phoneExists = options.phoneExists ?? phonesTableLookup(options.db);

  const api = sessionRouter({ service, access, audit, limits, bodyLimit: options.bodyLimit });
  api.use(adminRouter({ service, access, audit, phoneExists, bodyLimit: options.bodyLimit }));
  api.use(auditRouter({ access, auditLog: audit }));

  return {
    access,
    audit,
    service,
    store,
    routers: { api, wall: wallRouter({ service, audit }) },
    securityHeaders: securityHeaders(),
    ensureFirstAdmin: () =>
      ensureFirstAdmin(store, {
        adminPassword: options.config.adminPassword,
        now: new Date(now()).toISOString(),
        scrypt: settings.scrypt,
      }),
    signInMessage,
  };
}

export type { FirstStart } from './bootstrap.ts';
export type { RealAccess } from './create-access.ts';
export { canControlPhone, canSeePhone, visiblePhoneIds } from './permissions.ts';
