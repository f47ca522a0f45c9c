/**
 * The call journal's storage (store/migrations/009): SQL only, the same on SQLite and Postgres. The
 * repository fills the derived columns itself from the call it is given (`remote_digits`,
 * `search_text`), so no write can leave them stale. Times are compared as ISO text in UTC: every time
 * written or asked for goes through `iso()` first, so text order is time order.
 */
import {
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALL_TURNED_AWAY_REASONS,
  CALLS_PAGE_DEFAULT,
  type Call,
  type CallPage,
  type CallsQuery,
  type CallsToday,
} from '@linedeck/contract';
import { type CountryCode, numberDigits, readNumber, toE164 } from '@linedeck/contract/numbers';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { normalizeSearch } from '../contacts/search-text.ts';
import { AppError } from '../errors.ts';
import type { Db, Schema } from '../store/schema.ts';
import type { CallsStore, PhoneScope, StoredCall } from './calls-store.ts';

/**
 * Rows another part writes with every save of calls, in the save's transaction (the webhooks' outbox): a
 * throw rolls the calls back too, so the calls and those rows are stored together or not at all. Answers
 * what to run once the transaction committed (what runs before would not see the rows).
 */
export type WriteWithCalls = (trx: Db, calls: readonly StoredCall[]) => Promise<() => void>;

export interface CallsRepositoryOptions {
  /** The country national numbers in a `number` filter are read in (DEFAULT_COUNTRY). */
  defaultCountry?: CountryCode | undefined;
  writeWith?: WriteWithCalls | undefined;
}

/** Rows per INSERT: well under SQLite's 32,766 and Postgres' 65,535 parameters (26 columns a row). */
const SAVE_CHUNK = 500;

const COLUMNS = [
  'id',
  'phone_id',
  'line',
  'account',
  'direction',
  'outcome',
  'remote_number',
  'remote_e164',
  'remote_name',
  'contact_id',
  'contact_name',
  'contact_company',
  'started_at',
  'answered_at',
  'ended_at',
  'ring_seconds',
  'talk_seconds',
  'hold_seconds',
  'transfer_target',
  'dialled_by',
  'answered_by',
  'ended_by',
  'interrupted',
  'turned_away',
  'last_seen_at',
] as const;

const rowSchema = z.object({
  id: z.string(),
  phone_id: z.string(),
  line: z.coerce.number().int(),
  account: z.coerce.number().int().nullable(),
  direction: z.enum(CALL_DIRECTIONS),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  remote_number: z.string(),
  remote_e164: z.string().nullable(),
  remote_name: z.string(),
  contact_id: z.string().nullable(),
  contact_name: z.string().nullable(),
  contact_company: z.string().nullable(),
  started_at: z.string(),
  answered_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  ring_seconds: z.coerce.number().int(),
  talk_seconds: z.coerce.number().int(),
  hold_seconds: z.coerce.number().int(),
  transfer_target: z.string().nullable(),
  dialled_by: z.string().nullable(),
  answered_by: z.string().nullable(),
  ended_by: z.string().nullable(),
  interrupted: z.coerce.number(),
  turned_away: z.enum(CALL_TURNED_AWAY_REASONS).nullable(),
  last_seen_at: z.string(),
});

function toStored(row: unknown): StoredCall {
  const r = rowSchema.parse(row);
  return {
    id: r.id,
    phoneId: r.phone_id,
    line: r.line,
    account: r.account,
    direction: r.direction,
    outcome: r.outcome,
    remoteNumber: r.remote_number,
    remoteE164: r.remote_e164,
    remoteName: r.remote_name,
    contact: r.contact_id
      ? { id: r.contact_id, name: r.contact_name ?? '', company: r.contact_company }
      : null,
    startedAt: r.started_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
    ringSeconds: r.ring_seconds,
    talkSeconds: r.talk_seconds,
    holdSeconds: r.hold_seconds,
    transferTarget: r.transfer_target,
    dialledBy: r.dialled_by,
    answeredBy: r.answered_by,
    endedBy: r.ended_by,
    interrupted: r.interrupted !== 0,
    turnedAway: r.turned_away,
    lastSeenAt: r.last_seen_at,
  };
}

/** The contract's Call: what the API answers (no `lastSeenAt`). */
function toCall(row: unknown): Call {
  const { lastSeenAt: _seen, ...call } = toStored(row);
  return call;
}

/** An ISO time in UTC with milliseconds, whatever offset it was written with. */
function iso(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new AppError('invalid_input', `Not a time: ${time}`);
  return date.toISOString();
}

/** What a call is found by with `q`: the names (phone's, contact's), its number's digits and E.164. */
function callSearchText(call: Call): string {
  const words = normalizeSearch(
    [call.remoteName, call.contact?.name, call.contact?.company].filter(Boolean).join(' '),
  );
  const digits = numberDigits(call.remoteNumber);
  // A SIP URI or a name the phone showed as the number is searched as words.
  const shown = call.remoteNumber === digits ? '' : normalizeSearch(call.remoteNumber);
  const numbers = [digits, call.remoteE164?.replace('+', '') ?? ''];
  return [words, shown, ...new Set(numbers.filter(Boolean))].filter(Boolean).join(' ');
}

