/**
 * The OpenAPI 3.1 document of the LineDeck API, generated from the operations table (api-routes.ts)
 * with zod's own JSON Schema output (OpenAPI 3.1 schemas are JSON Schema 2020-12), so the document
 * cannot drift from what the server validates. Request shapes are the schemas' input side (what a
 * client sends, before defaults and transforms), answers their output side.
 */
import { z } from 'zod';
import { API_OPERATIONS, type ApiOperation } from './api-routes.ts';
import { apiErrorBodySchema } from './index.ts';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string }[];
  security: Json[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Json;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  /** Who may call it (see ApiOperation.access). */
  'x-linedeck-access': string;
  security?: Json[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: { 'application/json': { schema: Json } } };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: Json;
}

/** `/api/phones/:id` -> `/api/phones/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // Refinements and transforms have no JSON Schema: the shape before them is documented ('any').
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function operationId(op: ApiOperation): string {
  const words = op.path
    .replace(/^\/(api|cti)\//, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by-${w.slice(1)}` : w));
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
}

function parameters(op: ApiOperation): OpenApiParameter[] {
  const inPath: OpenApiParameter[] = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1] as string,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (!op.query) return inPath;
  const query = jsonSchema(op.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]): OpenApiParameter => {
    const { description, ...rest } = schema as Json & { description?: string };
    return {
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
  return [...inPath, ...inQuery];
}

function responses(op: ApiOperation): OpenApiOperation['responses'] {
  const status = String(op.status ?? 200);
  const error = {
    description: 'An error (docs/api.md, "Errors")',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
  };
  if (op.status === 204) return { [status]: { description: 'Done, no body' }, default: error };
  const content = op.contentType
    ? { [op.contentType]: {} }
    : { 'application/json': op.response ? { schema: jsonSchema(op.response, 'output') } : {} };
  return { [status]: { description: 'Success', content }, default: error };
}

function operation(op: ApiOperation): OpenApiOperation {
  const params = parameters(op);
  return {
    operationId: operationId(op),
    summary: op.summary,
    tags: [op.tag],
    'x-linedeck-access': op.access,
    ...(op.access === 'public' ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
          },
        }
      : {}),
    responses: responses(op),
  };
}

export interface OpenApiOptions {
  version: string;
  /** The server's own URL, when known; clients resolve paths against it. */
  serverUrl?: string;
  operations?: readonly ApiOperation[];
}

export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const operations = options.operations ?? API_OPERATIONS;
  const paths: OpenApiDocument['paths'] = {};
  for (const op of operations) {
    const path = openApiPath(op.path);
    paths[path] ??= {};
    (paths[path] as Record<string, OpenApiOperation>)[op.method] = operation(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'LineDeck API',
      version: options.version,
      description:
        'Grandstream GRP26xx desk phones over their CTI API. Sign in with the session cookie (POST /api/session) or send an API token as `Authorization: Bearer <token>`. People read docs/api.md.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    security: [{ session: [] }, { token: [] }],
    paths,
    components: {
      schemas: { ApiError: jsonSchema(apiErrorBodySchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'linedeck_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
