/**
 * Reading a directory over LDAP (ldapts): bind with the configured DN, then page through the search so
 * a large Active Directory (which caps one answer at 1000 entries) is read whole, up to MAX_ENTRIES.
 * Failures become a DirectoryError whose reason and words a person can act on; the password never
 * appears in them.
 */
import type { DirectoryTestResult } from '@linedeck/contract';
import {
  Client,
  InvalidCredentialsError,
  InvalidDNSyntaxError,
  NoSuchObjectError,
  SizeLimitExceededError,
} from 'ldapts';
import type { DirectoryConfig } from './directory-repository.ts';

/** One entry: its DN and each requested attribute's values as text. */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

export type DirectoryFailure = NonNullable<DirectoryTestResult['reason']>;

export class DirectoryError extends Error {
  constructor(
    readonly reason: DirectoryFailure,
    message: string,
  ) {
    super(message);
  }
}

/** More than any office directory LineDeck is for; a bigger one needs a narrower filter. */
export const MAX_ENTRIES = 20_000;
const PAGE_SIZE = 500;
const TIMEOUT_MS = 10_000;

type Connection = Pick<
  DirectoryConfig,
  'url' | 'bindDn' | 'password' | 'caCertificate' | 'baseDn' | 'filter' | 'mapping'
>;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EAI_AGAIN',
]);

/** Node's words for a certificate it does not trust (tls.connect), as opposed to a network failure. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function explain(err: unknown, c: Connection): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const text = err instanceof Error ? err.message : String(err);
  if (code && CERTIFICATE_CODES.has(code)) {
    const advice = c.caCertificate
      ? 'The CA certificate given did not sign it, or the certificate is not for this host or out of date.'
      : 'For a directory signed by your own CA, paste that CA certificate under "CA certificate".';
    return new DirectoryError(
      'untrusted_certificate',
      `The directory at ${c.url} showed a certificate LineDeck does not trust (${text}). ${advice}`,
    );
  }
  if (err instanceof InvalidCredentialsError)
    return new DirectoryError(
      'bad_credentials',
      `The directory refused the bind DN or password (${c.bindDn || 'anonymous'}).`,
    );
  if (err instanceof NoSuchObjectError || err instanceof InvalidDNSyntaxError)
    return new DirectoryError('bad_base', `The base DN ${c.baseDn} does not exist on the directory.`);
  if ((code && NETWORK_CODES.has(code)) || /timed? ?out|connect/i.test(text))
    return new DirectoryError(
      'unreachable',
      `The directory at ${c.url} cannot be reached (${code ?? text}).`,
    );
  if (/filter/i.test(text))
    return new DirectoryError('bad_filter', `The filter is not valid LDAP: ${c.filter}`);
  return new DirectoryError('failed', `The directory answered an error: ${text}`);
}

/** Binds, runs `work`, unbinds (even after an error). */
async function withClient<T>(c: Connection, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({
    url: c.url,
    timeout: TIMEOUT_MS,
    connectTimeout: TIMEOUT_MS,
    // The given CA replaces the system's for this directory: an office CA signs the office's directory.
    ...(c.caCertificate ? { tlsOptions: { ca: c.caCertificate } } : {}),
  });
  try {
    if (c.bindDn) await client.bind(c.bindDn, c.password ?? '');
    return await work(client);
  } catch (err) {
    throw explain(err, c);
  } finally {
    await client.unbind().catch(() => {});
  }
}

const text = (v: Buffer | Buffer[] | string[] | string): string[] =>
  (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : x));

/** Every entry the filter finds under the base, with the mapped attributes only. */
export function readEntries(c: Connection): Promise<LdapEntry[]> {
  const attributes = [...new Set([...c.mapping.name, ...c.mapping.company, ...c.mapping.numbers])];
  return withClient(c, async (client) => {
    const entries: LdapEntry[] = [];
    const pages = client.searchPaginated(c.baseDn, {
      scope: 'sub',
      filter: c.filter,
      attributes,
      sizeLimit: MAX_ENTRIES,
      paged: { pageSize: PAGE_SIZE },
    });
    try {
      for await (const page of pages) {
        for (const e of page.searchEntries) {
          const attrs: Record<string, string[]> = {};
          // LDAP attribute names are case-insensitive: the mapping's spelling may differ from the server's.
          for (const [k, v] of Object.entries(e)) if (k !== 'dn') attrs[k.toLowerCase()] = text(v);
          entries.push({ dn: e.dn, attributes: attrs });
        }
      }
    } catch (err) {
      // The server's own size limit: keep what came, as a cap rather than a failure.
      if (!(err instanceof SizeLimitExceededError)) throw err;
    }
    return entries;
  });
}

/** "Test connection": bind and count what the filter finds, without keeping anything. */
export async function testConnection(c: Connection): Promise<DirectoryTestResult> {
  try {
    const count = (await readEntries(c)).length;
    return { ok: true, count, reason: null, message: `Connected: ${count} entries match the filter.` };
  } catch (err) {
    const e = explain(err, c);
    return { ok: false, count: null, reason: e.reason, message: e.message };
  }
}
