import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { UsersApi } from '../users/index.js';
import { SEARCH_SORTS } from './properties.constants.js';
import {
  Address,
  AddressInput,
  AddressPatch,
  CreateBlockInput,
  CreatePropertyInput,
  Property,
  SearchPropertiesQuery,
  UpdatePropertyInput,
} from './properties.schemas.js';
import type { PropertiesApi } from './properties.service.js';
import { BOOKING_MODES, CANCELLATION_POLICIES, PROPERTY_STATUSES, PROPERTY_TYPES } from './properties.table.js';
import { batchById } from '../../graphql/loaders.js';

const propertyType = graphqlEnum('PropertyType', PROPERTY_TYPES, {
  about: 'What kind of place a property is.',
  values: {
    apartment: 'A flat in a shared building.',
    house: 'A whole house.',
    room: 'A private room in a shared home.',
    cabin: 'A cabin.',
    villa: 'A villa.',
    other: 'Anything else.',
  },
});
const cancellationPolicy = graphqlEnum('CancellationPolicy', CANCELLATION_POLICIES, {
  about:
    'What a guest who cancels a confirmed booking gets back of what they paid, less the service fee, by the notice given before check-in (15:00 local). A cancel by the host or an admin refunds everything; a booking keeps the policy it was made under.',
  values: {
    flexible: 'Everything back with at least 24 hours of notice; nothing with less.',
    moderate: 'Everything back with at least 5 days of notice, half with at least 24 hours; nothing with less.',
    strict: 'Everything back with at least 14 days of notice, half with at least 7 days; nothing with less.',
  },
});
const bookingMode = graphqlEnum('BookingMode', BOOKING_MODES, {
  about: 'How a place is booked.',
  values: {
    instant: 'A booking is confirmed once paid.',
    request: 'The host accepts or declines each booking within 24 hours; the payment is captured on acceptance.',
  },
});
const propertyStatus = graphqlEnum('PropertyStatus', PROPERTY_STATUSES, {
  about: 'Whether a property is shown to guests.',
  values: {
    draft: 'Being prepared: seen by its host and admins only.',
    listed: 'Shown in search and open for booking.',
    unlisted: 'Taken out of search: seen by its host and admins only.',
  },
});
const propertySort = graphqlEnum('PropertySort', SEARCH_SORTS, {
  about: 'The order of a property search.',
  values: {
    relevance: 'Best match for `q` first; needs `q`.',
    price_asc: 'Lowest nightly price first.',
    price_desc: 'Highest nightly price first.',
    rating: 'Highest average rating first; places without reviews last.',
    newest: 'Most recently created first.',
  },
});

const ADDRESS_FIELDS = {
  line1: 'Street and number, 1 to 200 characters.',
  city: 'City, 1 to 100 characters.',
  region: 'Region, state or province, up to 100 characters; may be left out.',
  postalCode: 'Postal code, up to 20 characters; may be left out.',
  country: 'ISO 3166-1 alpha-2 country code (`FR`).',
};
const addressInput = graphqlInput('AddressInput', AddressInput, {
  about: 'Where a place is.',
  descriptions: ADDRESS_FIELDS,
});
const updateAddressInput = graphqlInput('UpdateAddressInput', AddressPatch, {
  about: 'The address fields to change; the others keep their values.',
  descriptions: ADDRESS_FIELDS,
});

