import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { parseInput, withoutNulls, type GraphqlContext } from '../../graphql/context.js';
import type { UsersService } from '../users/index.js';
import {
  CreateBlockInput,
  CreatePropertyInput,
  Property,
  SearchPropertiesQuery,
  UpdatePropertyInput,
} from './properties.schemas.js';
import type { PropertiesService } from './properties.service.js';

export const propertiesTypeDefs = /* GraphQL */ `
  enum PropertyType {
    apartment
    house
    room
    cabin
    villa
    other
  }

  enum CancellationPolicy {
    flexible
    moderate
    strict
  }

  enum PropertyStatus {
    draft
    listed
    unlisted
  }

  enum PropertySort {
    relevance
    price_asc
    price_desc
    rating
    newest
  }

  type Address {
    line1: String!
    city: String!
    region: String!
    postalCode: String!
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

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type PropertyEdge {
    node: Property!
    cursor: String!
  }

  type PropertyConnection {
    edges: [PropertyEdge!]!
    pageInfo: PageInfo!
  }

  type Block {
    id: ID!
    propertyId: ID!
    start: String!
    end: String!
    note: String
    createdAt: String!
  }

  input PropertyFilter {
    q: String
    city: String
    country: String
    minPrice: Int
    maxPrice: Int
    guests: Int
    checkIn: String
    checkOut: String
    amenities: [String!]
    propertyType: PropertyType
    lat: Float
    lng: Float
    radiusKm: Float
    sort: PropertySort
  }

  input AddressInput {
    line1: String
    city: String
    region: String
    postalCode: String
    country: String
  }

  input CreatePropertyInput {
    title: String!
    description: String
    propertyType: PropertyType!
    address: AddressInput!
    latitude: Float!
    longitude: Float!
    timezone: String!
    currency: String!
    nightlyPrice: Int!
    cleaningFee: Int
    weeklyDiscountPercent: Int
    maxGuests: Int!
    bedrooms: Int
    beds: Int
    bathrooms: Float
    amenities: [String!]
    cancellationPolicy: CancellationPolicy
    status: PropertyStatus
  }

  input UpdatePropertyInput {
    title: String
    description: String
    propertyType: PropertyType
    address: AddressInput
    latitude: Float
    longitude: Float
    timezone: String
    currency: String
    nightlyPrice: Int
    cleaningFee: Int
    weeklyDiscountPercent: Int
    maxGuests: Int
    bedrooms: Int
    beds: Int
    bathrooms: Float
    amenities: [String!]
    cancellationPolicy: CancellationPolicy
    status: PropertyStatus
  }

  input BlockDatesInput {
    start: String!
    "Exclusive."
    end: String!
    note: String
  }

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
`;

const stripNulls = (input: Record<string, unknown>) => {
  const out = withoutNulls(input);
  if (out.address && typeof out.address === 'object')
    out.address = withoutNulls(out.address as Record<string, unknown>);
  return out;
};

export function propertiesGraphql(
  properties: PropertiesService,
  users: UsersService,
): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  return {
    typeDefs: propertiesTypeDefs,
    resolvers: {
      Query: {
        property: async (_root, args: { id: string }, ctx: GraphqlContext) => {
          const id = parseInput(Property.shape.id, args.id, 'id');
          return properties.getProperty(id, await ctx.requestContext());
        },
        properties: async (
          _root,
          args: { filter?: Record<string, unknown> | null; first?: number | null; after?: string | null },
        ) => {
          const filter = withoutNulls(args.filter ?? {});
          const query = parseInput(
            SearchPropertiesQuery,
            {
              ...filter,
              amenities: Array.isArray(filter.amenities) ? filter.amenities.join(',') : undefined,
              limit: args.first ?? undefined,
              cursor: args.after ?? undefined,
            },
            'filter',
          );
          const page = await properties.searchProperties(query);
          return {
            // Every edge's cursor continues after that edge: the keyset of its row.
            edges: page.data.map((node, i) => ({ node, cursor: page.cursors[i] })),
            // Relay: the cursor of the last edge, on the last page too (null only with no edges).
            pageInfo: { hasNextPage: page.page.hasMore, endCursor: page.cursors.at(-1) ?? null },
          };
        },
      },
      Mutation: {
        createProperty: async (_root, args: { input: Record<string, unknown> }, ctx: GraphqlContext) =>
          properties.createProperty(
            parseInput(CreatePropertyInput, stripNulls(args.input)),
            await ctx.requestContext(),
          ),
        updateProperty: async (_root, args: { id: string; input: Record<string, unknown> }, ctx: GraphqlContext) =>
          properties.updateProperty(
            parseInput(Property.shape.id, args.id, 'id'),
            parseInput(UpdatePropertyInput, stripNulls(args.input)),
            await ctx.requestContext(),
          ),
        deleteProperty: async (_root, args: { id: string }, ctx: GraphqlContext) => {
          await properties.deleteProperty(parseInput(Property.shape.id, args.id, 'id'), await ctx.requestContext());
          return true;
        },
        blockDates: async (_root, args: { propertyId: string; input: Record<string, unknown> }, ctx: GraphqlContext) =>
          properties.createBlock(
            parseInput(Property.shape.id, args.propertyId, 'propertyId'),
            parseInput(CreateBlockInput, withoutNulls(args.input)),
            await ctx.requestContext(),
          ),
        unblockDates: async (_root, args: { propertyId: string; blockId: string }, ctx: GraphqlContext) => {
          await properties.deleteBlock(
            parseInput(Property.shape.id, args.propertyId, 'propertyId'),
            parseInput(Property.shape.id, args.blockId, 'blockId'),
            await ctx.requestContext(),
          );
          return true;
        },
      },
    },
    loaders: {
      Property: {
        // One query for the hosts of a whole page, however many properties it has.
        host: async (queries: { obj: { hostId: string } }[]) => {
          const hosts = await users.getUsersByIds([...new Set(queries.map((q) => q.obj.hostId))]);
          return queries.map((q) => {
            const host = hosts.get(q.obj.hostId);
            return host ? { id: host.id, firstName: host.firstName, memberSince: host.createdAt } : null;
          });
        },
      },
    },
  };
}
