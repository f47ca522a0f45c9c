/**
 * `/api/directory...` (docs/integrations.md, "Directories"): admins only. Saving the settings, a test
 * and a refresh are audited; the audit names the URL and bind DN, never the password.
 */
import { type DirectoryView, directorySettingsBodySchema } from '@linedeck/contract';
import { Router } from 'express';
import { type Access, adminsOnly } from '../access/access.ts';
import { type Audit, auditedChangeBy } from '../audit/audit-seam.ts';
import type { Logger } from '../logger.ts';
import { parseBody } from '../validate.ts';
import { certificateFingerprints, type Directory } from './directory.ts';

export interface DirectoryRoutesDeps {
  directory: Directory;
  access: Access;
  audit: Audit;
  logger: Logger;
}

export function directoryRoutes(deps: DirectoryRoutesDeps): Router {
  const { directory, access, audit, logger } = deps;
  const router = Router();
  router.use('/directory', access.authenticate, adminsOnly('Only admins manage the directory.'));

  const audited = auditedChangeBy({ audit, logger });
  const view = (): DirectoryView => ({ settings: directory.settings(), status: directory.status() });

  router.get('/directory', (_req, res) => {
    res.json(view());
  });

  router.put('/directory', async (req, res) => {
    const body = parseBody(directorySettingsBodySchema, req.body);
    const { password, caCertificate, ...params } = body;
    const audit = {
      ...params,
      password: password === undefined ? 'kept' : password === null ? 'removed' : 'changed',
      // The certificates by fingerprint: a PEM is long, and the fingerprint is what an admin compares.
      caCertificates: certificateFingerprints(caCertificate),
    };
    await audited(req, res, 'directory:update', audit, () => directory.save(body));
    res.json(view());
  });

  router.post('/directory/test', async (req, res) => {
    const hasBody = req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0;
    const body = hasBody ? parseBody(directorySettingsBodySchema, req.body) : undefined;
    const result = await directory.test(body);
    res.json(result);
  });

  router.post('/directory/refresh', async (req, res) => {
    await audited(req, res, 'directory:refresh', {}, () => directory.refresh());
    res.json(view());
  });

  return router;
}