/** The fields a host writes, shared by the create and update inputs. */
const PROPERTY_FIELDS = {
  title: 'Title, 5 to 120 characters.',
  description: 'Plain text, up to 5000 characters.',
  propertyType: 'What kind of place it is.',
  address: 'Where it is.',
  latitude: 'Latitude of the place, −90 to 90.',
  longitude: 'Longitude of the place, −180 to 180.',
  timezone: 'IANA time zone of the place (`Europe/Paris`): its days and check-in times are local to it.',
  currency: 'ISO 4217 code its prices are in (`EUR`).',
  nightlyPrice: 'Price of a night, minor units, at least 1.',
  cleaningFee: 'Charged once per stay, minor units (default 0).',
  weeklyDiscountPercent: 'Percent off the nights of a stay of 7 nights or more, 0 to 50 (default 0).',
  weekendPrice: 'Price of Friday and Saturday nights, minor units; null (default) = `nightlyPrice`.',
  minNights: 'Shortest stay in nights, 1 to 365 (default 1).',
  maxNights: 'Longest stay in nights, `minNights` to 730 (default 90); a stay is at most 90 nights in any case.',
  maxGuests: 'Most guests a stay may have, 1 to 50.',
  bedrooms: 'Bedrooms, 0 to 50 (default 0).',
  beds: 'Beds, 0 to 100 (default 1).',
  bathrooms: 'Bathrooms in steps of 0.5, 0 to 50 (default 1).',
  amenities: 'Up to 50 lower-case slugs such as `wifi` or `hot_tub`; stored sorted, without repeats.',
  cancellationPolicy: 'The refund rules of its bookings (default `moderate`).',
  bookingMode: 'How it is booked: `instant` (default) or `request` (the host accepts or declines each booking).',
};

const PROPERTY_ID = '"The property\'s id."';

