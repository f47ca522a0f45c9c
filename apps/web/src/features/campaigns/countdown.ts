/**
 * The automatic dial's countdown as the console shows it: whole seconds left until `dueAt` (the
 * server's time, corrected by how far its clock is from this one), never below zero.
 */
export function secondsLeft(dueAt: string | null | undefined, now: number, skewMs = 0): number | undefined {
  if (!dueAt) return undefined;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return undefined;
  return Math.max(0, Math.ceil((due - skewMs - now) / 1000));
}
