/**
 * The audit seam: every command and every change is recorded once it ended, as
 * its answer goes out (the audit log writes the row right behind the answer, and
 * every read of the log waits for it: audit-log.ts). The default does nothing;
 * the audit log plugs in through `createApp({ audit })`. Params never carry a passcode.
 */
import type { Request, Response } from 'express';
import { type Principal, principalOf } from '../access/access.ts';
import { toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface AuditRecord {
  /** What was done: `phones:create`, `calls:make`, `keys:send`, `cti:command`... */
  action: string;
  phoneId: string | null;
  params: Record<string, unknown>;
  /** `ok`, `deduplicated`, or the error code. */
  result: string;
  principal?: Principal | undefined;
  /** The client's address (req.ip). */
  address?: string | null | undefined;
}

export interface Audit {
  record(entry: AuditRecord): void | Promise<void>;
}

export const noopAudit: Audit = { record: () => {} };

/** Records with the request's principal and address; a failing audit store is logged, never hides the answer. */
export async function recordAudit(
  audit: Audit,
  logger: Logger,
  req: Request,
  res: Response,
  entry: Omit<AuditRecord, 'principal' | 'address'>,
): Promise<void> {
  try {
    await audit.record({ ...entry, principal: principalOf(res), address: req.ip ?? null });
  } catch (err) {
    logger.error({ err, action: entry.action, phoneId: entry.phoneId }, 'audit record failed');
  }
}

/**
 * Runs a command or change and records how it ended, before the answer is sent: `resultOf(result)`
 * when it succeeds (`ok` unless told otherwise), the error's code when it fails (then rethrown).
 */
export async function auditedRun<T>(
  sink: { audit: Audit; logger: Logger },
  req: Request,
  res: Response,
  entry: Omit<AuditRecord, 'principal' | 'address' | 'result'>,
  run: () => Promise<T>,
  resultOf: (result: T) => string = () => 'ok',
): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await recordAudit(sink.audit, sink.logger, req, res, { ...entry, result: toAppError(err).code });
    throw err;
  }
  await recordAudit(sink.audit, sink.logger, req, res, { ...entry, result: resultOf(result) });
  return result;
}
