/**
 * Structured logs with pino. Passcodes live only in the server (architecture,
 * habit 3): they are redacted from known object paths, and `passcode=...` is
 * scrubbed from every URL or query string before it is logged, by
 * `redactUrl()` at the call sites and again on every written line as a net.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const SECRET_KEYS = ['passcode', 'password', 'secret', 'authorization', 'cookie', 'set-cookie'];

const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((k) => [`${quote(k)}`, `*.${quote(k)}`, `*.*.${quote(k)}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

function quote(key: string): string {
  return /^[a-z]+$/.test(key) ? key : `["${key}"]`;
}

/**
 * A name as a query string can spell it: any letter may come percent-encoded (`%6Bey`, `k%65y`), any
 * case, with an optional `[]` (`key[]`, `key%5B%5D`), as the server would decode it.
 */
function spelled(name: string): string {
  const hex = (c: string) => `%${c.charCodeAt(0).toString(16)}`;
  const letters = [...name].map((c) => `(?:${c}|${hex(c.toLowerCase())}|${hex(c.toUpperCase())})`).join('');
  return `${letters}(?:\\[\\]|%5b%5d)?`;
}

const EQUALS = '(?:=|%3d)';
const VALUE = `[^&#\\s"']*`;

/** `passcode=` followed by its value, anywhere (not only after `?`/`&`: an error message may quote it). */
const PASSCODE_IN_QUERY = new RegExp(`(${spelled('passcode')}${EQUALS})${VALUE}`, 'gi');

/**
 * Parameters whose values are secret or personal: a wall link's display `key`, a `token`, and the call
 * journal's searches (`q` caller names, `number`), which must not land in the request log.
 */
const SECRET_PARAMS = ['key', 'token', 'password', 'sid', 'q', 'number'];
const PARAM_IN_QUERY = new RegExp(`([?&](?:${SECRET_PARAMS.map(spelled).join('|')})${EQUALS})${VALUE}`, 'gi');

/** Replaces the value of every `passcode` (and `key`, `token`, `q`, `number`...) parameter in a URL, path or text. */
export function redactUrl(url: string): string {
  return url.replace(PASSCODE_IN_QUERY, '$1[Redacted]').replace(PARAM_IN_QUERY, '$1[Redacted]');
}

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; otherwise readable lines for a person at a terminal, JSON for a log collector. */
export function resolveLogFormat(
  setting: LogFormat | undefined,
  isTTY = Boolean(process.stdout.isTTY),
): LogFormat {
  return setting ?? (isTTY ? 'pretty' : 'json');
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to scan every line. */
  destination?: DestinationStream;
  /** `pretty`: one readable line per entry (pino-pretty, in process); JSON by default. */
  format?: LogFormat;
}

/** pino-pretty as a stream in this process (not a worker transport): the lines it reads are already redacted. */
function prettyTo(destination: DestinationStream, colorize: boolean): DestinationStream {
  return pretty({
    destination,
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      // Last line of defence: a URL logged by a path we did not think of is still scrubbed.
      hooks: { streamWrite: (line) => redactUrl(line) },
    },
    options.format === 'pretty'
      ? prettyTo(
          options.destination ?? pino.destination({ sync: false }),
          !options.destination && pretty.isColorSupported,
        )
      : (options.destination ?? pino.destination({ sync: false })),
  );
}

/** Gives each request an id (answered as `X-Request-Id` and in error bodies) and logs one line when it ends. */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('close', () => {
      // At LOG_LEVEL=warn only failures are written: build nothing for a line that would be dropped.
      if (res.statusCode < 500 && !logger.isLevelEnabled('info')) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = {
        requestId,
        method: req.method,
        url: redactUrl(req.originalUrl),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      };
      // SSE streams end when the browser leaves: that is not an error, keep it at info like the rest.
      if (res.statusCode >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
