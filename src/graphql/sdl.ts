import { Kind, parse, print, type DefinitionNode, type StringValueNode } from 'graphql';
import type { z } from 'zod';
import { layers, objectShape, OPTIONAL_WRAPPERS, type ZodDef } from './zod-shape.js';

/**
 * SDL written from the lists and zod schemas REST already uses, so that an enum value or
 * an input field is declared once. Output types stay hand-written: they carry
 * GraphQL-only fields (batch-loaded relations) and their own documentation.
 */

export interface GraphqlEnum {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly string[];
  readonly sdl: string;
}

export interface GraphqlInput {
  readonly kind: 'input';
  readonly name: string;
  readonly schema: z.ZodType;
  readonly sdl: string;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) throw new Error(`${what} "${name}" is not a GraphQL name.`);
}

const description = (text: string | undefined, indent = '') => (text ? `${indent}${JSON.stringify(text)}\n` : '');

export interface GraphqlEnumDocs<V extends string> {
  /** What the enum is. */
  about: string;
  /** What each value means; every value has one. */
  values: Readonly<Record<V, string>>;
}

/**
 * `enum Name { … }` from an `as const` list, the one the zod enum and the column use too.
 * Values keep their spelling (lower case, as REST and the database write them), so a value
 * is the same string on both transports.
 */
export function graphqlEnum<const V extends string>(
  name: string,
  values: readonly V[],
  docs: GraphqlEnumDocs<V>,
): GraphqlEnum {
  checkName(name, 'Enum');
  for (const value of values) {
    checkName(value, `A value of ${name}`);
    if (['true', 'false', 'null'].includes(value)) throw new Error(`${name}: "${value}" cannot be an enum value.`);
  }
  const extra = Object.keys(docs.values).filter((v) => !values.includes(v as V));
  if (extra.length > 0) throw new Error(`${name}: descriptions of values it does not have: ${extra.join(', ')}.`);
  const body = values.map((v) => `${description(docs.values[v], '  ')}  ${v}\n`).join('');
  return { kind: 'enum', name, values, sdl: `${description(docs.about)}enum ${name} {\n${body}}\n` };
}

export interface GraphqlInputOptions {
  /** The enums and input types its fields refer to: enums by their values, inputs by their zod schema. */
  uses?: ReadonlyArray<GraphqlEnum | GraphqlInput>;
  /** Fields that GraphQL does not take. */
  omit?: readonly string[];
  /**
   * The GraphQL type of a field whose GraphQL shape differs from its zod input (a REST comma
   * list that GraphQL takes as a list), or whose enum is a subset of a named one.
   */
  types?: Readonly<Record<string, string>>;
  /**
   * Field descriptions: for fields zod does not describe, or instead of its `.describe()`
   * text where that speaks of REST (a 422 is BAD_USER_INPUT here).
   */
  descriptions?: Readonly<Record<string, string>>;
  /** The type's description when the zod schema has none. */
  about?: string;
}

/**
 * `input Name { … }` from a zod object: a field is non-null when zod requires it (no
 * `optional`, `default` or `nullable`); strings are `String` (`ID` for UUIDs, `Date` and
 * `DateTime` for ISO days and instants), integers
 * `Int`, other numbers `Float`; descriptions come from the zod schema. A field it cannot
 * map is an error at start-up, never a silently different type.
 */
export function graphqlInput(name: string, schema: z.ZodType, options: GraphqlInputOptions = {}): GraphqlInput {
  checkName(name, 'Input');
  const shape = objectShape(schema);
  if (!shape) throw new Error(`${name}: the zod schema is not an object.`);
  for (const [option, keys] of Object.entries({
    omit: options.omit ?? [],
    types: Object.keys(options.types ?? {}),
    descriptions: Object.keys(options.descriptions ?? {}),
  })) {
    const unknown = keys.filter((k) => !Object.hasOwn(shape, k));
    if (unknown.length > 0) throw new Error(`${name}: ${option} names no field of the schema: ${unknown.join(', ')}.`);
  }
  const uses = options.uses ?? [];
  const fields = Object.entries(shape)
    .filter(([field]) => !options.omit?.includes(field))
    .map(([field, fieldSchema]) => {
      const type = options.types?.[field] ?? printType(graphqlType(fieldSchema, uses, `${name}.${field}`));
      const about = options.descriptions?.[field] ?? describedAs(fieldSchema);
      return `${description(about, '  ')}  ${field}: ${type}\n`;
    });
  return {
    kind: 'input',
    name,
    schema,
    sdl: `${description(schema.description ?? options.about)}input ${name} {\n${fields.join('')}}\n`,
  };
}

