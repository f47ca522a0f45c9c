/**
 * The LineDeck REST API as zod schemas: the server validates request bodies
 * with them and the web app types its responses with them, so the two can
 * never disagree silently. Documented for people in docs/api.md.
 */

import { AUTH_FAILURE_REASONS } from '@linedeck/cti/auth-failure';
import {
  FORWARD_MODES,
  isValidKey,
  isValidPhoneNumber,
  PHONE_OPERATIONS,
  SYS_REQUESTS,
} from '@linedeck/cti/protocol';
import { z } from 'zod';
import { callerContactSchema } from './caller.ts';
import { CALL_TURNED_AWAY_REASONS } from './calls.ts';
import { contactSourceSchema } from './directory.ts';
import { callFlowSchema } from './flows.ts';
import { CONTACT_IMPORT_MAX_ROWS, PASSWORD_MIN_LENGTH } from './limits.ts';
import { readNumber } from './numbers.ts';

export { AUTH_FAILURE_REASONS, describeAuthFailure } from '@linedeck/cti/auth-failure';
export {
  DIGIT_KEYS,
  FORWARD_MODES,
  NAMED_KEYS,
  NUMBERED_KEYS,
  PHONE_OPERATIONS,
  SYS_REQUESTS,
} from '@linedeck/cti/protocol';
export * from './accounts.ts';
export { type CallerContact, callerContactSchema } from './caller.ts';
export * from './calls.ts';
export * from './campaigns.ts';
export * from './directory.ts';
export * from './flows.ts';
export {
  CONTACT_IMPORT_MAX_ROWS,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  PASSWORD_MIN_LENGTH,
} from './limits.ts';
export * from './screen-pop.ts';
export * from './webhooks.ts';
export { isValidKey, isValidPhoneNumber };

// ---------- building blocks ----------

export const phoneNumberSchema = z.string().trim().refine(isValidPhoneNumber, {
  message: 'A number is 1 to 64 digits, with an optional leading + and * or # for feature codes.',
});

export const keySchema = z.string().refine(isValidKey, {
  message: 'Unknown key: use 0-9, *, #, a named key (SPEAKER, MUTE, ...), LINE1-16, SOFT1-4 or MPK1-48.',
});

/** `ip`, `ip:port`, `host:port` or an http(s) URL without path. The CTI client checks it again. */
export const phoneHostSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(
    /^(https?:\/\/)?[A-Za-z0-9.\-[\]:]+\/?$/,
    'An address is an IP or host name, optionally with :port.',
  );

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

// ---------- phones ----------

export const PHONE_STATUSES = [
  'available',
  'busy',
  'ringing',
  'unavailable',
  'offline',
  'unauthorized',
  'unknown',
] as const;
export const phoneStatusSchema = z.enum(PHONE_STATUSES);
export type PhoneStatus = z.infer<typeof phoneStatusSchema>;

/**
 * How LineDeck signs in to a phone: the guide's `passcode` on every request, newer firmware's web
 * `session` login, or `detect` (one passcode try and, only when the answer shows session-only firmware,
 * one login; the stored choice then becomes what worked). docs/phone-setup.md, "Credentials".
 */
export const PHONE_AUTH_CHOICES = ['passcode', 'session', 'detect'] as const;
export const phoneAuthSchema = z.enum(PHONE_AUTH_CHOICES);
export type PhoneAuthChoice = z.infer<typeof phoneAuthSchema>;

export const phoneSchema = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  auth: phoneAuthSchema,
  /** The phone's web account the credential belongs to (`admin` by default). */
  username: z.string(),
  /** Whether an `https://` host's self-signed certificate is accepted (docs/api.md, "Phones"). */
  allowSelfSigned: z.boolean(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  createdAt: z.string(),
  /**
   * Only in `GET /api/phones/:id`: the URL to paste into the phone's Action URL settings (add
   * `?event=<name>` per event) and when the last push from the phone's address arrived.
   */
  actionUrl: z
    .object({
      /** Carries the phone's hook token: pushes to it are trusted events, not only wake-ups. */
      url: z.string(),
      lastReceivedAt: z.string().nullable(),
      /** When the last push with a valid token arrived. */
      lastTrustedAt: z.string().nullable().optional(),
    })
    .optional(),
});
export type Phone = z.infer<typeof phoneSchema>;

