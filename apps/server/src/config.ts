/**
 * Server configuration from the environment, parsed once at boot with zod so a
 * typo fails fast with one readable line per bad value (epic-stack habit), not
 * as a mystery later.
 */
import path from 'node:path';
import { type CountryCode, isCountryCode } from '@linedeck/contract/numbers';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` });

/** A signed-in user's session ends after this many minutes without a request (sliding). */
export const DEFAULT_SESSION_IDLE_MINUTES = 12 * 60;
/** ... and this many hours after signing in, active or not. */
export const DEFAULT_SESSION_MAX_HOURS = 30 * 24;

/** How long the call journal keeps calls when CALL_RETENTION_DAYS is not set. */
export const DEFAULT_CALL_RETENTION_DAYS = 90;

const envSchema = z.object({
  PORT: wholeNumber(0, 65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Unset: SQLite in DATA_DIR. `postgres://user:password@host:5432/db`: that Postgres database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/i, {
      message: 'must be a postgres://user:password@host:port/database URL',
    })
    .optional(),
  /** Unset means "4 when no phone is configured"; 0 turns the simulated fleet off. */
  SIMULATED_PHONES: wholeNumber(0, 1000).optional(),
  POLL_INTERVAL_MS: wholeNumber(20, 600_000).default(1000),
  /** How long one CTI request may take before it counts as a timeout. */
  CTI_TIMEOUT_MS: wholeNumber(100, 120_000).default(4000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PHONES_FILE: z.string().min(1).optional(),
  LINEDECK_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  ADMIN_PASSWORD: z.string().min(10, { message: 'must be at least 10 characters' }).optional(),
  /**
   * Express `trust proxy` behind a reverse proxy: the number of proxies, or their addresses /
   * `loopback` / `uniquelocal`. Decides the client address (rate limits, audit) and HTTPS (Secure cookie).
   */
  TRUST_PROXY: z
    .string()
    .refine((v) => v.toLowerCase() !== 'true', {
      message: 'must be the number of proxies in front or their addresses (true would trust any client)',
    })
    .optional(),
  /** ISO 3166 country (`DE`) national numbers are read in: "030 2309" is +49 30 2309 (contacts, caller ID). */
  DEFAULT_COUNTRY: z
    .string()
    .transform((v) => v.toUpperCase())
    .refine(isCountryCode, { message: 'must be a two-letter country code such as DE, AT, CH, GB or US' })
    .optional(),
  /** Days the call journal keeps a call after it ended; pruned daily (calls/retention.ts). */
  CALL_RETENTION_DAYS: wholeNumber(1, 3650).default(DEFAULT_CALL_RETENTION_DAYS),
  /** User sessions' idle and absolute lifetimes (display-key sessions live as long as their key). */
  SESSION_IDLE_MINUTES: wholeNumber(1, 525_600).default(DEFAULT_SESSION_IDLE_MINUTES),
  SESSION_MAX_HOURS: wholeNumber(1, 8760).default(DEFAULT_SESSION_MAX_HOURS),
  /** Turns on `GET /metrics` on the app, for `Authorization: Bearer <token>` only (docs/integrations.md). */
  METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Turns on a port of its own serving only /metrics (on HOST); with METRICS_TOKEN the token is asked there too. */
  METRICS_PORT: wholeNumber(1, 65535).optional(),
  /** `pretty`: readable lines; `json`: one JSON object a line. Unset: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS, { message: `must be one of ${LOG_FORMATS.join(', ')}` }).optional(),
  /**
   * Host names browsers may use, comma-separated (`linedeck.lan,10.0.0.5`; `*` allows any). Unset: the
   * bind host, localhost and (HOST=0.0.0.0) the machine's addresses. Against DNS rebinding.
   */
  ALLOWED_HOSTS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    )
    .refine((list) => list.length > 0 && list.every((h) => /^(\*|[\w.:[\]-]+)$/.test(h)), {
      message: 'must be host names or addresses separated by commas (or *)',
    })
    .optional(),
  /** `true` serves the web build's source maps (`*.map`); off by default, they describe the source. */
  SERVE_SOURCE_MAPS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** A `postgres://` URL, or undefined for SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  simulatedPhones: number | undefined;
  pollIntervalMs: number;
  ctiTimeoutMs: number;
  logLevel: (typeof LOG_LEVELS)[number];
  phonesFile: string | undefined;
  secret: string | undefined;
  adminPassword: string | undefined;
  trustProxy: number | string | undefined;
  /** Unset: only numbers written with a + (or 00 nowhere) are public numbers; the rest match on digits. */
  defaultCountry?: CountryCode | undefined;
  /** CALL_RETENTION_DAYS; unset (a config built by hand, tests) means DEFAULT_CALL_RETENTION_DAYS. */
  callRetentionDays?: number;
  /** METRICS_TOKEN: /metrics on the app behind this bearer token; unset with no port: no metrics. */
  metricsToken?: string | undefined;
  /** METRICS_PORT: /metrics on a port of its own. */
  metricsPort?: number | undefined;
  /** LOG_FORMAT; undefined: pretty when stdout is a terminal. */
  logFormat?: (typeof LOG_FORMATS)[number] | undefined;
  /** ALLOWED_HOSTS; unset: the bind host, localhost and (wildcard bind) the machine's addresses. */
  allowedHosts?: string[] | undefined;
  /** SERVE_SOURCE_MAPS: serve the web build's `*.map` files (default false). */
  serveSourceMaps?: boolean;
  /** SESSION_IDLE_MINUTES; unset (a config built by hand) means DEFAULT_SESSION_IDLE_MINUTES. */
  sessionIdleMinutes?: number;
  /** SESSION_MAX_HOURS; unset means DEFAULT_SESSION_MAX_HOURS. */
  sessionMaxHours?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Values never echoed back in an error message: they are secrets. */
const SECRET_VARS = new Set(['LINEDECK_SECRET', 'ADMIN_PASSWORD', 'DATABASE_URL', 'METRICS_TOKEN']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=`) means "unset", as in most shells' .env habits.
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      const shown = SECRET_VARS.has(key) ? '' : ` (got "${raw[key] ?? ''}")`;
      return `  ${key}${shown}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    simulatedPhones: e.SIMULATED_PHONES,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    ctiTimeoutMs: e.CTI_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    phonesFile: e.PHONES_FILE ? path.resolve(e.PHONES_FILE) : undefined,
    secret: e.LINEDECK_SECRET,
    adminPassword: e.ADMIN_PASSWORD,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    defaultCountry: e.DEFAULT_COUNTRY as CountryCode | undefined,
    callRetentionDays: e.CALL_RETENTION_DAYS,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    logFormat: e.LOG_FORMAT,
    allowedHosts: e.ALLOWED_HOSTS,
    serveSourceMaps: e.SERVE_SOURCE_MAPS ?? false,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
  };
}

function parseTrustProxy(value: string | undefined): number | string | undefined {
  if (value === undefined || value.toLowerCase() === 'false') return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}
