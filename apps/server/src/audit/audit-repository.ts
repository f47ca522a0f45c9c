/** The audit table (store/migrations/003-audit.ts): rows are added and paged, never updated. */
import type { AuditEntry } from '@linedeck/contract';
import { z } from 'zod';
import type { Db } from '../store/schema.ts';

export interface AuditQuery {
  phoneId?: string | undefined;
  userId?: string | undefined;
  /** ISO times: `from` inclusive, `to` exclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** The `nextCursor` of the previous page: entries older than it. */
  cursor?: number | undefined;
  limit: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: number | null;
}

export interface AuditRow {
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  address: string | null;
  phoneId: string | null;
  action: string;
  /** Already sanitized (no secret). */
  params: Record<string, unknown>;
  result: string;
}

const auditRow = z.object({
  id: z.number().int(),
  at: z.string(),
  user_id: z.string().nullable(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  address: z.string().nullable(),
  phone_id: z.string().nullable(),
  action: z.string(),
  params_json: z.string(),
  result: z.string(),
});

function toEntry(row: unknown): AuditEntry {
  const r = auditRow.parse(row);
  let params: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(r.params_json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      params = parsed as Record<string, unknown>;
  } catch {
    params = {};
  }
  return {
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    address: r.address,
    phoneId: r.phone_id,
    action: r.action,
    params,
    result: r.result,
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

/** The insert's values, in the order of its parameters. */
function insertValues(row: AuditRow) {
  return {
    at: row.at,
    user_id: row.userId,
    username: row.username,
    role: row.role,
    address: row.address,
    phone_id: row.phoneId,
    action: row.action,
    params_json: JSON.stringify(row.params),
    result: row.result,
  };
}

export function createAuditRepository(db: Db) {
  // Every command writes a row: the single-row insert is built once (its SQL, for the dialect at hand) and
  // only its parameters change, instead of Kysely building and compiling it on every command.
  const placeholder: AuditRow = {
    at: '',
    userId: null,
    username: null,
    role: null,
    address: null,
    phoneId: null,
    action: '',
    params: {},
    result: '',
  };
  const compiledInsert = db.insertInto('audit').values(insertValues(placeholder)).compile();

  return {
    /**
     * Adds the rows in one statement (in their order, so their ids follow it); a batch of one, the usual
     * case, uses the compiled insert. Throws, writing none, when the database refuses the statement.
     */
    async insertMany(rows: readonly AuditRow[]): Promise<void> {
      if (rows.length === 0) return;
      if (rows.length === 1) {
        await db.executeQuery({
          ...compiledInsert,
          parameters: Object.values(insertValues(rows[0] as AuditRow)),
        });
        return;
      }
      await db.insertInto('audit').values(rows.map(insertValues)).execute();
    },

    /** Newest first; `nextCursor` is null on the last page. */
    async page(query: AuditQuery): Promise<AuditPage> {
      let select = db.selectFrom('audit').selectAll();
      if (query.phoneId !== undefined) select = select.where('phone_id', '=', query.phoneId);
      if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
      if (query.from !== undefined) select = select.where('at', '>=', query.from);
      if (query.to !== undefined) select = select.where('at', '<', query.to);
      if (query.cursor !== undefined) select = select.where('id', '<', query.cursor);
      const rows = await select
        .orderBy('id', 'desc')
        .limit(query.limit + 1)
        .execute();
      const entries = rows.slice(0, query.limit).map(toEntry);
      const last = entries.at(-1);
      return { entries, nextCursor: rows.length > query.limit && last ? last.id : null };
    },
  };
}
