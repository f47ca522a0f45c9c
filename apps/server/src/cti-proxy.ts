/**
 * The raw CTI passthrough, for scripts written against the vendor guide:
 * `GET /cti/:id/cgi-bin/api-<function>?<params>` is forwarded to that phone
 * with http-proxy-middleware. Rules (docs/api.md, "Raw CTI passthrough"):
 * - only GET, only the guide's 7 functions, only configured phones: the
 *   target comes from the registry, never from the request;
 * - the raw path is checked before any decoding: `..`, any `%` escape,
 *   backslashes and empty segments are refused, so no encoded trick can
 *   reach another path on the phone;
 * - any `passcode` parameter (any case, any percent-encoding of the name) is
 *   dropped; the phone's client authorizes the request (its passcode, or its
 *   session's sid with cookie, Referer and Origin: the same session as the
 *   polls); unknown or repeated parameters are refused; values get the REST
 *   API's validation, then are re-encoded by us;
 * - `api-sys_operation` (REBOOT/RESET) is refused with 403: use
 *   `POST /api/phones/:id/system`, which asks for the phone's name;
 * - each forwarded request waits its turn in the phone's queue, like a REST
 *   command: still at most one request in flight per phone;
 * - the answer is read (at most 256 kB) and classified like the client's own:
 *   an authentication answer stops the phone like a refused command and is
 *   answered `phone_auth_failed`; anything else is relayed with only our
 *   headers (Content-Type json or text, Content-Length, security headers);
 * - our cookies and Authorization header never go to the phone, no phone
 *   header comes back, and the upstream URL (it holds the credential) is
 *   never logged or echoed.
 */
