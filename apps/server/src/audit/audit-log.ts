/**
 * The audit log: one row per command and per change, awaited before the answer is sent. Implements
 * the `Audit` seam of ./audit-seam.ts over the audit repository.
 */
import { actorId } from '../access/permissions.ts';
import type { AuditPage, AuditQuery, AuditRepository } from './audit-repository.ts';
import type { Audit, AuditRecord } from './audit-seam.ts';
import { sanitizeParams } from './sanitize.ts';

export type { AuditPage, AuditQuery } from './audit-repository.ts';

export class AuditLog implements Audit {
  constructor(
    private readonly repository: AuditRepository,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `Audit` seam: the row is written when the promise settles, before the caller answers. */
  async record(entry: AuditRecord): Promise<void> {
    await this.write(entry);
  }

  /** Writes the row. Returns its id. */
  write(entry: AuditRecord): Promise<number> {
    const principal = entry.principal;
    return this.repository.insert({
      at: new Date(this.now()).toISOString(),
      userId: principal ? actorId(principal) : null,
      username: principal?.username ?? null,
      role: principal?.role ?? null,
      address: entry.address ?? null,
      phoneId: entry.phoneId,
      action: entry.action,
      params: sanitizeParams(entry.params),
      result: entry.result,
    });
  }

  /** Newest first; `nextCursor` is null on the last page. */
  page(query: AuditQuery): Promise<AuditPage> {
    return this.repository.page(query);
  }
}
