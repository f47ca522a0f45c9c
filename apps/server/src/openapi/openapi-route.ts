/**
 * `GET /api/openapi.json`: the generated OpenAPI 3.1 document. Admins only (`users:manage`): it maps the
 * whole admin surface (users, tokens, the raw CTI passthrough) and only admins build integrations; every
 * other role would read operations it may not call. Built once on first request: the table is static.
 */
import { buildOpenApiDocument, type OpenApiDocument } from '@linedeck/contract/openapi';
import type { RequestHandler } from 'express';
import type { Access } from '../access/access.ts';

export function openApiHandlers(deps: { access: Access; version: string }): RequestHandler[] {
  let document: OpenApiDocument | undefined;
  const serve: RequestHandler = (_req, res) => {
    document ??= buildOpenApiDocument({ version: deps.version });
    res.json(document);
  };
  return [deps.access.authenticate, deps.access.authorize('users:manage'), serve];
}
