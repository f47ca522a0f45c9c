/**
 * A JSON Schema (as zod writes it into the OpenAPI document) in one compact, TypeScript-like line for
 * the reference page: `{ name: string (1–80), model?: string | null }`. Enough to read a body at a
 * glance without a schema viewer; the full schema is in /api/openapi.json.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  default?: unknown;
  $ref?: string;
}

function range(min: number | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return '';
  if (min === undefined) return ` (≤ ${max})`;
  if (max === undefined) return ` (≥ ${min})`;
  return min === max ? ` (${min})` : ` (${min}–${max})`;
}

function single(schema: JsonSchema, type: string, depth: number): string {
  switch (type) {
    case 'string':
      return `${schema.format ? `string<${schema.format}>` : 'string'}${range(schema.minLength, schema.maxLength)}`;
    case 'integer':
    case 'number':
      return `${type}${range(schema.minimum, schema.maximum)}`;
    case 'array':
      return `${schema.items ? wrap(schemaText(schema.items, depth + 1)) : 'unknown'}[]${range(schema.minItems, schema.maxItems)}`;
    case 'object':
      return objectText(schema, depth);
    default:
      return type;
  }
}

function wrap(text: string): string {
  return text.includes(' | ') ? `(${text})` : text;
}

function objectText(schema: JsonSchema, depth: number): string {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) {
    const extra = schema.additionalProperties;
    return typeof extra === 'object' ? `{ [key]: ${schemaText(extra, depth + 1)} }` : 'object';
  }
  if (depth >= 3) return '{ … }';
  const required = new Set(schema.required ?? []);
  const fields = props.map(
    ([name, value]) => `${name}${required.has(name) ? '' : '?'}: ${schemaText(value, depth + 1)}`,
  );
  return `{ ${fields.join(', ')} }`;
}

export function schemaText(schema: JsonSchema | undefined, depth = 0): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  if (schema.$ref) return schema.$ref.split('/').pop() ?? 'any';
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => schemaText(s, depth)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? objectText(schema, depth) : 'any';
  return types.map((t) => single(schema, t, depth)).join(' | ');
}
