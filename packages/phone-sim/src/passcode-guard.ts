/**
 * Passcode checking with the lockout of newer firmware (field notes, "Enabling and access"): 5 wrong
 * passcodes in a row lock CTI for a while, a right one resets the count. Time is passed in, no timers:
 * an idle phone costs nothing.
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
    if (now < this.lockedUntil) return 'locked';
    if (this.lockedUntil !== 0) {
      this.lockedUntil = 0;
      this.failures = 0;
    }
    // The admin passcode wins when both are the same: it may do more.
    const role = passcode === this.adminPasscode ? 'admin' : passcode === this.userPasscode ? 'user' : null;
    if (passcode !== null && passcode !== '' && role) {
      this.failures = 0;
      return role;
    }
    this.failures++;
    if (this.failures >= MAX_FAILURES) this.lockedUntil = now + this.lockoutMs;
    return 'denied';
  }

  get state(): { failures: number; lockedUntil: number } {
    return { failures: this.failures, lockedUntil: this.lockedUntil };
  }

  reset(): void {
    this.failures = 0;
    this.lockedUntil = 0;
  }
}
