/**
 * When a poll also reads the phone status word (`api-get_phone_status`). The lines are read on every
 * poll and say all a call can say: a ringing line is `ringing`, any call is `busy` (state-mapping.ts,
 * deriveStatus, lets the lines win). The word adds only what lines cannot show: registration
 * (`available` / `unavailable`) and `unauthorized`. So it is read when it may have changed:
 * - the lines changed since the last poll (a call ended: registered or not?), in the same poll;
 * - something woke the poller (a command, an Action URL push such as `unregistered`) or a poll failed;
 * - `every` polls went by without a read (a registration lost while nothing else happened).
 * A refused credential needs no word: the line-status request carries the same one and its auth answer
 * stops the poller at once.
 */
import type { Line } from '@linedeck/cti';

type LineSeen = Pick<Line, 'line' | 'state' | 'rawState'>;

export class PhoneStatusCadence {
  private previous: readonly LineSeen[] | undefined;
  private changed = true;
  private pollsSinceRead = 0;
  /** Bumped by invalidate(); a read counts only for what was known when it was decided. */
  private generation = 0;
  private readGeneration = -1;
  private decidedGeneration = -1;

  constructor(private readonly every: number) {}

  /** The word may be stale: the next poll reads it. */
  invalidate(): void {
    this.generation++;
  }

  /** Whether this poll, which just read `lines`, should read the word too. */
  due(lines: readonly LineSeen[]): boolean {
    this.decidedGeneration = this.generation;
    this.changed = linesChanged(this.previous, lines);
    return this.changed || this.readGeneration !== this.generation || this.pollsSinceRead + 1 >= this.every;
  }

  /** A poll succeeded with these lines; `wordRead`: it read the word as well. */
  read(lines: readonly LineSeen[], wordRead: boolean): void {
    // The lines of a quiet phone stay the ones first seen: nothing new is kept alive poll after poll.
    if (this.changed || linesChanged(this.previous, lines)) this.previous = lines;
    if (wordRead) {
      this.pollsSinceRead = 0;
      this.readGeneration = this.decidedGeneration;
    } else {
      this.pollsSinceRead++;
    }
  }
}

function linesChanged(before: readonly LineSeen[] | undefined, after: readonly LineSeen[]): boolean {
  if (!before || before.length !== after.length) return true;
  for (let i = 0; i < after.length; i++) {
    const a = before[i] as LineSeen;
    const b = after[i] as LineSeen;
    if (a.line !== b.line || a.state !== b.state || a.rawState !== b.rawState) return true;
  }
  return false;
}
