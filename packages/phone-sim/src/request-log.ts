/**
 * Every CTI request the phone saw, for tests and for watching a client's manners (one request at a time,
 * no password loops). Passcodes never reach the log (architecture.md, habit 3). Kept compact in a ring of
 * fixed size and expanded only when read: 500 polled phones must not grow the process.
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

const PASSCODE = /(^|&)passcode=[^&]*/gi;

/** Redacts the passcode of a raw query string, before it is stored anywhere. */
export function redactQuery(query: string): string {
  return query.replace(PASSCODE, `$1passcode=${encodeURIComponent(REDACTED)}`);
}

export function redactParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = key.toLowerCase() === 'passcode' ? REDACTED : value;
  return out;
}

type Row = readonly [
  time: number,
  fn: string,
  query: string,
  status: LogEntry['status'],
  fault: string | undefined,
];

export class RequestLog {
  private rows: (Row | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private readonly max = 500) {
    this.rows = new Array(max);
  }

  add(time: number, fn: string, query: string, status: LogEntry['status'], fault?: string): void {
    this.rows[this.next] = [time, fn, redactQuery(query), status, fault];
    this.next = (this.next + 1) % this.max;
    this.count = Math.min(this.count + 1, this.max);
  }

  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const row = this.rows[(this.next - this.count + i + this.max) % this.max];
      if (!row) continue;
      const [time, fn, query, status, fault] = row;
      const entry: LogEntry = {
        time: new Date(time).toISOString(),
        function: fn,
        params: redactParams(new URLSearchParams(query)),
        status,
      };
      out.push(fault ? { ...entry, fault } : entry);
    }
    return out;
  }

  clear(): void {
    this.rows = new Array(this.max);
    this.next = 0;
    this.count = 0;
  }
}