import type { IncomingMessage } from 'node:http';
import {
  CTI_FUNCTIONS,
  type CtiFunction,
  isValidKey,
  isValidPhoneNumber,
  MAX_ACCOUNTS,
  MAX_ANSWER_BYTES,
  MAX_KEYS,
  MAX_LINE,
  PHONE_OPERATIONS,
} from '@linedeck/cti';
import { type NextFunction, type Request, type Response, Router } from 'express';
import {
  createProxyMiddleware,
  debugProxyErrorsPlugin,
  type Options,
  type Plugin,
  proxyEventsPlugin,
} from 'http-proxy-middleware';
import type { Access } from './access/access.ts';
import { type Audit, recordAudit } from './audit/audit-seam.ts';
import { AppError, errorBody, fromCtiError, isCtiError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { PhoneClient } from './phones/phone-client.ts';
import type { Registry } from './phones/registry.ts';

export interface CtiProxyDeps {
  registry: Registry;
  access: Access;
  audit: Audit;
  logger: Logger;
  timeoutMs: number;
}

const READ_FUNCTIONS: ReadonlySet<CtiFunction> = new Set([
  'api-get_line_status',
  'api-get_phone_status',
  'api-get_accounts',
]);

type Validator = (value: string) => boolean;
const intIn =
  (min: number, max: number): Validator =>
  (v) =>
    /^\d{1,3}$/.test(v) && +v >= min && +v <= max;

/** Parameters each function takes (besides passcode), with the same rules as the REST commands. */
const PARAMS: Record<
  CtiFunction,
  { required: Record<string, Validator>; optional: Record<string, Validator> }
> = {
  'api-get_line_status': { required: {}, optional: {} },
  'api-get_phone_status': { required: {}, optional: {} },
  'api-get_accounts': { required: {}, optional: {} },
  'api-phone_operation': {
    required: { cmd: (v) => (PHONE_OPERATIONS as readonly string[]).includes(v) },
    optional: { arg: intIn(1, MAX_LINE) },
  },
  'api-make_call': {
    required: { phonenumber: isValidPhoneNumber },
    optional: { account: intIn(0, MAX_ACCOUNTS - 1), hs: (v) => v === '0' || v === '1' },
  },
  'api-send_key': {
    required: {
      keys: (v) => {
        const keys = v.split(':');
        return keys.length <= MAX_KEYS && keys.every(isValidKey);
      },
    },
    optional: {},
  },
  'api-sys_operation': { required: {}, optional: {} },
};

const PATH = /^\/cti\/([A-Za-z0-9-]{1,64})\/cgi-bin\/([A-Za-z0-9_-]{1,64})$/;

export interface CtiRequest {
  phoneId: string;
  fn: CtiFunction;
  params: [string, string][];
  droppedPasscode: boolean;
}

/**
 * Checks a raw passthrough URL (`/cti/...`, as received) and returns what to
 * forward. Pure, so every refusal is unit-tested. Throws AppError.
 */
export function parseCtiRequest(originalUrl: string): CtiRequest {
  const q = originalUrl.indexOf('?');
  const rawPath = q === -1 ? originalUrl : originalUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : originalUrl.slice(q + 1);
  if (/%|\.\.|\\|\/\/|\/\.(\/|$)/.test(rawPath)) {
    throw new AppError('invalid_input', 'Encoded, relative or empty path segments are not forwarded.');
  }
  const match = PATH.exec(rawPath);
  const fn = match?.[2] as CtiFunction | undefined;
  if (!match || !fn || !(CTI_FUNCTIONS as readonly string[]).includes(fn)) {
    throw new AppError(
      'not_found',
      `Only /cti/<phone id>/cgi-bin/<function> is forwarded, for the CTI guide's functions: ${CTI_FUNCTIONS.join(', ')}.`,
    );
  }
  const phoneId = match[1] as string;
  if (fn === 'api-sys_operation') {
    throw new AppError(
      'forbidden',
      'REBOOT and RESET are not forwarded: use POST /api/phones/:id/system, which asks for the phone name.',
      { phoneId },
    );
  }

  const spec = PARAMS[fn];
  const params: [string, string][] = [];
  const seen = new Set<string>();
  let droppedPasscode = false;
  // `&&` occurs in the guide's own examples: empty segments are skipped.
  for (const segment of rawQuery.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      // No `+` to space: a space is never valid here, while `+` starts international numbers.
      name = decodeURIComponent(rawName);
      value = decodeURIComponent(rawValue);
    } catch {
      throw new AppError('invalid_input', 'The query string has a broken percent-encoding.', { phoneId });
    }
    if (name.trim().toLowerCase() === 'passcode') {
      // The server adds the phone's passcode; one from the request is never forwarded, whatever its spelling.
      droppedPasscode = true;
      continue;
    }
    if (seen.has(name)) {
      throw new AppError('invalid_input', `The parameter "${short(name)}" is given more than once.`, {
        phoneId,
      });
    }
    seen.add(name);
    const check = spec.required[name] ?? spec.optional[name];
    if (!check) {
      throw new AppError('invalid_input', `${fn} takes no parameter "${short(name)}".`, {
        phoneId,
        issues: [{ path: short(name), message: 'Unknown parameter.' }],
      });
    }
    if (!check(value)) {
      throw new AppError('invalid_input', `The value of "${name}" is not valid for ${fn}.`, {
        phoneId,
        issues: [{ path: name, message: 'Invalid value.' }],
      });
    }
    params.push([name, value]);
  }
  for (const name of Object.keys(spec.required)) {
    if (!seen.has(name)) {
      throw new AppError('invalid_input', `${fn} needs the parameter "${name}".`, {
        phoneId,
        issues: [{ path: name, message: 'Required.' }],
      });
    }
  }
  return { phoneId, fn, params, droppedPasscode };
}

