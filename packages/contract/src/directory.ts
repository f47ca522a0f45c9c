/**
 * Directories: contacts read from an LDAP or Active Directory server (docs/integrations.md,
 * "Directories"). Admins edit the settings; the bind password goes in and never comes back out.
 */
import { z } from 'zod';
import { DIRECTORY_DEFAULT_FILTER, DIRECTORY_DEFAULT_MAPPING } from './vocabulary.ts';

export { DIRECTORY_DEFAULT_FILTER, DIRECTORY_DEFAULT_MAPPING } from './vocabulary.ts';

/** Where a contact comes from: LineDeck's own (editable) or a directory (read-only). */
export const contactSourceSchema = z.enum(['linedeck', 'directory']);
export type ContactSource = z.infer<typeof contactSourceSchema>;

const attributeName = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'An attribute name is letters, digits and hyphens.');
const attributeList = z.array(attributeName).min(1).max(10);

/** Which attributes fill a contact: the first one present wins for name and company; every number counts. */
export const directoryMappingSchema = z.strictObject({
  name: attributeList,
  company: z.array(attributeName).max(10),
  numbers: attributeList,
});
export type DirectoryMapping = z.infer<typeof directoryMappingSchema>;

const ldapUrl = z
  .string()
  .trim()
  .max(300)
  .refine((s) => /^ldaps?:\/\/[^\s/]+\/?$/i.test(s), 'The URL is ldap://host[:port] or ldaps://host[:port].');

const PEM_CERTIFICATE =
  /^(-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*)+$/;

/**
 * The CA certificate(s) an `ldaps://` directory's certificate is checked against, as PEM: for a directory
 * signed by the office's own CA (Active Directory Certificate Services). Empty or null: the system's CAs.
 * The server also parses each certificate; the form's check is for words a person can act on.
 */
const caCertificate = z
  .string()
  .trim()
  .max(50_000)
  .refine(
    (s) => s === '' || PEM_CERTIFICATE.test(s),
    'Paste the CA certificate as PEM: -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----.',
  )
  .transform((s) => (s === '' ? null : s))
  .nullable()
  .default(null);

/** The settings as answered: never the password, only whether one is stored. */
export const directorySettingsSchema = z.object({
  enabled: z.boolean(),
  url: z.string(),
  bindDn: z.string(),
  hasPassword: z.boolean(),
  /** PEM; a certificate is public, so it is answered as stored. */
  caCertificate: z.string().nullable(),
  baseDn: z.string(),
  filter: z.string(),
  mapping: directoryMappingSchema,
  refreshMinutes: z.number().int(),
});
export type DirectorySettings = z.infer<typeof directorySettingsSchema>;

/**
 * `PUT /api/directory`: the whole settings. `password` absent keeps the stored one (while the URL's host
 * stays the same: a stored password goes only to the directory it was typed for), null forgets it.
 * `POST /api/directory/test` takes the same body (unsaved settings) or none (the stored ones).
 */
export const directorySettingsBodySchema = z.strictObject({
  enabled: z.boolean(),
  url: ldapUrl,
  bindDn: z.string().trim().max(500),
  password: z.string().max(500).nullable().optional(),
  caCertificate,
  baseDn: z.string().trim().min(1, 'A base DN is needed (dc=example,dc=com).').max(500),
  filter: z
    .string()
    .trim()
    .max(500)
    .default(DIRECTORY_DEFAULT_FILTER)
    .refine((s) => s.startsWith('(') && s.endsWith(')'), 'An LDAP filter is in parentheses.'),
  mapping: directoryMappingSchema.default({
    name: [...DIRECTORY_DEFAULT_MAPPING.name],
    company: [...DIRECTORY_DEFAULT_MAPPING.company],
    numbers: [...DIRECTORY_DEFAULT_MAPPING.numbers],
  }),
  refreshMinutes: z.number().int().min(1).max(1440).default(15),
});
export type DirectorySettingsBody = z.input<typeof directorySettingsBodySchema>;

export const directoryStatusSchema = z.object({
  /** When the last refresh finished well; null before the first. */
  lastRefreshAt: z.string().nullable(),
  /** Contacts in the cache (entries with a name and at least one number). */
  count: z.number().int(),
  /** Why the last refresh failed; null when it worked. */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;

/** `GET`/`PUT /api/directory`, `POST /api/directory/refresh`. Settings are null until first saved. */
export const directoryViewSchema = z.object({
  settings: directorySettingsSchema.nullable(),
  status: directoryStatusSchema,
});
export type DirectoryView = z.infer<typeof directoryViewSchema>;

/** `POST /api/directory/test`: bind and count; `reason` says what went wrong in words a person can act on. */
export const directoryTestResultSchema = z.object({
  ok: z.boolean(),
  /** Entries the filter finds under the base (at most the size limit). */
  count: z.number().int().nullable(),
  reason: z
    .enum(['unreachable', 'untrusted_certificate', 'bad_credentials', 'bad_base', 'bad_filter', 'failed'])
    .nullable(),
  message: z.string(),
});
export type DirectoryTestResult = z.infer<typeof directoryTestResultSchema>;
