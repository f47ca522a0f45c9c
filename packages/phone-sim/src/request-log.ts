/**
 * Every CTI request the phone saw, for tests and for watching a client's manners (one request at a time,
 * no password loops, how often a client logs in). Secrets never reach the log (architecture.md, habit 3):
 * passcodes, login password hashes and sids are redacted before storing. Kept compact in a ring of fixed
 * size and expanded only when read: 500 polled phones must not grow the process.
 */
export interface LogEntry {
  readonly time: string;
  readonly function: string;
  readonly params: Record<string, string>;
  /** HTTP status sent, or what happened instead: `reset`, `hang`. */
  readonly status: number | 'reset' | 'hang';
  readonly fault?: string;
  /** Only when not GET (the session firmware's POST and PUT). */
  readonly method?: string;
}

export const REDACTED = '[REDACTED]';

const SECRET = /(^|&)(passcode|password|sid)=[^&]*/gi;
const SECRET_KEYS = new Set(['passcode', 'password', 'sid']);
/** A logged query is for reading, not a copy of a 64 kB form. */
const MAX_LOGGED_QUERY = 2048;

/** Redacts the secrets of a raw query string (or form body), before it is stored anywhere. */
export function redactQuery(query: string): string {
  return query.replace(SECRET, `$1$2=${encodeURIComponent(REDACTED)}`).slice(0, MAX_LOGGED_QUERY);
}

export function redactParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : value;
  return out;
}

type Row = readonly [
  time: number,
  fn: string,
  query: string,
  status: LogEntry['status'],
  fault: string | undefined,
  method: string,
];

export class RequestLog {
  private rows: (Row | undefined)[];
  private next = 0;
  private count = 0;

  constructor(private readonly max = 500) {
    this.rows = new Array(max);
  }

  add(
    time: number,
    fn: string,
    query: string,
    status: LogEntry['status'],
    fault?: string,
    method = 'GET',
  ): void {
    this.rows[this.next] = [time, fn, redactQuery(query), status, fault, method];
    this.next = (this.next + 1) % this.max;
    this.count = Math.min(this.count + 1, this.max);
  }

  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const row = this.rows[(this.next - this.count + i + this.max) % this.max];
      if (!row) continue;
      const [time, fn, query, status, fault, method] = row;
      const entry: LogEntry = {
        time: new Date(time).toISOString(),
        function: fn,
        params: redactParams(new URLSearchParams(query)),
        status,
        ...(fault ? { fault } : {}),
        ...(method !== 'GET' ? { method } : {}),
      };
      out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.rows = new Array(this.max);
    this.next = 0;
    this.count = 0;
  }
}
