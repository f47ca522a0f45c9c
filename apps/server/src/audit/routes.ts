/** `GET /api/audit?phoneId&userId&from&to&cursor&limit` (admin): the audit log, newest first, paged. */

import { Router } from 'express';
import { z } from 'zod';
import type { Access } from '../access/access.ts';
import type { AuditLog } from './audit-log.ts';

const isoTime = z
  .string()
  .trim()
  .refine(
    (v) => !Number.isNaN(Date.parse(v)),
    'A time is an ISO date or date-time, e.g. 2025-01-31T08:00:00Z.',
  )
  .transform((v) => new Date(v).toISOString());

export const auditQuerySchema = z.strictObject({
  phoneId: z.string().min(1).max(128).optional(),
  userId: z.string().min(1).max(128).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function auditRouter(deps: { access: Access; auditLog: AuditLog }): Router {
  const router = Router();
  router.get('/audit', deps.access.authenticate, deps.access.authorize('audit:read'), async (req, res) => {
    const query = auditQuerySchema.parse(req.query);
    res.json(await deps.auditLog.page(query));
  });
  return router;
}
