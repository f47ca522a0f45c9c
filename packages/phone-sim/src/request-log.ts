/**
 * Every CTI request the phone saw, for tests and for watching a client's manners (one request at a time,
 * no password loops). Passcodes never reach the log (architecture.md, habit 3). Bounded: a long
 * benchmark must not grow memory.
 */
export interface LogEntry {
  readonly time: string;
  readonly function: string;
  readonly params: Record<string, string>;
  /** HTTP status sent, or what happened instead: `reset`, `hang`. */
  readonly status: number | 'reset' | 'hang';
  readonly fault?: string;
}

export const REDACTED = '[REDACTED]';

export function redactParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = key.toLowerCase() === 'passcode' ? REDACTED : value;
  return out;
}

export class RequestLog {
  private items: LogEntry[] = [];

  constructor(private readonly max = 1000) {}

  add(entry: LogEntry): void {
    this.items.push(entry);
    // Trim in batches so adding stays O(1) amortized.
    if (this.items.length > this.max * 2) this.items = this.items.slice(-this.max);
  }

  entries(): LogEntry[] {
    return this.items.slice(-this.max);
  }

  clear(): void {
    this.items = [];
  }
}
