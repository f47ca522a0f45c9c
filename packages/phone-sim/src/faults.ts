/**
 * Faults a test or a demo injects into a phone's CTI answers (never into the control API, which must keep
 * working to clear them). Each fault is one-shot (`times`) or stays until cleared. Per request the delays
 * of all matching faults add up and the first other fault decides the outcome:
 * - `delay`: answers after `ms` (the request is then handled normally);
 * - `hang`: never answers; the socket stays open until the client gives up or the phone closes;
 * - `http500`: HTTP 500 HTML page, the command does not run;
 * - `truncated`: the command runs, the JSON answer is cut in half;
 * - `html`: HTTP 200 with an HTML page instead of JSON, the command does not run;
 * - `reset`: the socket is destroyed without an answer (the client sees ECONNRESET);
 * - `endless`: HTTP 200 whose body never ends (the command does not run), for a client's answer size
 *   cap; writing stops when the client closes;
 * - `echo`: the phone (or something posing as one) echoes the request's values (its passcode, sid, every
 *   parameter, the cookie) back: line status names every line's caller after them, other reads answer
 *   as usual, a command answers `{"response":"error","body":"<values>"}` and does not run; logins and
 *   the config API are not echoed. A client must scrub its secrets;
 * - `down`: the phone closes its listening socket and drops open connections for `ms`, so clients get
 *   ECONNREFUSED, as from a phone that is off or rebooting; it applies at once, `times` does not apply.
 */
export const FAULT_KINDS = [
  'delay',
  'hang',
  'http500',
  'truncated',
  'html',
  'reset',
  'endless',
  'echo',
  'down',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type OutcomeFault = Exclude<FaultKind, 'delay' | 'down'>;

export interface FaultSpec {
  kind: FaultKind;
  ms?: number;
  /** Requests it applies to; omitted: until cleared. */
  times?: number;
  /**
   * Only requests to this path under /cgi-bin/ (e.g. `api-send_key`); omitted: every request. Lets a
   * test fail one command while the phone keeps being polled, without racing the poller for the fault.
   */
  fn?: string;
}

export interface ActiveFault {
  readonly kind: FaultKind;
  readonly ms: number;
  readonly fn?: string;
  remaining: number;
}

export interface FaultPlan {
  delayMs: number;
  outcome?: OutcomeFault;
  kinds: FaultKind[];
}

export const DEFAULT_DOWN_MS = 5000;

/** Validates a control API body; throws a readable Error. */
export function parseFault(body: Record<string, unknown>): FaultSpec {
  const { kind, ms, times, fn } = body;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
    throw new Error('ms must be a number >= 0');
  }
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new Error('times must be an integer >= 1');
  }
  if (fn !== undefined && (typeof fn !== 'string' || !/^[\w.-]{1,64}$/.test(fn))) {
    throw new Error('fn must be a CGI name such as api-send_key');
  }
  if (kind === 'delay' && ms === undefined) throw new Error('delay needs ms');
  if (kind === 'down' && fn !== undefined) throw new Error('down takes the whole phone down: no fn');
  return { kind: kind as FaultKind, ms, times, fn };
}

export class FaultList {
  private faults: ActiveFault[] = [];

  get empty(): boolean {
    return this.faults.length === 0;
  }

  add(spec: FaultSpec): void {
    this.faults.push({
      kind: spec.kind,
      ms: spec.ms ?? 0,
      fn: spec.fn,
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.faults = [];
  }

  list(): { kind: FaultKind; ms: number; times: number | null; fn?: string }[] {
    return this.faults.map((f) => ({
      kind: f.kind,
      ms: f.ms,
      times: Number.isFinite(f.remaining) ? f.remaining : null,
      ...(f.fn === undefined ? {} : { fn: f.fn }),
    }));
  }

  /** Consumes one use of every fault that applies to the next request, a request to `fn`. */
  take(fn: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0, kinds: [] };
    for (const f of this.faults) {
      if (f.fn !== undefined && f.fn !== fn) continue;
      if (f.kind === 'delay') plan.delayMs += f.ms;
      else if (plan.outcome === undefined && f.kind !== 'down') plan.outcome = f.kind;
      else continue;
      plan.kinds.push(f.kind);
      f.remaining--;
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return plan;
  }
}

/** Half of the answer, cut inside the JSON, as a dropped connection or a firmware buffer bug leaves it. */
export function truncate(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

export const FAULT_HTML_PAGE =
  '<html><head><title>Error</title></head><body><h1>Service temporarily unavailable</h1></body></html>\n';

/** What an `echo` fault sends back: the request's parameter values and cookie values, space-separated. */
export function requestEcho(params: URLSearchParams, cookie: string | undefined): string {
  const cookies = (cookie ?? '').split(';').map((c) => c.slice(c.indexOf('=') + 1).trim());
  return [...params.values(), ...cookies].filter((v) => v !== '').join(' ');
}

/**
 * The answer of an `echo` fault: a read's own answer with the echo as every line's caller name, or (a
 * command, which then does not run) an error whose body is the echo.
 */
export function echoAnswer(echo: string, readAnswer?: string): string {
  if (readAnswer === undefined) return JSON.stringify({ response: 'error', body: echo });
  const answer = JSON.parse(readAnswer) as { body?: unknown };
  if (Array.isArray(answer.body)) {
    for (const line of answer.body as Record<string, unknown>[]) {
      if ('remotename' in line) line.remotename = echo;
    }
  }
  return JSON.stringify(answer);
}