/** SDL parts joined into one document. */
export const sdl = (...parts: ReadonlyArray<string | { sdl: string }>): string =>
  parts.map((p) => (typeof p === 'string' ? p : p.sdl)).join('\n');

/** The `.describe()` text of a field, on it or on any wrapper inside it. */
function describedAs(schema: z.ZodType): string | undefined {
  for (const [layer] of layers(schema)) if (layer.description) return layer.description;
  return undefined;
}

/** zod string formats with a GraphQL type of their own. */
const STRING_FORMATS: Readonly<Record<string, string>> = { uuid: 'ID', date: 'Date', datetime: 'DateTime' };

const printType = (t: { type: string; nullable: boolean }) => (t.nullable ? t.type : `${t.type}!`);

function graphqlType(
  schema: z.ZodType,
  uses: ReadonlyArray<GraphqlEnum | GraphqlInput>,
  where: string,
): { type: string; nullable: boolean } {
  let nullable = false;
  let inner: z.ZodType = schema;
  for (const [layer, def] of layers(schema)) {
    const named = uses.find((u): u is GraphqlInput => u.kind === 'input' && u.schema === layer);
    if (named) return { type: named.name, nullable };
    if (OPTIONAL_WRAPPERS.has(def.type)) nullable = true;
    inner = layer;
  }
  const def = inner._zod.def as unknown as ZodDef;
  const base = (type: string) => ({ type, nullable });
  switch (def.type) {
    case 'string':
      return base(STRING_FORMATS[(inner as z.ZodString).format ?? ''] ?? 'String');
    case 'number':
      return base((inner as z.ZodNumber).isInt ? 'Int' : 'Float');
    case 'boolean':
      return base('Boolean');
    case 'enum': {
      const values = Object.values(def.entries ?? {}).map(String);
      const match = uses.find(
        (u): u is GraphqlEnum =>
          u.kind === 'enum' && u.values.length === values.length && values.every((v) => u.values.includes(v)),
      );
      if (!match) throw new Error(`${where}: no enum in \`uses\` has exactly the values ${values.join(', ')}.`);
      return base(match.name);
    }
    case 'array': {
      return base(`[${printType(graphqlType(def.element!, uses, `${where}[]`))}]`);
    }
    case 'object':
      throw new Error(`${where}: a nested object needs its input type in \`uses\`.`);
    default:
      throw new Error(`${where}: zod type "${def.type}" has no GraphQL mapping; give it in \`types\`.`);
  }
}

/**
 * Fills in what the SDL leaves undescribed from the zod schemas REST documents the same
 * values with, so that both APIs say the same thing: `sources` maps an object type
 * (`Payment`) to its REST schema (the type's description and its fields'), or a field
 * (`Mutation.sendMessage`) to the schema its arguments are parsed with. A description
 * written in the SDL is kept: it is GraphQL's own wording (`BAD_USER_INPUT` for a 422).
 */
export function describedFrom(sources: Readonly<Record<string, z.ZodType>>, typeDefs: string): string {
  const unused = new Set(Object.keys(sources));
  const text = (schema: z.ZodType | undefined, field?: string): StringValueNode | undefined => {
    const target = schema && field !== undefined ? objectShape(schema)?.[field] : schema;
    const about = target && (field === undefined ? target.description : describedAs(target));
    return about ? { kind: Kind.STRING, value: about } : undefined;
  };
  const definitions = parse(typeDefs).definitions.map((def): DefinitionNode => {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) return def;
    const type = def.name.value;
    const dto = sources[type];
    if (dto) unused.delete(type);
    const fields = def.fields?.map((field) => {
      const key = `${type}.${field.name.value}`;
      const args = sources[key];
      if (args) unused.delete(key);
      return {
        ...field,
        description: field.description ?? text(dto, field.name.value),
        arguments: field.arguments?.map((arg) => ({
          ...arg,
          description: arg.description ?? text(args, arg.name.value),
        })),
      };
    });
    const about = def.kind === Kind.OBJECT_TYPE_DEFINITION ? (def.description ?? text(dto)) : undefined;
    return { ...def, ...(about ? { description: about } : {}), fields };
  });
  if (unused.size > 0) throw new Error(`describedFrom: no type or field ${[...unused].join(', ')} in the SDL.`);
  return print({ kind: Kind.DOCUMENT, definitions });
}
