/**
 * Exponential backoff for an unreachable phone: base, 2x, 4x ... capped (30 s
 * in production). Pure, so the schedule is tested without waiting.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Delay before the next poll after `failures` consecutive failures (0 = healthy: the normal interval). */
export function backoffDelay(failures: number, { baseMs, maxMs }: BackoffOptions): number {
  if (failures <= 0) return baseMs;
  // 2 ** 30 is far past any cap; clamping the exponent keeps the number finite.
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
}
