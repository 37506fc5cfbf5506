import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';

/**
 * Response serialization. Each route's zod response schema is turned once, at start-up, into
 * JSON Schema and compiled by fast-json-stringify into a function that writes exactly the
 * schema's properties, in its order: a field a DTO carries by mistake never leaves the
 * server, as with zod, without validating and copying every object of every answer on the
 * way out (zod's serializer cost a list page about a quarter of its CPU).
 *
 * The trade: fast-json-stringify checks shapes, not values. A missing required property still
 * fails the response (a 500), but a value of the wrong type is coerced rather than refused,
 * and enums and formats are not checked. Response values come from our own DTO mappers, whose
 * types the compiler checks. A schema JSON Schema cannot express falls back to zod's serializer.
 */
export const serializerCompiler: FastifySerializerCompiler<ZodType> = (route) => {
  // Compiled on a route's first answer with this status, not at start-up: compiling all
  // 400-odd response schemas up front added about half a second to every start.
  let serialize: ((data: unknown) => string) | undefined;
  const compile = (): ((data: unknown) => string) => {
    try {
      const jsonSchema = z.toJSONSchema(route.schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
      return fastJson(allowExtraProperties(jsonSchema) as Parameters<typeof fastJson>[0]);
    } catch {
      return zodSerializerCompiler(route);
    }
  };
  return (data) => (serialize ??= compile())(data);
};

/**
 * Drops `additionalProperties: false`. fast-json-stringify writes only the listed properties
 * whatever it says; but to pick a branch of a union it validates the value against each
 * branch, and there `false` would refuse a value that merely carries more than the branch
 * lists (zod strips it; the union would fail the response).
 */
function allowExtraProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowExtraProperties);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    copy[key] = allowExtraProperties(value);
  }
  return copy;
}