export const propertiesTypeDefs = describedFrom(
  { Address, Property },
  sdl(
    propertyType,
    cancellationPolicy,
    bookingMode,
    propertyStatus,
    propertySort,
    /* GraphQL */ `
      "Where a place is; the street and postal code only for some callers (see \`line1\`)."
      type Address {
        line1: String
        "City."
        city: String!
        "Region, state or province; may be empty."
        region: String!
        postalCode: String
        "ISO 3166-1 alpha-2 country code."
        country: String!
      }

      "A place to stay, as its host describes it."
      type Property {
        ${PROPERTY_ID}
        id: ID!
        "The host's user id."
        hostId: ID!
        "The host's public profile; batch-loaded."
        host: PublicProfile
        "Title."
        title: String!
        "Plain text; may be empty."
        description: String!
        "What kind of place it is."
        propertyType: PropertyType!
        "Where it is."
        address: Address!
        latitude: Float!
        longitude: Float!
        "IANA time zone of the place: its days and check-in times are local to it."
        timezone: String!
        "ISO 4217 code its prices are in."
        currency: String!
        "Price of a night, minor units."
        nightlyPrice: Int!
        "Charged once per stay, minor units."
        cleaningFee: Int!
        "Percent off the nights of a stay of 7 nights or more."
        weeklyDiscountPercent: Int!
        "Price of Friday and Saturday nights, minor units; null = \`nightlyPrice\`."
        weekendPrice: Int
        "Shortest stay in nights, unless a price range sets its own."
        minNights: Int!
        "Longest stay in nights (a stay is at most 90 nights in any case)."
        maxNights: Int!
        "Most guests a stay may have."
        maxGuests: Int!
        "Bedrooms."
        bedrooms: Int!
        "Beds."
        beds: Int!
        "Bathrooms, in steps of 0.5."
        bathrooms: Float!
        "Lower-case slugs such as \`wifi\` or \`hot_tub\`, sorted."
        amenities: [String!]!
        "The refund rules of bookings made now."
        cancellationPolicy: CancellationPolicy!
        "How it is booked: instantly, or on request (the host answers each booking)."
        bookingMode: BookingMode!
        "Whether it is shown to guests."
        status: PropertyStatus!
        "Average review rating, 1 to 5; null before the first review."
        ratingAverage: Float
        "Number of reviews."
        ratingCount: Int!
        "When it was created."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
      }
    `,
    connectionTypeDefs('Property', 'property', 'properties'),
    /* GraphQL */ `
      "Nights a host closed on the calendar: [start, end)."
      type Block {
        "The block's id."
        id: ID!
        "The property it closes."
        propertyId: ID!
        "The first night blocked."
        start: Date!
        "The day after the last night blocked (exclusive)."
        end: Date!
        "The host's note; null when none."
        note: String
        "When it was made."
        createdAt: DateTime!
      }
    `,
    graphqlInput('PropertyFilter', SearchPropertiesQuery, {
      uses: [propertyType, propertySort],
      omit: ['limit', 'cursor'],
      // REST takes a comma list in the query string; GraphQL has lists.
      types: { amenities: '[String!]' },
      about: 'What a property search keeps; every filter given narrows it.',
      descriptions: {
        country: 'ISO 3166-1 alpha-2 country code.',
        guests: 'Places taking at least this many guests, 1 to 50.',
        checkIn: 'With `checkOut`: places free for every night from this day to the day before `checkOut`.',
        checkOut: 'With `checkIn`: the day the stay ends; after `checkIn`.',
        amenities: 'Up to 20 amenity slugs; every one is required.',
        propertyType: 'Only this kind of place.',
        lat: 'With `lng` and `radiusKm`: latitude of the centre, −90 to 90.',
        lng: 'With `lat` and `radiusKm`: longitude of the centre, −180 to 180.',
        radiusKm:
          'With `lat` and `lng`: kilometres (over 0, at most 500) from the centre to each place’s published, rounded point.',
      },
    }),
    addressInput,
    updateAddressInput,
    graphqlInput('CreatePropertyInput', CreatePropertyInput, {
      uses: [propertyType, cancellationPolicy, bookingMode, addressInput],
      // `draft` or `listed` only; the enum stays the one every status field uses.
      types: { status: 'PropertyStatus' },
      about: 'A new place. Text is trimmed and stored as plain text.',
      descriptions: PROPERTY_FIELDS,
    }),
    graphqlInput('UpdatePropertyInput', UpdatePropertyInput, {
      uses: [propertyType, cancellationPolicy, bookingMode, propertyStatus, updateAddressInput],
      descriptions: {
        // No defaults here: a field left out keeps its value.
        ...Object.fromEntries(
          Object.entries(PROPERTY_FIELDS).map(([k, v]) => [k, v.replace(/ \(default [^)]*\)/, '')]),
        ),
        address: 'The address fields to change.',
        status: '`draft`, `listed` or `unlisted`.',
      },
    }),
    graphqlInput('BlockDatesInput', CreateBlockInput, {
      about: 'Nights to close on the calendar: [start, end), from today (the place’s time zone), at most 366 days.',
      descriptions: {
        start: 'The first night to block.',
        end: 'The day after the last night to block (exclusive).',
        note: 'A note for the host, up to 500 characters.',
      },
    }),
    /* GraphQL */ `
      extend type Query {
        "A property. Drafts and unlisted places are NOT_FOUND for anyone but their host and admins."
        property(${PROPERTY_ID} id: ID!): Property
        "Listed properties; the same filters and sorts as GET /v1/properties."
        properties("What to keep and how to order it." filter: PropertyFilter, ${pageArguments}): PropertyConnection!
      }

      extend type Mutation {
        "Lists a new place (hosts; FORBIDDEN for guests), as \`draft\` unless \`status: listed\`."
        createProperty("The place." input: CreatePropertyInput!): Property!
        "Changes a place (its host)."
        updateProperty(${PROPERTY_ID} id: ID!, "The fields to change." input: UpdatePropertyInput!): Property!
        "Deletes a place (its host); NOT_FOUND afterwards. CONFLICT \`property_has_bookings\` while a booking of it ends after today (the place's time zone)."
        deleteProperty(${PROPERTY_ID} id: ID!): Boolean!
        "Closes nights on the calendar (its host); CONFLICT when they overlap another block or a booking."
        blockDates(${PROPERTY_ID} propertyId: ID!, "The nights to close." input: BlockDatesInput!): Block!
        "Removes a calendar block (its host)."
        unblockDates(${PROPERTY_ID} propertyId: ID!, "The block's id." blockId: ID!): Boolean!
      }
    `,
  ),
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
