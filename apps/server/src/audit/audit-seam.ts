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

/**
 * Records with the request's principal and address; a failing audit store is logged, never hides the
 * answer. A promise only when the audit's `record` gives one (the audit log queues the row at once).
 */
export function recordAudit(
  audit: Audit,
  logger: Logger,
  req: Request,
  res: Response,
  entry: Omit<AuditRecord, 'principal' | 'address'>,
): Promise<void> | undefined {
  const failed = (err: unknown) => {
    logger.error({ err, action: entry.action, phoneId: entry.phoneId }, 'audit record failed');
  };
  try {
    const written = audit.record({ ...entry, principal: principalOf(res), address: req.ip ?? null });
    return written instanceof Promise ? written.catch(failed) : undefined;
  } catch (err) {
    failed(err);
    return undefined;
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
  const written = recordAudit(sink.audit, sink.logger, req, res, { ...entry, result: resultOf(result) });
  if (written) await written;
  return result;
}

/**
 * `auditedRun` bound to one audit log, as a route file uses it:
 * `audited(req, res, action, phoneId, params, run)`; `resultOf` names a success (default `ok`).
 */
export function auditedBy(sink: { audit: Audit; logger: Logger }, resultOf?: (result: unknown) => string) {
  return <T>(
    req: Request,
    res: Response,
    action: string,
    phoneId: string | null,
    params: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => auditedRun(sink, req, res, { action, phoneId, params }, run, resultOf);
}

/** The same for changes that concern no one phone (contacts, webhooks, the directory): no `phoneId`. */
export function auditedChangeBy(sink: { audit: Audit; logger: Logger }) {
  return <T>(
    req: Request,
    res: Response,
    action: string,
    params: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => auditedRun(sink, req, res, { action, phoneId: null, params }, run);
}