export const createPhoneBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  host: phoneHostSchema,
  passcode: z.string().min(1).max(128),
  model: z.string().trim().max(32).optional(),
  /** Accept the phone's self-signed certificate; only used for `https://` hosts. Default false. */
  allowSelfSigned: z.boolean().optional(),
  /** Default `passcode`. The secret stays in `passcode` whatever the scheme. */
  auth: phoneAuthSchema.optional(),
  /** The phone's web account; default `admin`. */
  username: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9._@-]{1,64}$/,
      'A username is 1 to 64 letters, digits, dots, dashes, @ or underscores.',
    )
    .optional(),
});
export type CreatePhoneBody = z.infer<typeof createPhoneBodySchema>;

export const updatePhoneBodySchema = createPhoneBodySchema.partial();
export type UpdatePhoneBody = z.infer<typeof updatePhoneBodySchema>;

/** What a line or call event says about a known caller (docs/api.md, "Contacts"). */

export const lineViewSchema = z.object({
  line: z.number().int(),
  /** A known state (idle, ringing, ...) or the phone's raw text for states this build does not know. */
  state: z.string(),
  known: z.boolean(),
  remoteName: z.string(),
  remoteNumber: z.string(),
  account: z.number().int().nullable(),
  active: z.boolean(),
  conference: z.boolean(),
  /** When this line entered its current state (server clock), for running durations. */
  since: z.string().nullable(),
  /** The contact whose number matches `remoteNumber` (server lookup); absent when none matches. */
  contact: callerContactSchema.nullable().optional(),
});
export type LineView = z.infer<typeof lineViewSchema>;

