/**
 * The contacts REST API (docs/api.md, "Contacts"), mounted at /api/contacts. Any signed-in principal
 * reads (`contacts:read`); admins and operators write (`contacts:manage`). Every change is audited
 * before the answer goes out.
 */
import {
  contactSourceSchema,
  createContactBodySchema,
  type ImportResult,
  importContactsBodySchema,
  type PublicSettings,
  updateContactBodySchema,
} from '@linedeck/contract';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Access } from '../access/access.ts';
import { type Audit, auditedChangeBy } from '../audit/audit-seam.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import type { Contacts } from './contacts.ts';
import { contactsCsv } from './export-csv.ts';
import { checkContactsCsv, checkImportRows } from './import-csv.ts';

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
  source: contactSourceSchema.optional(),
});

/** `GET /api/settings/public`: the default country, so the web reads and groups numbers as the server does. */
export function publicSettingsRoute(contacts: Contacts) {
  return (_req: Request, res: Response) => {
    const settings: PublicSettings = { defaultCountry: contacts.defaultCountry };
    res.json(settings);
  };
}

/** Directory contacts are the directory's: LineDeck shows them but changes them there, never here. */
function refuseDirectoryContact(contacts: Contacts, id: string): void {
  if (contacts.isDirectoryContact(id))
    throw new AppError(
      'rejected',
      'This contact comes from the directory (LDAP) and is read-only here: change it in the directory.',
    );
}

export function contactRoutes(deps: ContactRoutesDeps): Router {
  const { contacts, access, audit, logger } = deps;
  const router = Router();
  const read = access.authorize('contacts:read');
  const manage = access.authorize('contacts:manage');

  const audited = auditedChangeBy({ audit, logger });

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
    const body = parseBody(importContactsBodySchema, req.body);
    const checked = 'csv' in body ? checkContactsCsv(body.csv) : checkImportRows(body.contacts);
    const options = { dryRun: body.dryRun, skipDuplicates: body.skipDuplicates };
    const run = () => contacts.importMany(checked.rows, options);
    const params = { rows: checked.rows.length, invalid: checked.errors.length };
    // A dry run changes nothing, so it is not an audited change.
    const counts = body.dryRun ? await run() : await audited(req, res, 'contacts:import', params, run);
    const invalid = checked.errors.map((e) => ({
      row: e.row,
      outcome: 'invalid' as const,
      message: e.message,
    }));
    const result: ImportResult = {
      imported: counts.imported,
      duplicates: counts.duplicates,
      errors: checked.errors,
      rows: [...counts.rows, ...invalid].sort((a, b) => a.row - b.row),
    };
    res.json(result);
  });

  router.get('/export.csv', read, async (_req, res) => {
    res
      .type('text/csv; charset=utf-8')
      .attachment('contacts.csv')
      .send(contactsCsv(await contacts.all()));
  });

  router.get('/:id', read, async (req, res) => {
    res.json(await contacts.get(req.params.id as string));
  });

  router.patch('/:id', manage, async (req, res) => {
    const id = req.params.id as string;
    refuseDirectoryContact(contacts, id);
    await contacts.get(id);
    const body = parseBody(updateContactBodySchema, req.body);
    const contact = await audited(req, res, 'contacts:update', { id, ...body }, () =>
      contacts.update(id, body),
    );
    res.json(contact);
  });

  router.delete('/:id', manage, async (req, res) => {
    const id = req.params.id as string;
    refuseDirectoryContact(contacts, id);
    const current = await contacts.get(id);
    await audited(req, res, 'contacts:delete', { id, name: current.name }, () => contacts.remove(id));
    res.status(204).end();
  });

  return router;
}
