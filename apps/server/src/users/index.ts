/**
 * Users, sessions, API tokens, display keys and roles, as one piece the server plugs in:
 *
 *   const users = createUsers({ store, config, logger, audit, phoneExists });
 *   await users.ensureFirstAdmin();            // at boot; prints nothing itself
 *   app.use(users.securityHeaders);           // first
 *   app.use(users.routers.wall);              // before the SPA: GET /wall?key=
 *   app.use('/api', users.routers.api);       // before anything that authenticates
 *   createApp({ access: users.access, ... })
 *
 * It records its changes through the `Audit` seam it is given (audit/ imports nothing from here).
 */
import type { RequestHandler, Router } from 'express';
import type { Audit } from '../audit/audit-seam.ts';
import type { Logger } from '../logger.ts';
import { createSecretBox, loadKey } from '../store/crypto.ts';
import type { Store } from '../store/database.ts';
import { accountRouter } from './account-routes.ts';
import { adminRouter } from './admin-routes.ts';
import { ensureFirstAdmin, type FirstStart, signInMessage } from './bootstrap.ts';
import { createAccess, type RealAccess } from './create-access.ts';
import { DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import { AuthService, type AuthSettings, DEFAULT_AUTH_SETTINGS } from './service.ts';
import { sessionRouter, wallRouter } from './session-routes.ts';
import { SecondFactor } from './totp.ts';
import { createUsersRepository, type UsersRepository } from './users-repository.ts';

export interface CreateUsersOptions {
  store: Pick<Store, 'db' | 'dialect'>;
  config: {
    adminPassword: string | undefined;
    /** The store's secret box key (TOTP secrets are sealed like phone passcodes). */
    secret?: string | undefined;
    dataDir: string;
    sessionIdleMinutes?: number | undefined;
    sessionMaxHours?: number | undefined;
  };
  logger: Logger;
  audit: Audit;
  /** Whether a phone id exists (for assigning phones to users and display keys). */
  phoneExists: (id: string) => boolean;
  now?: () => number;
  settings?: Partial<AuthSettings>;
  signInLimits?: Partial<SignInLimits>;
  /** JSON body limit of these routes. */
  bodyLimit?: string;
}

export interface Users {
  access: RealAccess;
  service: AuthService;
  repository: UsersRepository;
  routers: {
    /** Mount at `/api`: session, users, tokens, display keys. Each route authenticates itself. */
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

export function createUsers(options: CreateUsersOptions): Users {
  const now = options.now ?? Date.now;
  const { sessionIdleMinutes, sessionMaxHours } = options.config;
  const settings: AuthSettings = {
    ...DEFAULT_AUTH_SETTINGS,
    ...(sessionIdleMinutes ? { sessionIdleMs: sessionIdleMinutes * 60_000 } : {}),
    ...(sessionMaxHours ? { sessionAbsoluteMs: sessionMaxHours * 3_600_000 } : {}),
    ...options.settings,
  };
  const service = new AuthService({
    store: createUsersRepository(options.store.db, options.store.dialect),
    logger: options.logger,
    settings,
    now,
  });
  // The service's store: its writes clear the session cache (session-cache.ts).
  const repository = service.store;
  const access = createAccess(service);
  const { audit } = options;
  const limits: SignInLimits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits };

  const box = createSecretBox(loadKey({ secret: options.config.secret, dataDir: options.config.dataDir }));
  const secondFactor = new SecondFactor(service, box);
  const api = sessionRouter({ service, access, audit, limits, bodyLimit: options.bodyLimit, secondFactor });
  api.use(accountRouter({ service, access, audit, secondFactor, limits, bodyLimit: options.bodyLimit }));
  api.use(
    adminRouter({ service, access, audit, phoneExists: options.phoneExists, bodyLimit: options.bodyLimit }),
  );

  return {
    access,
    service,
    repository,
    routers: { api, wall: wallRouter({ service, audit }) },
    securityHeaders: securityHeaders(),
    ensureFirstAdmin: () =>
      ensureFirstAdmin(repository, {
        adminPassword: options.config.adminPassword,
        now: new Date(now()).toISOString(),
        scrypt: settings.scrypt,
      }),
    signInMessage,
  };
}

export { canControlPhone, canSeePhone, visiblePhoneIds } from '../access/permissions.ts';
export type { FirstStart } from './bootstrap.ts';
export type { RealAccess } from './create-access.ts';
