/**
 * The contacts REST API (docs/api.md, "Contacts"), mounted at /api/contacts. Any signed-in principal
 * reads (`contacts:read`); admins and operators write (`contacts:manage`). Every change is audited
 * before the answer goes out.
 */
import {
  createContactBodySchema,
  type ImportResult,
  importContactsBodySchema,
  updateContactBodySchema,
} from '@linedeck/contract';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Access } from '../access/access.ts';
import { type Audit, recordAudit } from '../audit/audit-seam.ts';
import { toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { Contacts } from './contacts.ts';
import { checkContactsCsv } from './import-csv.ts';

export interface ContactRoutesDeps {
  contacts: Contacts;
  access: Access;
  audit: Audit;
  logger: Logger;
}

const listQuerySchema = z.object({
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function contactRoutes(deps: ContactRoutesDeps): Router {
  const { contacts, access, audit, logger } = deps;
  const router = Router();
  const read = access.authorize('contacts:read');
  const manage = access.authorize('contacts:manage');

  async function audited<T>(
    req: Request,
    res: Response,
    action: string,
    params: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      const result = await run();
      await recordAudit(audit, logger, req, res, { action, phoneId: null, params, result: 'ok' });
      return result;
    } catch (err) {
      const result = toAppError(err).code;
      await recordAudit(audit, logger, req, res, { action, phoneId: null, params, result });
      throw err;
    }
  }

  router.get('/', read, async (req, res) => {
    res.json(await contacts.list(parseBody(listQuerySchema, req.query, 'The query is not valid.')));
  });

  router.post('/', manage, async (req, res) => {
    const body = parseBody(createContactBodySchema, req.body);
    const contact = await audited(req, res, 'contacts:create', { name: body.name, number: body.number }, () =>
      contacts.create(body),
    );
    res.status(201).location(`/api/contacts/${contact.id}`).json(contact);
  });

  router.post('/import', manage, async (req, res) => {
    const { csv } = parseBody(importContactsBodySchema, req.body);
    const checked = checkContactsCsv(csv);
    const params = { rows: checked.rows.length, invalid: checked.errors.length };
    const counts = await audited(req, res, 'contacts:import', params, () =>
      contacts.importMany(checked.rows),
    );
    const result: ImportResult = { ...counts, errors: checked.errors };
    res.json(result);
  });

  router.get('/:id', read, async (req, res) => {
    res.json(await contacts.get(req.params.id as string));
  });

  router.patch('/:id', manage, async (req, res) => {
    const id = req.params.id as string;
    await contacts.get(id);
    const body = parseBody(updateContactBodySchema, req.body);
    const contact = await audited(req, res, 'contacts:update', { id, ...body }, () =>
      contacts.update(id, body),
    );
    res.json(contact);
  });

  router.delete('/:id', manage, async (req, res) => {
    const id = req.params.id as string;
    const current = await contacts.get(id);
    await audited(req, res, 'contacts:delete', { id, name: current.name }, () => contacts.remove(id));
    res.status(204).end();
  });

  return router;
}
