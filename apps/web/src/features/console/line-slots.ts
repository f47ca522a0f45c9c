/**
 * Where each line's card sits on the console, so that nothing moves under the pointer. A card gets its
 * place when its line's call starts, after the cards already shown (a new call never pushes an existing
 * card down); when the call ends, the card stays where it was, saying so, as long as the pointer is over
 * the lines (and a moment longer): a double click on End call can then never land on the Reject of the
 * card that would have slid into its place. Once the pointer has left, ended cards fold away.
 */
import type { LineView } from '@linedeck/contract';

/** How long an ended card stays after its call when no pointer holds it (a double click's span and more). */
export const ENDED_LINGER_MS = 1500;

export interface LineSlot {
  line: number;
  /** The line as it was during its last call: what an ended card still shows. */
  last: LineView;
  /** When the call on this line ended (ms, wall clock), while its card lingers; undefined while live. */
  endedAt?: number | undefined;
}

export interface SlotInput {
  lines: readonly LineView[];
  now: number;
  /** The pointer is over the lines: ended cards stay in place. */
  held: boolean;
}

/**
 * The cards to show, in order, from the last ones and the phone's lines now. Pure: the same input gives
 * the same output, so a render done twice agrees with itself.
 */
export function nextSlots(previous: readonly LineSlot[], { lines, now, held }: SlotInput): LineSlot[] {
  const byLine = new Map(lines.map((l) => [l.line, l]));
  const next: LineSlot[] = [];
  for (const slot of previous) {
    const line = byLine.get(slot.line);
    if (line && line.state !== 'idle') {
      next.push({ line: slot.line, last: line });
      continue;
    }
    const endedAt = slot.endedAt ?? now;
    if (held || now - endedAt < ENDED_LINGER_MS) next.push({ ...slot, endedAt });
  }
  const placed = new Set(next.map((s) => s.line));
  // New calls join after the cards on screen, in line order among themselves.
  for (const line of [...lines].sort((a, b) => a.line - b.line)) {
    if (line.state !== 'idle' && !placed.has(line.line)) next.push({ line: line.line, last: line });
  }
  return next;
}

/** The lines without a card: the small idle chips after the cards, in line order. */
export function idleLines(lines: readonly LineView[], slots: readonly LineSlot[]): LineView[] {
  const carded = new Set(slots.map((s) => s.line));
  return lines.filter((l) => !carded.has(l.line)).sort((a, b) => a.line - b.line);
}

/** When the next ended card folds away if the pointer stays out (ms from `now`), or undefined for none. */
export function nextFoldInMs(slots: readonly LineSlot[], now: number): number | undefined {
  const ends = slots.flatMap((s) => (s.endedAt === undefined ? [] : [s.endedAt + ENDED_LINGER_MS - now]));
  return ends.length === 0 ? undefined : Math.max(0, Math.min(...ends));
}
