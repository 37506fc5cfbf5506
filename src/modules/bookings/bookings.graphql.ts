import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, toConnection } from '../../graphql/relay.js';
import { graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { CancelBookingInput, CreateBookingInput, ListBookingsQuery, QuoteInput } from './bookings.schemas.js';
import { HOLD_LIMITS } from './bookings.policy.js';
import type { BookingsApi } from './bookings.service.js';
import { BOOKING_STATUSES, CANCELED_BY } from './bookings.table.js';
import { batchById } from '../../graphql/loaders.js';

const bookingStatus = graphqlEnum('BookingStatus', BOOKING_STATUSES);
const canceledBy = graphqlEnum('CanceledBy', CANCELED_BY);

export const bookingsTypeDefs = sdl(
  bookingStatus,
  canceledBy,
  /* GraphQL */ `
    "Integers in the currency's minor units; half-up rounding."
    type PriceBreakdown {
      nightly: Int!
      "nightly × nights."
      subtotal: Float!
      "Weekly discount (7 nights or more)."
      discount: Float!
      cleaningFee: Int!
      "SERVICE_FEE_PERCENT of (subtotal − discount + cleaningFee)."
      serviceFee: Float!
      "subtotal − discount + cleaningFee + serviceFee."
      total: Float!
    }

    type Quote {
      propertyId: ID!
      checkIn: String!
      checkOut: String!
      guests: Int!
      nights: Int!
      currency: String!
      price: PriceBreakdown!
      "Whether every night is free now (overdue unpaid holds count as free)."
      available: Boolean!
    }

    type Booking {
      id: ID!
      propertyId: ID!
      "The place, batch-loaded; null once it is no longer visible to the caller (unlisted or deleted)."
      property: Property
      guestId: ID!
      "The guest's public profile, batch-loaded."
      guest: PublicProfile
      checkIn: String!
      checkOut: String!
      guests: Int!
      nights: Int!
      currency: String!
      price: PriceBreakdown!
      status: BookingStatus!
      "While pending: when the unpaid hold ends (ISO-8601 UTC)."
      holdExpiresAt: String
      canceledAt: String
      canceledBy: CanceledBy
      cancellationReason: String
      "Minor units refunded, once canceled."
      refundAmount: Float
      createdAt: String!
      updatedAt: String!
    }
  `,
  connectionTypeDefs('Booking'),
  graphqlInput('QuoteInput', QuoteInput),
  graphqlInput('CreateBookingInput', CreateBookingInput),
  graphqlInput('CancelBookingInput', CancelBookingInput),
  /* GraphQL */ `
    extend type Query {
      "Price of a stay and whether its nights are free; anyone may ask. Same rules as POST /v1/bookings/quote."
      quote(input: QuoteInput!): Quote!
      "A booking: its guest, the place's host or an admin; else NOT_FOUND."
      booking(id: ID!): Booking
      "The caller's trips, newest first."
      myBookings(first: Int, after: String, status: BookingStatus): BookingConnection!
      "Bookings of the caller's places, newest first."
      hostBookings(first: Int, after: String, status: BookingStatus): BookingConnection!
    }

    extend type Mutation {
      """
      Books a stay as pending, held until paid; CONFLICT (dates_unavailable) when a night is taken.
      ${HOLD_LIMITS}
      """
      createBooking(input: CreateBookingInput!): Booking!
      "Cancels a booking; the refund follows the rules of POST /v1/bookings/{id}/cancel."
      cancelBooking(id: ID!, input: CancelBookingInput): Booking!
    }
  `,
);

type ListArgs = { first?: unknown; after?: unknown; status?: unknown };

export function bookingsGraphql(
  bookings: BookingsApi,
  properties: PropertiesApi,
  users: UsersApi,
): { typeDefs: string; resolvers: IResolvers; loaders: MercuriusLoaders } {
  const list = async (as: 'guest' | 'host', args: ListArgs, ctx: GraphqlContext) => {
    const caller = await requireCaller(ctx);
    const query = parseInput(ListBookingsQuery, { as, status: args.status, limit: args.first, cursor: args.after }, '');
    return toConnection(await bookings.listBookings(query, caller));
  };

  return {
    typeDefs: bookingsTypeDefs,
    resolvers: {
      Query: {
        quote: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const caller = await ctx.requestContext();
          return bookings.quote(parseInput(QuoteInput, args.input), caller);
        },
        booking: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return bookings.getBooking(parseId(args.id), caller);
        },
        myBookings: (_root, args: ListArgs, ctx: GraphqlContext) => list('guest', args, ctx),
        hostBookings: (_root, args: ListArgs, ctx: GraphqlContext) => list('host', args, ctx),
      },
      Mutation: {
        createBooking: async (_root, args: { input: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return bookings.createBooking(parseInput(CreateBookingInput, args.input), caller);
        },
        cancelBooking: async (_root, args: { id: unknown; input?: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.id);
          return bookings.cancelBooking(id, parseInput(CancelBookingInput, args.input ?? {}), caller);
        },
      },
    },
    loaders: {
      Booking: {
        // One query per page for the places, one for the guests, however many bookings.
        property: batchById(
          (o: { propertyId: string }) => o.propertyId,
          async (ids, ctx) => properties.getPropertiesByIds(ids, await ctx.requestContext()),
        ),
        guest: batchById(
          (o: { guestId: string }) => o.guestId,
          (ids) => users.getPublicProfiles(ids),
        ),
      },
    },
  };
}
