import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, toConnection } from '../../graphql/relay.js';
import { graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { UsersApi } from '../users/index.js';
import { SEARCH_SORTS } from './properties.constants.js';
import {
  AddressInput,
  AddressPatch,
  CreateBlockInput,
  CreatePropertyInput,
  SearchPropertiesQuery,
  UpdatePropertyInput,
} from './properties.schemas.js';
import type { PropertiesApi } from './properties.service.js';
import { CANCELLATION_POLICIES, PROPERTY_STATUSES, PROPERTY_TYPES } from './properties.table.js';
import { batchById } from '../../graphql/loaders.js';

const propertyType = graphqlEnum('PropertyType', PROPERTY_TYPES);
const cancellationPolicy = graphqlEnum('CancellationPolicy', CANCELLATION_POLICIES);
const propertyStatus = graphqlEnum('PropertyStatus', PROPERTY_STATUSES);
const propertySort = graphqlEnum('PropertySort', SEARCH_SORTS);
const addressInput = graphqlInput('AddressInput', AddressInput);
const updateAddressInput = graphqlInput('UpdateAddressInput', AddressPatch);

export const propertiesTypeDefs = sdl(
  propertyType,
  cancellationPolicy,
  propertyStatus,
  propertySort,
  /* GraphQL */ `
    type Address {
      "Null for anyone but the host, admins and guests holding a confirmed booking of the place."
      line1: String
      city: String!
      region: String!
      "Null whenever line1 is."
      postalCode: String
      country: String!
    }

    type Property {
      id: ID!
      hostId: ID!
      "The host's public profile; batch-loaded."
      host: PublicProfile
      title: String!
      description: String!
      propertyType: PropertyType!
      address: Address!
      "Exact for the host, admins and guests holding a confirmed booking of the place; else rounded to 2 decimals (about 1 km)."
      latitude: Float!
      longitude: Float!
      timezone: String!
      currency: String!
      "Minor units."
      nightlyPrice: Int!
      cleaningFee: Int!
      weeklyDiscountPercent: Int!
      maxGuests: Int!
      bedrooms: Int!
      beds: Int!
      bathrooms: Float!
      amenities: [String!]!
      cancellationPolicy: CancellationPolicy!
      status: PropertyStatus!
      ratingAverage: Float
      ratingCount: Int!
      createdAt: String!
      updatedAt: String!
    }
  `,
  connectionTypeDefs('Property'),
  /* GraphQL */ `
    type Block {
      id: ID!
      propertyId: ID!
      start: String!
      end: String!
      note: String
      createdAt: String!
    }
  `,
  graphqlInput('PropertyFilter', SearchPropertiesQuery, {
    uses: [propertyType, propertySort],
    omit: ['limit', 'cursor'],
    // REST takes a comma list in the query string; GraphQL has lists.
    types: { amenities: '[String!]' },
    descriptions: { amenities: 'Every one is required.' },
  }),
  addressInput,
  updateAddressInput,
  graphqlInput('CreatePropertyInput', CreatePropertyInput, {
    uses: [propertyType, cancellationPolicy, addressInput],
    // `draft` or `listed` only; the enum stays the one every status field uses.
    types: { status: 'PropertyStatus' },
  }),
  graphqlInput('UpdatePropertyInput', UpdatePropertyInput, {
    uses: [propertyType, cancellationPolicy, propertyStatus, updateAddressInput],
  }),
  graphqlInput('BlockDatesInput', CreateBlockInput),
  /* GraphQL */ `
    extend type Query {
      property(id: ID!): Property
      "Listed properties; the same filters and sorts as GET /v1/properties."
      properties(filter: PropertyFilter, first: Int, after: String): PropertyConnection!
    }

    extend type Mutation {
      createProperty(input: CreatePropertyInput!): Property!
      updateProperty(id: ID!, input: UpdatePropertyInput!): Property!
      deleteProperty(id: ID!): Boolean!
      blockDates(propertyId: ID!, input: BlockDatesInput!): Block!
      unblockDates(propertyId: ID!, blockId: ID!): Boolean!
    }
  `,
);

export function propertiesGraphql(
  properties: PropertiesApi,
  users: UsersApi,
): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  return {
    typeDefs: propertiesTypeDefs,
    resolvers: {
      Query: {
        property: async (_root, args: { id: unknown }, ctx: GraphqlContext) =>
          properties.getProperty(parseId(args.id), await ctx.requestContext()),
        properties: async (
          _root,
          args: { filter?: Record<string, unknown> | null; first?: unknown; after?: unknown },
          ctx: GraphqlContext,
        ) => {
          const filter = args.filter ?? {};
          const query = parseInput(
            SearchPropertiesQuery,
            {
              ...filter,
              amenities: Array.isArray(filter.amenities) ? filter.amenities.join(',') : filter.amenities,
              limit: args.first,
              cursor: args.after,
            },
            'filter',
          );
          return toConnection(await properties.searchProperties(query, await ctx.requestContext()));
        },
      },
      // Each mutation checks its caller first, then its ids, then its input: the order REST
      // answers in (401 from onRequest, then path, then body).
      Mutation: {
        createProperty: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return properties.createProperty(parseInput(CreatePropertyInput, args.input), caller);
        },
        updateProperty: async (_root, args: { id: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.id);
          return properties.updateProperty(id, parseInput(UpdatePropertyInput, args.input), caller);
        },
        deleteProperty: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          await properties.deleteProperty(parseId(args.id), caller);
          return true;
        },
        blockDates: async (_root, args: { propertyId: unknown; input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.propertyId);
          return properties.createBlock(id, parseInput(CreateBlockInput, args.input), caller);
        },
        unblockDates: async (_root, args: { propertyId: unknown; blockId: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          await properties.deleteBlock(parseId(args.propertyId), parseId(args.blockId), caller);
          return true;
        },
      },
    },
    loaders: {
      Property: {
        // One query for the hosts of a whole page, however many properties it has.
        host: batchById(
          (o: { hostId: string }) => o.hostId,
          (ids) => users.getPublicProfiles(ids),
        ),
      },
    },
  };
}
