import { z } from 'zod';
import { AppError, validationError } from '../platform/errors.js';
import { acceptsNull, arrayElement, objectShape } from './zod-shape.js';

/**
 * Resolver input, parsed with the zod schema the REST route uses. GraphQL sends `null` for
 * an optional argument or field a client wrote as null; REST has no such value. One rule
 * for every module: null means absent, except where the zod schema itself is nullable
 * (`phone: null` clears a phone number).
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, path = 'input'): z.infer<T> {
  const parsed = schema.safeParse(nullsAsAbsent(schema, value));
  if (!parsed.success) throw validationError(parsed.error.issues, path);
  return parsed.data;
}

/** Drops nulls the schema does not take, at every depth of objects and arrays. */
export function nullsAsAbsent(schema: z.ZodType, value: unknown): unknown {
  if (Array.isArray(value)) {
    const element = arrayElement(schema);
    return element ? value.map((v) => nullsAsAbsent(element, v)) : value;
  }
  const shape = value !== null && typeof value === 'object' ? objectShape(schema) : undefined;
  if (!shape) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // Object.hasOwn: a key such as `constructor` is not a field of the schema.
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    // An unknown key stays, so that the strict schema names it.
    if (!field) out[key] = v;
    else if (v !== null || acceptsNull(field)) out[key] = nullsAsAbsent(field, v);
  }
  return out;
}

const uuid = z.uuid();

/**
 * An id argument. One that is not a UUID names nothing that could exist: NOT_FOUND, as
 * REST answers 404 for a malformed id in the path.
 */
export function parseId(value: unknown): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw new AppError('not_found', 'not_found', 'Not found.');
  return parsed.data;
}
