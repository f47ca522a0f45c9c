/** The audit log's filter form values -> the API's filter (pure, tested). */
import type { AuditFilter } from '../../lib/queries.ts';

export interface AuditForm {
  phoneId: string;
  userId: string;
  /** `datetime-local` values (the browser's local time), or ''. */
  from: string;
  to: string;
}

export const AUDIT_PAGE_SIZE = 50;

/** A `datetime-local` value as an ISO time, or undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export function auditFilter(form: AuditForm, cursor: number | undefined): AuditFilter {
  return {
    phoneId: form.phoneId || undefined,
    userId: form.userId || undefined,
    from: localToIso(form.from),
    to: localToIso(form.to),
    cursor,
    limit: AUDIT_PAGE_SIZE,
  };
}

/** Parameters as one short line: `number=5551234, line=1`. */
export function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
