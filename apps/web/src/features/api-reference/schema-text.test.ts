import { buildOpenApiDocument } from '@linedeck/contract/openapi';
import { describe, expect, it } from 'vitest';
import { type JsonSchema, schemaText } from './schema-text.ts';

describe('schemaText', () => {
  it('writes scalars with their limits, enums, nullables and arrays', () => {
    expect(schemaText({ type: 'string', minLength: 1, maxLength: 80 })).toBe('string (1–80)');
    expect(schemaText({ type: 'integer', minimum: 0, maximum: 15 })).toBe('integer (0–15)');
    expect(schemaText({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaText({ enum: ['blind', 'attended'] })).toBe('"blind" | "attended"');
    expect(schemaText({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 64 })).toBe(
      'string[] (1–64)',
    );
    expect(schemaText({})).toBe('any');
  });

  it('marks optional fields of an object and names references', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { on: { type: 'boolean' }, line: { type: 'integer' } },
      required: ['on'],
    };
    expect(schemaText(schema)).toBe('{ on: boolean, line?: integer }');
    expect(schemaText({ $ref: '#/components/schemas/ApiError' })).toBe('ApiError');
  });

  it("reads the real document's bodies", () => {
    const doc = buildOpenApiDocument({ version: 'test' });
    const dial = doc.paths['/api/phones/{id}/calls']?.post?.requestBody?.content['application/json'].schema;
    expect(schemaText(dial as JsonSchema)).toBe('{ number: string, account?: integer (0–15) }');
  });
});
