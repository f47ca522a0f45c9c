/**
 * The pop-up confirmation of "Remote Control Pop up Window Support": each command waits until the person at
 * the phone confirms it (here: the control API) or the pop-up times out. One pop-up per command, confirmed
 * oldest first. The timer exists only while a command waits.
 */
interface Pending {
  resolve: (ok: boolean) => void;
  timer: NodeJS.Timeout;
}

export class ConfirmQueue {
  private pending: Pending[] = [];

  constructor(public timeoutMs: number) {}

  get size(): number {
    return this.pending.length;
  }

  wait(): Promise<boolean> {
    return new Promise((resolve) => {
      const entry: Pending = {
        resolve,
        timer: setTimeout(() => this.settle(entry, false), this.timeoutMs),
      };
      this.pending.push(entry);
    });
  }

  /** Confirms (or declines) the oldest waiting command; false when none waits. */
  answer(accept: boolean): boolean {
    const entry = this.pending[0];
    if (!entry) return false;
    this.settle(entry, accept);
    return true;
  }

  /** Fails every waiting command (reboot, close). */
  clear(): void {
    for (const entry of [...this.pending]) this.settle(entry, false);
  }

  private settle(entry: Pending, ok: boolean): void {
    clearTimeout(entry.timer);
    this.pending = this.pending.filter((p) => p !== entry);
    entry.resolve(ok);
  }
}
