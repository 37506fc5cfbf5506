import {
  buildSchema,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  printType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEARCH_SORTS } from '../../modules/properties/properties.constants.js';
import { propertiesTypeDefs } from '../../modules/properties/properties.graphql.js';
import {
  PropertyStatus,
  PropertyType,
  CancellationPolicy,
  SearchSort,
} from '../../modules/properties/properties.schemas.js';
import {
  CANCELLATION_POLICIES,
  properties,
  PROPERTY_STATUSES,
  PROPERTY_TYPES,
} from '../../modules/properties/properties.table.js';
import { usersTypeDefs } from '../../modules/users/users.graphql.js';
import { RegistrableRole, Role, UserStatus } from '../../modules/users/users.schemas.js';
import { USER_STATUSES, users } from '../../modules/users/users.table.js';
import { ROLES } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { nullsAsAbsent, parseId, parseInput } from '../input.js';
import { pageInfoTypeDefs, toConnection } from '../relay.js';
import { scalarTypeDefs } from '../scalars.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../sdl.js';

const inputOf = (typeDefs: string, name: string) =>
  printType(buildSchema(typeDefs).getType(name) as GraphQLInputObjectType);

describe('graphqlEnum', () => {
  const colours = { about: 'A colour.', values: { red: 'Warm.', dark_blue: 'Cold.' } };

  it('writes an enum from a list, each value described, refusing values that are not GraphQL names', () => {
    expect(graphqlEnum('Colour', ['red', 'dark_blue'], colours).sdl).toBe(
      '"A colour."\nenum Colour {\n  "Warm."\n  red\n  "Cold."\n  dark_blue\n}\n',
    );
    expect(() =>
      graphqlEnum('Colour', ['red', 'light-blue'], { about: '', values: { red: '', 'light-blue': '' } }),
    ).toThrow(/light-blue/);
    expect(() => graphqlEnum('My Colour', ['red'], { about: '', values: { red: '' } })).toThrow(/not a GraphQL name/);
  });

  it('refuses descriptions of values it does not have', () => {
    const values = { red: 'Warm.', dark_blue: 'Cold.', green: 'Fresh.' } as Record<'red' | 'dark_blue', string>;
    expect(() => graphqlEnum('Colour', ['red', 'dark_blue'], { about: 'A colour.', values })).toThrow(/green/);
  });
});

describe('graphqlInput', () => {
  const colour = graphqlEnum('Colour', ['red', 'blue'], {
    about: 'A colour.',
    values: { red: 'Warm.', blue: 'Cold.' },
  });
  const Point = z.strictObject({ x: z.number(), y: z.number().optional() });
  const point = graphqlInput('PointInput', Point);
  const Shape = z
    .strictObject({
      id: z.uuid(),
      name: z.string().trim().min(1).describe('What it is called.'),
      email: z.string().trim().pipe(z.email()),
      sides: z.coerce.number().int().min(3),
      scale: z.number().multipleOf(0.5).default(1),
      filled: z.boolean().optional(),
      colour: z.enum(['blue', 'red']).optional(),
      tags: z
        .array(z.string())
        .default([])
        .transform((a) => a.sort()),
      note: z.string().nullable(),
      centre: Point,
      corner: Point.optional(),
      csv: z.string().optional(),
      day: z.iso.date().describe('A day.'),
      at: z.iso.datetime().optional(),
      secret: z.string().optional(),
    })
    .meta({ description: 'A shape.' });

  it('maps each field: required when zod requires it, the input end of pipes, named enums and inputs', () => {
    const shape = graphqlInput('ShapeInput', Shape, {
      uses: [colour, point],
      omit: ['secret'],
      types: { csv: '[String!]' },
      descriptions: { csv: 'A list.' },
    });
    expect(
      inputOf(sdl('type Query { x: Int }', 'scalar Date scalar DateTime', colour, point, shape), 'ShapeInput'),
    ).toBe(
      [
        '"""A shape."""',
        'input ShapeInput {',
        '  id: ID!',
        '',
        '  """What it is called."""',
        '  name: String!',
        '  email: String!',
        '  sides: Int!',
        '  scale: Float',
        '  filled: Boolean',
        '  colour: Colour',
        '  tags: [String!]',
        '  note: String',
        '  centre: PointInput!',
        '  corner: PointInput',
        '',
        '  """A list."""',
        '  csv: [String!]',
        '',
        '  """A day."""',
        '  day: Date!',
        '  at: DateTime',
        '}',
      ].join('\n'),
    );
  });

  it('refuses what it cannot map rather than guess', () => {
    expect(() => graphqlInput('ShapeInput', Shape, { uses: [point] })).toThrow(/ShapeInput.colour: no enum/);
    expect(() => graphqlInput('ShapeInput', Shape, { uses: [colour] })).toThrow(/ShapeInput.centre: a nested object/);
    expect(() => graphqlInput('Bad', z.strictObject({ at: z.date() }))).toThrow(/Bad.at: zod type "date"/);
    expect(() => graphqlInput('Bad', z.strictObject({ a: z.string() }), { descriptions: { b: 'B.' } })).toThrow(
      /descriptions names no field of the schema: b/,
    );
    expect(() => graphqlInput('Bad', z.string())).toThrow(/not an object/);
    expect(() => graphqlInput('PointInput', Point, { omit: ['z'] })).toThrow(/omit names no field of the schema: z/);
    // An enum that is a subset of a named one is not that enum.
    expect(() => graphqlInput('Paint', z.strictObject({ c: z.enum(['red']) }), { uses: [colour] })).toThrow(
      /exactly the values red/,
    );
  });
});

