/**
 * A phone's credential as one value: the scheme it is used with, the account name and the secret. The
 * transport takes an auth strategy built from it (auth/passcode.ts, auth/session.ts), the way python-kasa
 * keeps one transport per scheme, so no layer above the client ever handles a passcode by itself.
 * Browser-safe (no node imports): the contract and the web app read the scheme names from here.
 */

/**
 * `passcode`: the guide's `passcode=` query parameter on every `api-*` request.
 * `session`: newer firmware's web login (`access` → nonce, `dologin` → `sid`), field notes "Session login".
 */
export const AUTH_SCHEMES = ['passcode', 'session'] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export interface Credential {
  readonly scheme: AuthScheme;
  /** The phone's web account (`admin` or `user`); the passcode scheme does not send it. */
  readonly username: string;
  readonly secret: string;
}

export const DEFAULT_USERNAME = 'admin';
