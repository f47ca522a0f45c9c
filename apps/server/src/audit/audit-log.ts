/**
 * The audit log: one SQLite row per command and per change, written
 * synchronously (better-sqlite3) so it is on disk before the answer is sent.
 * Implements the `Audit` seam of ./audit-seam.ts.
 */
import type { AuditEntry } from '@linedeck/contract';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { actorId } from '../auth/permissions.ts';
import type { Audit, AuditRecord } from './audit-seam.ts';
import { sanitizeParams } from './sanitize.ts';

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

export class AuditLog implements Audit {
  private readonly insert: Statement;
  private readonly select: Statement;

  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    this.insert =
      db.prepare(`INSERT INTO audit (at, user_id, username, role, address, phone_id, action, params_json, result)
      VALUES (@at, @userId, @username, @role, @address, @phoneId, @action, @params, @result)`);
    this.select = db.prepare(`SELECT * FROM audit
      WHERE (@phoneId IS NULL OR phone_id = @phoneId)
        AND (@userId IS NULL OR user_id = @userId)
        AND (@from IS NULL OR at >= @from)
        AND (@to IS NULL OR at < @to)
        AND (@cursor IS NULL OR id < @cursor)
      ORDER BY id DESC LIMIT @limit`);
  }

  /** The `Audit` seam: writes the row now, synchronously, before the caller answers. */
  record(entry: AuditRecord): void {
    this.write(entry);
  }

  /** Writes the row now (synchronously). Returns its id. */
  write(entry: AuditRecord): number {
    const principal = entry.principal;
    const info = this.insert.run({
      at: new Date(this.now()).toISOString(),
      userId: principal ? actorId(principal) : null,
      username: principal?.username ?? null,
      role: principal?.role ?? null,
      address: entry.address ?? null,
      phoneId: entry.phoneId,
      action: entry.action,
      params: JSON.stringify(sanitizeParams(entry.params)),
      result: entry.result,
    });
    return Number(info.lastInsertRowid);
  }

  /** Newest first; `nextCursor` is null on the last page. */
  page(query: AuditQuery): AuditPage {
    const rows = this.select.all({
      phoneId: query.phoneId ?? null,
      userId: query.userId ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      cursor: query.cursor ?? null,
      limit: query.limit + 1,
    });
    const entries = rows.slice(0, query.limit).map(toEntry);
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > query.limit && last ? last.id : null };
  }
}