describe('one list per enum', () => {
  const schema = buildSchema(
    sdl('type Query\ntype Mutation', scalarTypeDefs, usersTypeDefs, propertiesTypeDefs, pageInfoTypeDefs),
  );
  const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.value);

  it.each([
    ['Role', ROLES, Role.options, users.role.enumValues],
    ['RegistrableRole', ['guest', 'host'], RegistrableRole.options, undefined],
    ['PropertyType', PROPERTY_TYPES, PropertyType.options, properties.propertyType.enumValues],
    ['CancellationPolicy', CANCELLATION_POLICIES, CancellationPolicy.options, properties.cancellationPolicy.enumValues],
    ['PropertyStatus', PROPERTY_STATUSES, PropertyStatus.options, properties.status.enumValues],
    ['PropertySort', SEARCH_SORTS, SearchSort.options, undefined],
  ] as const)('%s: GraphQL, zod and the column take the same values', (name, list, zod, column) => {
    expect(enumValues(name)).toEqual([...list]);
    expect(zod).toEqual([...list]);
    if (column) expect(column).toEqual([...list]);
  });

  it('user statuses: zod and the column', () => {
    expect(UserStatus.options).toEqual([...USER_STATUSES]);
    expect(users.status.enumValues).toEqual([...USER_STATUSES]);
  });
});

describe('parseInput: null is absent unless the schema is nullable', () => {
  const Schema = z.strictObject({
    name: z.string().optional(),
    phone: z.string().nullable().optional(),
    size: z.number().default(1),
    address: z.strictObject({ city: z.string().optional(), region: z.string().nullable().optional() }).optional(),
    rooms: z.array(z.strictObject({ beds: z.number().optional() })).optional(),
  });

  it('drops nulls for optional fields at every depth, keeps them where zod takes null', () => {
    expect(
      nullsAsAbsent(Schema, {
        name: null,
        phone: null,
        size: null,
        address: { city: null, region: null },
        rooms: [{ beds: null }, { beds: 2 }],
      }),
    ).toEqual({ phone: null, address: { region: null }, rooms: [{}, { beds: 2 }] });
    expect(parseInput(Schema, { name: null, size: null, phone: null })).toEqual({ phone: null, size: 1 });
  });

  it('leaves unknown keys for the strict schema to name', () => {
    expect(nullsAsAbsent(Schema, { bogus: null, constructor: null })).toEqual({ bogus: null, constructor: null });
    expect(() => parseInput(Schema, { bogus: null })).toThrow(AppError);
    expect(() => parseInput(Schema, { address: { town: 'x' } })).toThrow(
      expect.objectContaining({ errors: [{ path: 'input.address.town', message: 'Unknown field.' }] }),
    );
  });

  it('a null for a required field stays a missing field', () => {
    const Required = z.strictObject({ name: z.string() });
    expect(() => parseInput(Required, { name: null })).toThrow(AppError);
  });
});

describe('parseId', () => {
  it('a malformed id is not found, not invalid', () => {
    const id = '0d9a7c1e-5b8f-4f0e-9a4c-2f3b1e6d7a80';
    expect(parseId(id)).toBe(id);
    for (const bad of ['nope', '', 42, null]) {
      expect(() => parseId(bad)).toThrow(expect.objectContaining({ kind: 'not_found', code: 'not_found' }));
    }
  });
});

describe('toConnection', () => {
  it('an edge per row with its cursor; start and end cursors are the first and last edges', () => {
    expect(
      toConnection({ data: ['a', 'b'], page: { nextCursor: 'cb', hasMore: true }, cursors: ['ca', 'cb'] }),
    ).toEqual({
      edges: [
        { node: 'a', cursor: 'ca' },
        { node: 'b', cursor: 'cb' },
      ],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'ca', endCursor: 'cb' },
    });
    expect(toConnection({ data: [], page: { nextCursor: null, hasMore: false }, cursors: [] })).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });
});

describe('describedFrom', () => {
  const Dto = z
    .object({ id: z.uuid(), at: z.string().nullable().describe('When.'), note: z.string().describe('REST text.') })
    .meta({ description: 'A thing.' });
  const Input = z.strictObject({ body: z.string().describe('What to say.') });
  const typeDefs = `
    type Thing { id: ID! at: String "GraphQL text." note: String! }
    type Query { say(body: String!, loud: Boolean): Thing }
  `;

  it('fills what the SDL leaves undescribed from the REST schemas, keeping what it says itself', () => {
    const schema = buildSchema(describedFrom({ Thing: Dto, 'Query.say': Input }, typeDefs));
    const thing = schema.getType('Thing') as GraphQLObjectType;
    expect(thing.description).toBe('A thing.');
    expect(Object.values(thing.getFields()).map((f) => [f.name, f.description])).toEqual([
      ['id', undefined],
      ['at', 'When.'],
      ['note', 'GraphQL text.'],
    ]);
    const say = schema.getQueryType()!.getFields().say!;
    expect(say.args.map((a) => [a.name, a.description])).toEqual([
      ['body', 'What to say.'],
      ['loud', undefined],
    ]);
  });

  it('refuses a source that names no type or field of the SDL', () => {
    expect(() => describedFrom({ Thingy: Dto }, typeDefs)).toThrow(/Thingy/);
    expect(() => describedFrom({ 'Query.shout': Input }, typeDefs)).toThrow(/Query.shout/);
  });
});
