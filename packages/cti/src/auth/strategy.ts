/**
 * One auth strategy per scheme, the way python-kasa keeps one transport and swaps the protocol: the
 * client builds every request without knowing the credential, and the strategy adds what authenticates
 * it (`passcode=`, or the sid with its cookie and headers) and decides what an expired session means.
 */
import type { AuthScheme } from './credential.ts';

/** What authenticates one request: query/form parameters and headers. */
export interface Authorization {
  params: Record<string, string>;
  headers: Record<string, string>;
  /** The request carries a session id (a 401 then means "session ended"). */
  sentSid: boolean;
}

export interface PhoneInfo {
  firmware: string | null;
  mac: string | null;
}

export interface AuthStrategy {
  readonly scheme: AuthScheme;
  /**
   * Runs one exchange with this credential. The session strategy logs in first when needed and, when the
   * exchange reports an expired session, logs in once more and runs it once more: never a loop.
   */
  run<T>(exchange: (auth: Authorization) => Promise<T>): Promise<T>;
  /** The authorization for a request sent by someone else (the raw passthrough); logs in when needed. */
  authorize(): Promise<Authorization>;
  /**
   * An answer read elsewhere said the session ended: forget it (the one `auth` carried, else the
   * current one), so the next request logs in once.
   */
  sessionEnded(auth?: Authorization): void;
  info(): PhoneInfo;
  /** Everything secret right now (redacted from error causes). */
  secrets(): readonly string[];
  close(): Promise<void>;
}