export const accountViewSchema = z.object({
  id: z.number().int(),
  sipServer: z.string(),
  sipId: z.string(),
  name: z.string(),
  registered: z.boolean(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

/** What the phone said when it refused the credential (wrongN, locked, ...). */
export const authFailureSchema = z.object({
  reason: z.enum(AUTH_FAILURE_REASONS),
  attemptsLeft: z.number().int().optional(),
  lockMinutes: z.number().optional(),
});
export type AuthFailureView = z.infer<typeof authFailureSchema>;

/**
 * `on` is what a push alone can tell ("forward on", no condition, no number); the config API gives the
 * mode and the number.
 */
export const forwardSettingSchema = z.object({
  mode: z.enum([...FORWARD_MODES, 'on']),
  number: z.string(),
});
export type ForwardSettingView = z.infer<typeof forwardSettingSchema>;

export const phoneStateSchema = z.object({
  phoneId: z.string(),
  status: phoneStatusSchema,
  lines: z.array(lineViewSchema),
  accounts: z.array(accountViewSchema),
  /** Time of the last successful poll (ISO), null before the first one. */
  updatedAt: z.string().nullable(),
  /** Do Not Disturb: from the config API (session) or push events; null = unknown. */
  dnd: z.boolean().nullable(),
  /** Call forward: from the config API (session) or push events; null = unknown. */
  forward: forwardSettingSchema.nullable(),
  /** The transfer or conference the server runs on this phone (flows.ts); absent or null when none. */
  flow: callFlowSchema.nullable().optional(),
  error: z.object({ code: z.string(), message: z.string(), auth: authFailureSchema.optional() }).optional(),
});
export type PhoneState = z.infer<typeof phoneStateSchema>;

// ---------- commands ----------

export const makeCallBodySchema = z.strictObject({
  number: phoneNumberSchema,
  /** 0-based account index, as api-make_call takes it. */
  account: z.number().int().min(0).max(15).optional(),
});
export type MakeCallBody = z.infer<typeof makeCallBodySchema>;

export const operationBodySchema = z.strictObject({
  command: z.enum(PHONE_OPERATIONS),
  line: z.number().int().min(1).max(16).optional(),
});
export type OperationBody = z.infer<typeof operationBodySchema>;

export const keysBodySchema = z.strictObject({
  keys: z.array(keySchema).min(1).max(64),
});
export type KeysBody = z.infer<typeof keysBodySchema>;

export const systemBodySchema = z.strictObject({
  request: z.enum(SYS_REQUESTS),
  /** Must equal the phone's name: a reboot or reset is never one stray click. */
  confirm: z.string(),
});
export type SystemBody = z.infer<typeof systemBodySchema>;

/** `PUT /api/phones/:id/dnd`. */
export const dndBodySchema = z.strictObject({ on: z.boolean() });
export type DndBody = z.infer<typeof dndBodySchema>;

/** `PUT /api/phones/:id/forward`: a number is required unless the mode is `off`. */
export const forwardBodySchema = z
  .strictObject({ mode: z.enum(FORWARD_MODES), number: phoneNumberSchema.optional() })
  .refine((b) => b.mode === 'off' || b.number !== undefined, {
    message: 'Forwarding needs a number to forward to.',
    path: ['number'],
  });
export type ForwardBody = z.infer<typeof forwardBodySchema>;

export const commandResultSchema = z.object({
  ok: z.literal(true),
  /** The phone's own answer body. */
  body: z.unknown(),
  /** For calls: whether line status showed the call starting within 3 s. */
  confirmed: z.boolean().optional(),
  /**
   * True when this answer was shared with an identical command (or one with the same Idempotency-Key)
   * sent less than 1.5 s before.
   */
  deduplicated: z.boolean().optional(),
});
export type CommandResult = z.infer<typeof commandResultSchema>;

export const diagnosisCheckSchema = z.object({
  id: z.enum(['reachable', 'passcode', 'cti_enabled', 'model', 'click_to_dial']),
  label: z.string(),
  ok: z.boolean().nullable(),
  advice: z.string().optional(),
});
export const diagnosisSchema = z.object({
  ok: z.boolean(),
  checks: z.array(diagnosisCheckSchema),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  /** The scheme that worked (after `detect`, the detected one). */
  auth: z.enum(['passcode', 'session']).optional(),
  /** One-click fixes the test found applicable (session phones: Click-To-Dial off). */
  fixes: z.array(z.enum(['enable_click_to_dial'])).optional(),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;

// ---------- events (SSE) ----------

export const CALL_EVENT_KINDS = [
  'ringing',
  'answered',
  'held',
  'resumed',
  'ended',
  'missed',
  'dialing',
] as const;
export const callEventSchema = z.object({
  phoneId: z.string(),
  line: z.number().int(),
  kind: z.enum(CALL_EVENT_KINDS),
  remoteName: z.string(),
  remoteNumber: z.string(),
  at: z.string(),
  /** As on `LineView`: the matching contact, absent when none. */
  contact: callerContactSchema.nullable().optional(),
  /** The line's account as the phone reported it; absent when it said none (pushes never say). */
  account: z.number().int().nullable().optional(),
  /**
   * On `ended` and `missed`: the state the line showed last for this call (`failed`, `busy`,
   * `connected`...), so the journal can tell a failed call from one that was ended.
   */
  endedIn: z.string().optional(),
  /** On a pushed `missed` that never rang: the phone turned the caller away (Do Not Disturb was on). */
  turnedAway: z.enum(CALL_TURNED_AWAY_REASONS).optional(),
});
export type CallEvent = z.infer<typeof callEventSchema>;

// ---------- contacts ----------

/**
 * A contact's number as pasted (`030/1234567 x12`, `tel:+49...`, `1-800-FLOWERS`): read by `readNumber`
 * (numbers.ts) into what the phone dials and an extension sent as tones once the call is up.
 */
export const contactNumberSchema = z.string().transform((s, ctx) => {
  const read = readNumber(s);
  if (read.ok) return { number: read.number, extension: read.extension };
  ctx.addIssue({ code: 'custom', message: read.reason });
  return z.NEVER;
});

/** Optional text: trimmed, and empty means none (null). */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .optional()
    .transform((s) => (s === undefined ? undefined : s || null));

const contactNameSchema = z.string().trim().min(1, 'A contact needs a name.').max(120);
const contactEmailSchema = optionalText(200).refine((s) => !s || /^[^\s@]+@[^\s@]+$/.test(s), {
  message: 'An email address looks like name@example.com.',
});

export const CONTACT_MAX_OTHER_NUMBERS = 10;
const otherNumbersSchema = z
  .array(z.strictObject({ label: optionalText(40), number: contactNumberSchema }))
  .max(CONTACT_MAX_OTHER_NUMBERS);

/** One number of a contact: as dialled, its E.164 form when it is a public number, and an extension. */
export const contactNumberViewSchema = z.object({
  label: z.string().nullable(),
  number: z.string(),
  e164: z.string().nullable(),
  extension: z.string().nullable(),
});
export type ContactNumber = z.infer<typeof contactNumberViewSchema>;

export const contactSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  /** The main number as dialled (digits, a leading +, * and #). */
  number: z.string(),
  /** `number` in E.164 under the server's default country; null for extensions and feature codes. */
  e164: z.string().nullable(),
  /** Digits sent as tones once a call to `number` is up; null for none. */
  extension: z.string().nullable(),
  otherNumbers: z.array(contactNumberViewSchema),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** 'directory': read from LDAP / Active Directory, read-only; absent or 'linedeck': LineDeck's own. */
  source: contactSourceSchema.optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const createContactBodySchema = z.strictObject({
  name: contactNameSchema,
  number: contactNumberSchema,
  company: optionalText(120),
  email: contactEmailSchema,
  notes: optionalText(1000),
  otherNumbers: otherNumbersSchema.optional(),
});
export type CreateContactBody = z.input<typeof createContactBodySchema>;

export const updateContactBodySchema = z.strictObject({
  name: contactNameSchema.optional(),
  number: contactNumberSchema.optional(),
  company: optionalText(120),
  email: contactEmailSchema,
  notes: optionalText(1000),
  otherNumbers: otherNumbersSchema.optional(),
});
export type UpdateContactBody = z.input<typeof updateContactBodySchema>;

/** `GET /api/contacts?q=&limit=&offset=`: one page, and how many match in all. */
export const contactPageSchema = z.object({ contacts: z.array(contactSchema), total: z.number().int() });
export type ContactPage = z.infer<typeof contactPageSchema>;

/** One row of a mapped import (the web maps CSV columns or vCard cards to these); `row` is its source line. */
export const importRowSchema = z.strictObject({
  row: z.number().int().min(1),
  name: z.string().max(1000),
  number: z.string().max(1000),
  company: z.string().max(1000).optional(),
  email: z.string().max(1000).optional(),
  notes: z.string().max(5000).optional(),
  otherNumbers: z
    .array(z.strictObject({ label: z.string().max(100).nullable().optional(), number: z.string().max(1000) }))
    .max(CONTACT_MAX_OTHER_NUMBERS)
    .optional(),
});
export type ImportRow = z.infer<typeof importRowSchema>;

/**
 * `POST /api/contacts/import`: either CSV text with a header `name,number[,company][,email][,notes]`
 * (any order), or mapped rows. `dryRun` checks and reports every row without adding any;
 * `skipDuplicates` (default true) skips rows whose number already is a contact's or a row's above.
 */
export const importContactsBodySchema = z.union([
  z.strictObject({
    csv: z
      .string()
      .min(1)
      .max(512 * 1024),
    dryRun: z.boolean().optional(),
    skipDuplicates: z.boolean().optional(),
  }),
  z.strictObject({
    contacts: z.array(importRowSchema).min(1).max(CONTACT_IMPORT_MAX_ROWS),
    dryRun: z.boolean().optional(),
    skipDuplicates: z.boolean().optional(),
  }),
]);
export type ImportContactsBody = z.input<typeof importContactsBodySchema>;

export const importRowOutcomeSchema = z.object({
  row: z.number().int(),
  outcome: z.enum(['new', 'duplicate', 'invalid']),
  /** For a duplicate: the contact (or the earlier row, with id null) that has the same number. */
  duplicateOf: z.object({ id: z.string().nullable(), name: z.string() }).optional(),
  message: z.string().optional(),
});
export type ImportRowOutcome = z.infer<typeof importRowOutcomeSchema>;

export const importResultSchema = z.object({
  /** Added (0 in a dry run). */
  imported: z.number().int(),
  /** Rows whose number already is a contact (or repeats a row above): skipped, so a second import is harmless. */
  duplicates: z.number().int(),
  /** Invalid rows, skipped; `row` is the CSV line's number (the header is row 1). */
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
  /** Every row's outcome, in order. */
  rows: z.array(importRowOutcomeSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** `GET /api/settings/public`: what every signed-in page needs to read numbers as the server does. */
export const publicSettingsSchema = z.object({
  /** DEFAULT_COUNTRY (ISO 3166, e.g. `DE`): national numbers are read in it; null when not set. */
  defaultCountry: z.string().nullable(),
});
export type PublicSettings = z.infer<typeof publicSettingsSchema>;

// ---------- errors ----------

export const API_ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'confirmation_mismatch',
  'rejected',
  'phone_auth_failed',
  'not_available',
  'not_applied',
  'unreachable',
  'http_status',
  'malformed',
  'timeout',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    phoneId: z.string().optional(),
    /** Field-by-field problems for invalid_input. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

// ---------- sessions and users ----------

export const signInBodySchema = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  /** Phones this user may control (operators: none when empty) or see (viewers: all when empty). */
  phoneIds: z.array(z.string()),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** `POST /api/session` and `GET /api/session` answer this. */
export const sessionSchema = z.object({ user: sessionUserSchema });
export type Session = z.infer<typeof sessionSchema>;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `A password has at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(256);

/** `POST /api/session/password`: the signed-in user changes their own password. */
export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  phoneIds: z.array(z.string()),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9._-]{2,32}$/i, 'A username is 2 to 32 letters, digits, dots, dashes or underscores.');

export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
  phoneIds: z.array(z.string()).max(500).default([]),
});
export const updateUserBodySchema = z.strictObject({
  role: roleSchema.optional(),
  phoneIds: z.array(z.string()).max(500).optional(),
  disabled: z.boolean().optional(),
  /** An admin resets the password; the user must change it at next sign-in. */
  password: passwordSchema.optional(),
});

/** API tokens (for scripts) and display keys (for wall screens): secrets shown once at creation. */

/**
 * Whether a token works now, and if not why: it stops when it expires, or when the user who made it is
 * disabled, deleted (or unknown) or no longer an admin.
 */
export const apiTokenStatusSchema = z.enum([
  'active',
  'expired',
  'creator_disabled',
  'creator_missing',
  'creator_role',
]);
export type ApiTokenStatus = z.infer<typeof apiTokenStatusSchema>;
export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  /** Who made it (`username` null once that user is deleted); null for a token nobody owns (refused). */
  createdBy: z.object({ id: z.string(), username: z.string().nullable() }).nullable(),
  /** Phones it is limited to; null: all phones. */
  phoneIds: z.array(z.string()).nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  status: apiTokenStatusSchema,
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const createApiTokenBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  role: roleSchema,
  /** When it stops working (ISO date-time, in the future); without it, it lasts until revoked. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Limited to these phones, like an operator; without it, all phones. */
  phoneIds: z.array(z.string()).max(500).optional(),
});

export const displayKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  phoneIds: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const createDisplayKeyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  phoneIds: z.array(z.string()).max(500).default([]),
});
/** The answer to creating a token or display key: the only time `secret` is ever sent. */
export const createdSecretSchema = z.object({ id: z.string(), secret: z.string() });

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  address: z.string().nullable(),
  phoneId: z.string().nullable(),
  action: z.string(),
  params: z.record(z.string(), z.unknown()),
  result: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.number().nullable(),
});