function short(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}...` : text;
}

interface Forward {
  origin: string;
  path: string;
  fn: CtiFunction;
  client: PhoneClient;
  phoneId: string;
  timedOut: boolean;
}

/** JSON stays JSON; anything else (HTML error pages, key=value lines) is shown as text, never run. */
function relayType(upstream: string): string {
  return /json/i.test(upstream) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
}

function sendError(res: Response, err: AppError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(err.status).json(errorBody(err, String(res.locals.requestId ?? '')));
}

export function ctiProxy(deps: CtiProxyDeps): Router {
  const { registry, access, audit, logger } = deps;
  const forwards = new WeakMap<IncomingMessage, Forward>();
  const router = Router();

  /**
   * The phone's answer, read by us rather than piped: capped, classified by the phone's client (an auth
   * answer stops the phone as a command's would), and relayed with our headers only.
   */
  function relay(proxyRes: IncomingMessage, req: Request, res: Response): void {
    const f = forwards.get(req) as Forward;
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    proxyRes.on('data', (chunk: Buffer) => {
      if (cut) return;
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        cut = true;
        // Closing the socket stops a phone (or anything posing as one) that streams without end.
        proxyRes.destroy();
        sendError(
          res,
          new AppError(
            'malformed',
            `The phone sent an answer larger than ${MAX_ANSWER_BYTES / 1024} kB; it was cut off.`,
            { phoneId: f.phoneId },
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    proxyRes.on('error', () => {
      if (!cut)
        sendError(
          res,
          new AppError('unreachable', 'The phone could not be reached.', { phoneId: f.phoneId }),
        );
    });
    proxyRes.on('end', () => {
      if (cut) return;
      // The phone's words, scrubbed of its secrets (an echo of the request would carry the credential).
      const text = f.client.scrub(Buffer.concat(chunks).toString('utf8'));
      const body = Buffer.from(text, 'utf8');
      const status = proxyRes.statusCode ?? 502;
      const contentType = String(proxyRes.headers['content-type'] ?? '');
      try {
        f.client.readAnswer(f.fn, { status, contentType, text });
      } catch (err) {
        if (isCtiError(err) && err.code === 'auth_failed') {
          // The client stopped the phone; an ended session only makes the next request log in once.
          const ended = err.auth?.reason === 'session_expired';
          sendError(
            res,
            ended
              ? new AppError(
                  'phone_auth_failed',
                  "The phone ended LineDeck's web session during this request (a login elsewhere?): send it again, the next request logs in once.",
                  { phoneId: f.phoneId, auth: { reason: 'session_expired' } },
                )
              : fromCtiError(err, f.phoneId),
          );
          return;
        }
        // Any other answer (an error envelope, an HTML page) is the phone's to tell: relayed as it came.
      }
      res.status(status);
      res.setHeader('Content-Type', relayType(contentType));
      res.setHeader('Content-Length', body.length);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.end(body);
    });
  }

  const proxyOptions: Options<Request, Response> = {
    // Target and path come from what we validated and stored for this request, never from the request itself.
    router: (req) => (forwards.get(req) as Forward).origin,
    pathRewrite: (_path, req) => (forwards.get(req) as Forward).path,
    changeOrigin: true,
    xfwd: false,
    proxyTimeout: deps.timeoutMs,
    // No upstream header comes back (cookies, server banners...): relay() writes the answer itself.
    selfHandleResponse: true,
    // Of the default plugins, the error page one echoes `req.url` (which then holds the credential) and the
    // logger one prints the upstream URL: keep only the crash guard and the `on:` events.
    ejectPlugins: true,
    plugins: [debugProxyErrorsPlugin, proxyEventsPlugin] as unknown as Plugin<Request, Response>[],
    on: {
      proxyReq: (proxyReq, req) => {
        proxyReq.on('timeout', () => {
          const f = forwards.get(req);
          if (f) f.timedOut = true;
        });
      },
      proxyRes: (proxyRes, req, res) => relay(proxyRes, req as Request, res as Response),
      error: (err, req, res) => {
        const f = forwards.get(req as Request);
        const code = f?.timedOut ? 'timeout' : 'unreachable';
        const id = (req as Request).params?.id;
        const phoneId = typeof id === 'string' ? id : undefined;
        const appError = new AppError(
          code,
          code === 'timeout' ? 'The phone did not answer in time.' : 'The phone could not be reached.',
          phoneId ? { phoneId } : {},
        );
        logger.warn({ phoneId, code, cause: (err as NodeJS.ErrnoException).code }, 'CTI passthrough failed');
        const response = res as Response;
        if (typeof response.status !== 'function' || response.headersSent) {
          (res as { destroy?: () => void }).destroy?.();
          return;
        }
        response.status(appError.status).json(errorBody(appError, String(response.locals.requestId ?? '')));
      },
    },
  };
  const proxy = createProxyMiddleware<Request, Response>(proxyOptions);
  // Certificate checks are per proxy, not per request: a second one that skips them, used only for the
  // phones whose config accepts a self-signed certificate.
  const selfSignedProxy = createProxyMiddleware<Request, Response>({ ...proxyOptions, secure: false });

  // Checks the raw URL before express decodes anything into params.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      throw new AppError('invalid_input', 'The CTI passthrough forwards GET requests only.', { status: 405 });
    }
    const parsed = parseCtiRequest(req.originalUrl);
    // A phone the caller may not see answers as one that does not exist: no probing for phone ids.
    const visible = access.phoneFilter?.(res);
    if (visible && !visible(parsed.phoneId) && registry.has(parsed.phoneId)) {
      throw new AppError('not_found', 'No phone with this id.', { phoneId: parsed.phoneId });
    }
    registry.get(parsed.phoneId);
    res.locals.cti = parsed;
    next();
  });

  router.get(
    '/:id/cgi-bin/:fn',
    (req, res, next) => {
      const parsed = res.locals.cti as CtiRequest;
      const action = READ_FUNCTIONS.has(parsed.fn) ? 'cti:read' : 'cti:command';
      return access.authorize(action, { phoneParam: 'id' })(req, res, next);
    },
    async (req, res, next) => {
      const parsed = res.locals.cti as CtiRequest;
      const target = registry.proxyTarget(parsed.phoneId);
      // Same rule as everywhere: a refused credential is not sent again until it changes or a test runs.
      const stopped = target.client.stoppedError();
      if (stopped) throw stopped;
      const isCommand = !READ_FUNCTIONS.has(parsed.fn);
      if (isCommand) {
        await recordAudit(audit, logger, req, res, {
          action: 'cti:command',
          phoneId: parsed.phoneId,
          params: { function: parsed.fn, ...Object.fromEntries(parsed.params) },
          result: 'forwarded',
        });
      }
      const forward = target.allowSelfSigned ? selfSignedProxy : proxy;
      await target.queue.command(async () => {
        let authorization: Awaited<ReturnType<PhoneClient['authorizeRequest']>>;
        try {
          // Inside the queue: a login it may need is this phone's one request in flight.
          authorization = await target.client.authorizeRequest();
        } catch (err) {
          next(isCtiError(err) ? fromCtiError(err, parsed.phoneId) : err);
          return;
        }
        const query = [...Object.entries(authorization.params), ...parsed.params]
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
          .join('&');
        forwards.set(req, {
          origin: target.origin,
          path: `/cgi-bin/${parsed.fn}?${query}`,
          fn: parsed.fn,
          client: target.client,
          phoneId: parsed.phoneId,
          timedOut: false,
        });
        // Only what the phone needs: our session cookie or API token must never reach a phone.
        req.headers = {
          host: req.headers.host ?? '',
          accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
          'user-agent': 'LineDeck',
          ...lowerCaseKeys(authorization.headers),
        };
        await new Promise<void>((resolve) => {
          res.once('close', () => resolve());
          forward(req, res, (err?: unknown) => {
            resolve();
            if (err) next(err);
          }).catch((err: unknown) => {
            resolve();
            next(err);
          });
        });
      });
      if (isCommand) target.poller.kick();
    },
  );

  return router;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
