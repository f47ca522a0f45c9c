/**
 * Passcode checking with the lockout of newer firmware (field notes, "Enabling and access"): 5 wrong
 * passcodes in a row lock CTI for a while, a right one resets the count. Time is passed in, no timers:
 * an idle phone costs nothing. Session logins (dologin) count towards the same lockout.
 */
export type PasscodeVerdict = 'admin' | 'user' | 'denied' | 'locked';

export const MAX_FAILURES = 5;

export class PasscodeGuard {
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    public adminPasscode: string,
    public userPasscode: string,
    public lockoutMs: number,
  ) {}

  check(passcode: string | null, now: number): PasscodeVerdict {
    // The admin passcode wins when both are the same: it may do more.
    const role = passcode === this.adminPasscode ? 'admin' : passcode === this.userPasscode ? 'user' : null;
    const verdict = this.attempt(Boolean(passcode) && role !== null, now);
    return verdict === 'ok' ? (role ?? 'denied') : verdict;
  }

  /** Counts one attempt whose outcome the caller decided (dologin compares hashes, not passcodes). */
  attempt(right: boolean, now: number): 'ok' | 'denied' | 'locked' {
    if (this.isLocked(now)) return 'locked';
    if (this.lockedUntil !== 0) {
      this.lockedUntil = 0;
      this.failures = 0;
    }
    if (right) {
      this.failures = 0;
      return 'ok';
    }
    this.failures++;
    if (this.failures >= MAX_FAILURES) this.lockedUntil = now + this.lockoutMs;
    return 'denied';
  }

  isLocked(now: number): boolean {
    return now < this.lockedUntil;
  }

  /** Attempts left before the lock, as `wrongN` reports them. */
  get attemptsLeft(): number {
    return Math.max(0, MAX_FAILURES - this.failures);
  }

  /** Minutes the lock still lasts, rounded up and at least 1, as `lockTime` reports them. */
  lockMinutesLeft(now: number): number {
    return Math.max(1, Math.ceil((this.lockedUntil - now) / 60_000));
  }

  get state(): { failures: number; lockedUntil: number } {
    return { failures: this.failures, lockedUntil: this.lockedUntil };
  }

  reset(): void {
    this.failures = 0;
    this.lockedUntil = 0;
  }
}

/**
 * The answer body of a refused passcode on wrongN firmware, after the attempt was counted: `wrongN`
 * with the attempts left, or `locked` with the minutes left once the lock is on (the 5th failure included).
 */
export function wrongPasscodeAnswer(
  guard: PasscodeGuard,
  now: number,
): { body: string; extra?: { lockTime: number } } {
  if (guard.isLocked(now)) return { body: 'locked', extra: { lockTime: guard.lockMinutesLeft(now) } };
  return { body: `wrong${guard.attemptsLeft}` };
}
