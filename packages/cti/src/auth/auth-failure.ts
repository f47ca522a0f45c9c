/**
 * What a phone said when it refused a credential (field notes, "Authentication answers"). Every one of
 * these must stop the caller from sending the same credential again: newer firmware locks the account
 * after 5 failures. Browser-safe: the web app words the same facts with `describeAuthFailure`.
 */
export const AUTH_FAILURE_REASONS = [
  /** `wrongN`: the password is wrong; N attempts are left before the lockout. */
  'wrong_credential',
  /** `locked` (with `lockTime`): too many failures, the account is locked for a while. */
  'locked',
  /** `user is not allow`: this account may not use the web/API. */
  'not_allowed',
  /** `{"status":"session-expired"}` or a 401 to a sid: the web session ended. */
  'session_expired',
  /** HTTP 401/403 without more detail: wrong passcode, or this client's address is not allowed. */
  'refused',
  /** Phone status `unauthorized`. */
  'unauthorized',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

export interface AuthFailure {
  reason: AuthFailureReason;
  /** From `wrongN`: attempts left before the phone locks the account. */
  attemptsLeft?: number;
  /** From `locked` + `lockTime`: minutes, as clients read it. */
  lockMinutes?: number;
}

/** "wrong password, 4 attempts left", "locked for 5 minutes": what the phone said, in a person's words. */
export function describeAuthFailure(failure: AuthFailure): string {
  switch (failure.reason) {
    case 'wrong_credential': {
      const n = failure.attemptsLeft;
      if (n === undefined) return 'wrong password';
      return `wrong password, ${n} attempt${n === 1 ? '' : 's'} left`;
    }
    case 'locked': {
      const m = failure.lockMinutes;
      return m === undefined
        ? 'locked after too many wrong passwords'
        : `locked for ${m} minute${m === 1 ? '' : 's'}`;
    }
    case 'not_allowed':
      return 'this account may not use the web API';
    case 'session_expired':
      return 'web session ended';
    case 'unauthorized':
      return 'the phone says this client is unauthorized';
    default:
      return 'password refused, or this server is not in the allowed IP list';
  }
}