/** The row a call is stored as, derived columns included (the journal benchmark fills a table with it). */
export function callRow(call: StoredCall) {
  return {
    id: call.id,
    phone_id: call.phoneId,
    line: call.line,
    account: call.account,
    direction: call.direction,
    outcome: call.outcome,
    remote_number: call.remoteNumber,
    remote_e164: call.remoteE164,
    remote_digits: numberDigits(call.remoteNumber),
    remote_name: call.remoteName,
    contact_id: call.contact?.id ?? null,
    contact_name: call.contact?.name ?? null,
    contact_company: call.contact?.company ?? null,
    started_at: iso(call.startedAt),
    answered_at: call.answeredAt === null ? null : iso(call.answeredAt),
    ended_at: call.endedAt === null ? null : iso(call.endedAt),
    ring_seconds: call.ringSeconds,
    talk_seconds: call.talkSeconds,
    hold_seconds: call.holdSeconds,
    transfer_target: call.transferTarget,
    dialled_by: call.dialledBy,
    answered_by: call.answeredBy,
    ended_by: call.endedBy,
    interrupted: call.interrupted ? 1 : 0,
    turned_away: call.turnedAway ?? null,
    last_seen_at: iso(call.lastSeenAt),
    search_text: callSearchText(call),
  };
}

/** Every column but the key, taken from the row the upsert tried to insert. */
const UPDATE_COLUMNS = [...COLUMNS.filter((c) => c !== 'id'), 'remote_digits', 'search_text'] as const;

export interface CallsCursor {
  startedAt: string;
  id: string;
}

export function encodeCallsCursor(cursor: CallsCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.id])).toString('base64url');
}

