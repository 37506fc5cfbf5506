import type { z } from 'zod';

/** Reading a zod schema's structure: the part of zod's definitions the GraphQL helpers need. */

export interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType) => schema._zod.def as unknown as ZodDef;

/** Wrappers that let a value be left out (or null): the GraphQL field is nullable. */
export const OPTIONAL_WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'catch']);
/** Wrappers that change nothing of the input's shape. */
const TRANSPARENT_WRAPPERS = new Set(['readonly']);

/**
 * The schema and the wrappers around it, outermost first, down to the schema that says what
 * the input is; a pipe is read at its input end (what the client sends), whatever it is
 * transformed into.
 */
export function* layers(schema: z.ZodType): Generator<[z.ZodType, ZodDef]> {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    yield [current, def];
    if ((OPTIONAL_WRAPPERS.has(def.type) || TRANSPARENT_WRAPPERS.has(def.type)) && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return;
    }
  }
}

const innermost = (schema: z.ZodType): ZodDef => [...layers(schema)].at(-1)![1];

/** The fields of a zod object, through its wrappers; undefined for anything else. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = innermost(schema);
  return def.type === 'object' ? def.shape : undefined;
}

/** The element schema of a zod array, through its wrappers. */
export function arrayElement(schema: z.ZodType): z.ZodType | undefined {
  const def = innermost(schema);
  return def.type === 'array' ? def.element : undefined;
}

/** True when the zod schema takes `null` as a value of its own (`.nullable()`). */
export function acceptsNull(schema: z.ZodType): boolean {
  return [...layers(schema)].some(([, def]) => def.type === 'nullable');
}
