import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import type { z } from 'zod';
import { isoDate, isoInstant } from '../platform/validation.js';

/**
 * `DateTime` and `Date`: the two shapes of time on the wire, written as REST writes them.
 *
 * Output is exactly the JSON string REST answers (`2026-12-07T15:00:00.000Z`,
 * `2026-12-24`), never a JS Date left for a serializer to stringify. Input is checked with
 * the zod schemas REST checks the same values with (same rule, same message) and handed to
 * the resolver as the string the client sent, so the service gets what REST gives it. A
 * value that is not of its type is refused before anything runs, like an `Int` given text:
 * 400 GRAPHQL_VALIDATION_FAILED, naming the variable and the field.
 */

/** The message of the first issue zod finds, or undefined when the value passes. */
function problem(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : (parsed.error.issues[0]?.message ?? 'Invalid value.');
}

/** A string the schema accepts, as sent; else a GraphQLError (graphql-js reports it as the client's). */
function parseString(name: string, schema: z.ZodType, value: unknown, node?: ValueNode): string {
  if (typeof value !== 'string') {
    const what = node ? print(node) : JSON.stringify(value);
    throw new GraphQLError(`${name} cannot represent a non-string value: ${what}.`, { nodes: node });
  }
  const wrong = problem(schema, value);
  if (wrong) throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}: ${wrong}`, { nodes: node });
  return value;
}

const parseLiteralWith = (name: string, schema: z.ZodType) => (node: ValueNode) =>
  parseString(name, schema, node.kind === Kind.STRING ? node.value : undefined, node);

export const DATE_TIME_DESCRIPTION =
  'An instant in UTC, ISO-8601 with milliseconds: `2026-12-07T15:00:00.000Z`. Input takes the same form (the `Z` is required; fractional seconds optional).';

export const DATE_DESCRIPTION =
  'A calendar day, `YYYY-MM-DD` (`2026-12-24`), years 0001–9999, real days only. A day has no time zone: a stay’s days are the property’s local days.';

/** Output: a Date, or an ISO-8601 date-time string (any offset), as the UTC instant `…T…Z`. */
function serializeDateTime(value: unknown): string {
  const instant =
    value instanceof Date ? value : typeof value === 'string' && isIsoDateTime(value) ? new Date(value) : undefined;
  if (!instant || Number.isNaN(instant.getTime())) throw new GraphQLError(`DateTime cannot represent ${shown(value)}.`);
  return instant.toISOString();
}

// ISO-8601 date and time with a `Z` or an offset; Date.parse alone would take "Dec 7, 2026".
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const isIsoDateTime = (value: string) => ISO_DATE_TIME.test(value);

const shown = (value: unknown) =>
  value instanceof Date ? 'an invalid Date' : typeof value === 'string' ? JSON.stringify(value) : typeof value;

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: DATE_TIME_DESCRIPTION,
  serialize: serializeDateTime,
  parseValue: (value) => parseString('DateTime', isoInstant, value),
  parseLiteral: parseLiteralWith('DateTime', isoInstant),
});

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: DATE_DESCRIPTION,
  // A JS Date is an instant, not a day: which day it is depends on a time zone, so only the string is taken.
  serialize: (value) => {
    if (typeof value !== 'string' || problem(isoDate, value))
      throw new GraphQLError(`Date cannot represent ${shown(value)}.`);
    return value;
  },
  parseValue: (value) => parseString('Date', isoDate, value),
  parseLiteral: parseLiteralWith('Date', isoDate),
});

const RFC_3339 = 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6';

/** The scalars' SDL, described here rather than by the resolvers (mercurius keeps the SDL's). */
export const scalarTypeDefs = /* GraphQL */ `
  ${JSON.stringify(DATE_TIME_DESCRIPTION)}
  scalar DateTime @specifiedBy(url: "${RFC_3339}")

  ${JSON.stringify(DATE_DESCRIPTION)}
  scalar Date @specifiedBy(url: "${RFC_3339}")
`;

const coercion = ({ serialize, parseValue, parseLiteral }: GraphQLScalarType) => ({
  serialize,
  parseValue,
  parseLiteral,
});

/** The coercion functions mercurius sets on the SDL's scalars. */
export const scalarResolvers = { DateTime: coercion(DateTimeScalar), Date: coercion(DateScalar) };