/** The position a `nextCursor` stands for, or null when it is not one this server made. */
export function decodeCallsCursor(text: string): CallsCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const parsed = z.tuple([z.iso.datetime(), z.string().min(1)]).safeParse(value);
    return parsed.success ? { startedAt: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/** `%`, `_` and `\` typed by a person are text, not LIKE wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

type Eb = ExpressionBuilder<Schema, 'calls'>;
const NOTHING = sql<SqlBool>`1 = 0`;

function inScope(eb: Eb, scope: PhoneScope): Expression<SqlBool> | undefined {
  if (scope === null) return undefined;
  return scope.length === 0 ? NOTHING : eb('phone_id', 'in', [...scope]);
}

export function createCallsRepository(db: Db, options: CallsRepositoryOptions = {}): CallsStore {
  const country = options.defaultCountry ?? null;

  /**
   * Any written form of one number, by the contract's rule (numbers.ts `sameNumber`): the E.164 forms
   * when both sides have one, else the digits. "030 1234567", "+49 30 1234567" and "0049301234567"
   * are one number under DE.
   */
  function sameNumberAs(eb: Eb, number: string): Expression<SqlBool> {
    const read = readNumber(number);
    const dialled = read.ok ? read.number : number;
    const e164 = toE164(dialled, country);
    const digits = numberDigits(dialled);
    if (e164) {
      return eb.or([
        eb('remote_e164', '=', e164),
        eb.and([eb('remote_e164', 'is', null), eb('remote_digits', '=', digits)]),
      ]);
    }
    return digits === '' ? NOTHING : eb('remote_digits', '=', digits);
  }

  /** `q`: its words, and when it reads as a number also its digits and E.164, anywhere in search_text. */
  function matchingText(q: string): Expression<SqlBool> {
    const read = readNumber(q);
    const numbers = read.ok ? [numberDigits(read.number), toE164(read.number, country)?.slice(1) ?? ''] : [];
    const terms = [...new Set([normalizeSearch(q), ...numbers])].filter((t) => t !== '');
    const any = terms.map((t) => sql<SqlBool>`search_text like ${likePattern(t)} escape '\\'`);
    return any.length === 0 ? NOTHING : sql<SqlBool>`(${sql.join(any, sql` or `)})`;
  }

  /**
   * The scope as the planner can best use it: one phone asked for is an equality (its index reads the
   * page in order), and beside a number a list of phones is kept out of the index choice (`|| ''`): the
   * number's index is the selective one, the phones' would read their whole history.
   */
  function scopeFilter(eb: Eb, query: CallsQuery, scope: PhoneScope): Expression<SqlBool> | undefined {
    const phones = query.phoneId !== undefined ? [query.phoneId] : scope;
    if (phones === null) return undefined;
    const visible = scope === null ? phones : phones.filter((id) => scope.includes(id));
    if (visible.length === 0) return NOTHING;
    if (visible.length === 1) return eb('phone_id', '=', visible[0] as string);
    if (query.number !== undefined) return eb(sql<string>`phone_id || ''`, 'in', [...visible]);
    return eb('phone_id', 'in', [...visible]);
  }

  function filters(eb: Eb, query: CallsQuery, scope: PhoneScope): Expression<SqlBool> {
    const all: Expression<SqlBool>[] = [];
    const scoped = scopeFilter(eb, query, scope);
    if (scoped) all.push(scoped);
    if (query.direction !== undefined) all.push(eb('direction', '=', query.direction));
    if (query.outcome !== undefined) {
      all.push(
        query.outcome.length === 1
          ? eb('outcome', '=', query.outcome[0] as string)
          : eb('outcome', 'in', query.outcome),
      );
    }
    if (query.from !== undefined) all.push(eb('started_at', '>=', iso(query.from)));
    if (query.to !== undefined) all.push(eb('started_at', '<', iso(query.to)));
    if (query.number !== undefined) all.push(sameNumberAs(eb, query.number));
    if (query.q !== undefined) all.push(matchingText(query.q));
    if (query.cursor !== undefined) {
      const at = decodeCallsCursor(query.cursor);
      if (!at) throw new AppError('invalid_input', 'The cursor is not one this server gave out.');
      // Strictly after the last row of the previous page in (started_at desc, id desc) order.
      all.push(eb(eb.refTuple('started_at', 'id'), '<', eb.tuple(at.startedAt, at.id)));
    }
    return eb.and(all);
  }

  return {
    async save(calls: readonly StoredCall[]): Promise<void> {
      if (calls.length === 0) return;
      const rows = calls.map(callRow);
      let afterCommit: (() => void) | undefined;
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += SAVE_CHUNK) {
          await trx
            .insertInto('calls')
            .values(rows.slice(i, i + SAVE_CHUNK))
            .onConflict((oc) =>
              oc.column('id').doUpdateSet((eb) => {
                const set: Record<string, unknown> = {};
                for (const c of UPDATE_COLUMNS) set[c] = eb.ref(`excluded.${c}`);
                return set;
              }),
            )
            .execute();
        }
        afterCommit = await options.writeWith?.(trx, calls);
      });
      afterCommit?.();
    },

    async openCalls(): Promise<StoredCall[]> {
      const rows = await db
        .selectFrom('calls')
        .select(COLUMNS)
        .where('ended_at', 'is', null)
        .orderBy('started_at')
        .orderBy('id')
        .execute();
      return rows.map(toStored);
    },

    async page(query: CallsQuery, scope: PhoneScope): Promise<CallPage> {
      const limit = query.limit ?? CALLS_PAGE_DEFAULT;
      const rows = await db
        .selectFrom('calls')
        .select(COLUMNS)
        .where((eb) => filters(eb, query, scope))
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const calls = rows.slice(0, limit).map(toCall);
      const last = calls.at(-1);
      const more = rows.length > limit && last !== undefined;
      return {
        calls,
        nextCursor: more ? encodeCallsCursor({ startedAt: last.startedAt, id: last.id }) : null,
      };
    },

    async missedCount(seenBefore: string | null, scope: PhoneScope): Promise<number> {
      const row = await db
        .selectFrom('calls')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) => {
          const all: Expression<SqlBool>[] = [eb('outcome', '=', 'missed'), eb('direction', '=', 'incoming')];
          if (seenBefore !== null) all.push(eb('started_at', '>=', iso(seenBefore)));
          const scoped = inScope(eb, scope);
          if (scoped) all.push(scoped);
          return eb.and(all);
        })
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async seenBefore(userId: string): Promise<string | null> {
      const row = await db
        .selectFrom('calls_seen')
        .select('seen_before')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row?.seen_before ?? null;
    },

    async markSeen(userId: string, before: string): Promise<void> {
      await db
        .insertInto('calls_seen')
        .values({ user_id: userId, seen_before: iso(before) })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ seen_before: (eb) => eb.ref('excluded.seen_before') })
            // Never back: an older mark (a stale tab) leaves the newer one.
            .where(sql<SqlBool>`excluded.seen_before > calls_seen.seen_before`),
        )
        .execute();
    },

    async today(since: string, scope: PhoneScope): Promise<CallsToday> {
      const rows = await db
        .selectFrom('calls')
        .select((eb) => ['phone_id', 'outcome', eb.fn.countAll<number>().as('n')])
        .where((eb) => {
          const all: Expression<SqlBool>[] = [
            eb('started_at', '>=', iso(since)),
            eb('direction', '=', 'incoming'),
            eb('outcome', 'in', ['missed', 'answered']),
          ];
          const scoped = inScope(eb, scope);
          if (scoped) all.push(scoped);
          return eb.and(all);
        })
        .groupBy(['phone_id', 'outcome'])
        .execute();
      const today: CallsToday = { since: iso(since), missed: 0, answered: 0, phones: {} };
      for (const row of rows) {
        const phone = today.phones[row.phone_id] ?? { missed: 0, answered: 0 };
        today.phones[row.phone_id] = phone;
        const n = Number(row.n);
        if (row.outcome === 'missed') {
          phone.missed += n;
          today.missed += n;
        } else {
          phone.answered += n;
          today.answered += n;
        }
      }
      return today;
    },

    async prune(before: string): Promise<number> {
      const result = await db
        .deleteFrom('calls')
        .where('ended_at', 'is not', null)
        .where('ended_at', '<', iso(before))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
