/**
 * The call history API (docs/api.md, "Call history"), mounted at /api/calls. Everyone with `calls:read`
 * (viewers, operators, admins) reads the calls of the phones they may see; display keys read only
 * `/today` (counts): a wall shows no names or numbers of past calls. The export is audited.
 */
import {
  type Call,
  type CallsQuery,
  callsQuerySchema,
  type MissedCount,
  missedSeenBodySchema,
} from '@linedeck/contract';
import { readNumber } from '@linedeck/contract/numbers';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { z } from 'zod';
import { type Access, type Principal, principalOf } from '../access/access.ts';
import { visiblePhoneIds } from '../access/permissions.ts';
import { type Audit, recordAudit } from '../audit/audit-seam.ts';
import { safeCell } from '../contacts/export-csv.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import { decodeCallsCursor } from './calls-repository.ts';
import type { CallsStore, PhoneScope } from './calls-store.ts';

export interface CallRoutesDeps {
  store: CallsStore;
  access: Access;
  audit: Audit;
  logger: Logger;
  /** The phone's name for the CSV, undefined when it is gone (the id is shown then). */
  phoneName: (id: string) => string | undefined;
}

/** At most this many rows in one export; the file says so in its last line when it was cut. */
const EXPORT_MAX_ROWS = 100_000;
const EXPORT_CHUNK = 5_000;

const exportQuerySchema = callsQuerySchema.omit({ limit: true, cursor: true });

export const CSV_COLUMNS = [
  'started',
  'phone',
  'line',
  'direction',
  'outcome',
  'name',
  'number',
  'E.164',
  'contact',
  'ring s',
  'talk s',
  'hold s',
  'answered by',
  'dialled by',
  'ended by',
  'transfer target',
  'interrupted',
  'turned away',
] as const;

function principal(res: Response): Principal {
  const p = principalOf(res);
  if (!p) throw new AppError('unauthenticated', 'Sign in first.');
  return p;
}

const scopeOf = (res: Response): PhoneScope => visiblePhoneIds(principal(res));

/** Whose "seen" mark it is: the user, or the token (or local principal) by its kind and name. */
function seenKey(p: Principal): string {
  return p.userId ?? `${p.kind ?? 'local'}:${p.username}`;
}

/** A wall's display key sees counts only (`/today`), never who called. */
const noDisplayKeys: RequestHandler = (_req, res, next) => {
  if (principal(res).kind === 'display') {
    throw new AppError('forbidden', 'A display key sees no call history, only today’s counts.');
  }
  next();
};

/** The query, with what zod cannot check: a cursor this server made and a number that reads as one. */
function parseQuery(schema: typeof callsQuerySchema | typeof exportQuerySchema, req: Request): CallsQuery {
  const query: CallsQuery = parseBody<z.ZodType<CallsQuery>>(schema, req.query, 'The query is not valid.');
  if (query.cursor !== undefined && !decodeCallsCursor(query.cursor)) {
    throw new AppError('invalid_input', 'The query is not valid.', {
      issues: [{ path: 'cursor', message: 'not a cursor this server gave out' }],
    });
  }
  if (query.number !== undefined) {
    const read = readNumber(query.number);
    if (!read.ok) {
      throw new AppError('invalid_input', 'The query is not valid.', {
        issues: [{ path: 'number', message: read.reason }],
      });
    }
  }
  return query;
}

function csvRow(call: Call, phoneName: (id: string) => string | undefined): string {
  const contact = call.contact ? [call.contact.name, call.contact.company].filter(Boolean).join(', ') : '';
  const cells = [
    call.startedAt,
    phoneName(call.phoneId) ?? call.phoneId,
    String(call.line),
    call.direction,
    call.outcome ?? '',
    call.remoteName,
    call.remoteNumber,
    call.remoteE164 ?? '',
    contact,
    String(call.ringSeconds),
    String(call.talkSeconds),
    String(call.holdSeconds),
    call.answeredBy ?? '',
    call.dialledBy ?? '',
    call.endedBy ?? '',
    call.transferTarget ?? '',
    call.interrupted ? 'yes' : '',
    call.turnedAway ?? '',
  ];
  return cells.map(safeCell).join(',');
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Local midnight of the server's time zone: "today" as the people in the office mean it. */
function localMidnight(now: Date): Date {
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return midnight;
}

export function callRoutes(deps: CallRoutesDeps): Router {
  const { store, access, audit, logger, phoneName } = deps;
  const router = Router();
  router.use(access.authorize('calls:read'));

  router.get('/', noDisplayKeys, async (req, res) => {
    res.json(await store.page(parseQuery(callsQuerySchema, req), scopeOf(res)));
  });

  router.get('/export.csv', noDisplayKeys, async (req, res) => {
    const filters = parseQuery(exportQuerySchema, req);
    const scope = scopeOf(res);
    const lines: string[] = [CSV_COLUMNS.join(',')];
    let cursor: string | undefined;
    let rows = 0;
    do {
      const limit = Math.min(EXPORT_CHUNK, EXPORT_MAX_ROWS - rows);
      const page = await store.page({ ...filters, limit, ...(cursor ? { cursor } : {}) }, scope);
      for (const call of page.calls) lines.push(csvRow(call, phoneName));
      rows += page.calls.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && rows < EXPORT_MAX_ROWS);
    await recordAudit(audit, logger, req, res, {
      action: 'calls:export',
      phoneId: filters.phoneId ?? null,
      params: { ...filters, rows },
      result: 'ok',
    });
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="calls-${localDate(new Date())}.csv"`)
      // A UTF-8 BOM so spreadsheets read names with accents; CRLF as spreadsheets expect.
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });

  router.get('/missed/count', noDisplayKeys, async (_req, res) => {
    const since = await store.seenBefore(seenKey(principal(res)));
    const answer: MissedCount = { count: await store.missedCount(since, scopeOf(res)), since };
    res.json(answer);
  });

  router.post('/missed/seen', noDisplayKeys, async (req, res) => {
    const body = parseBody(missedSeenBodySchema, req.body);
    await store.markSeen(seenKey(principal(res)), body.before);
    res.status(204).end();
  });

  router.get('/today', async (_req, res) => {
    res.json(await store.today(localMidnight(new Date()).toISOString(), scopeOf(res)));
  });

  return router;
}
