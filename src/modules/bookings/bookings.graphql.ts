import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { requireCaller, type GraphqlContext } from '../../graphql/context.js';
import { parseId, parseInput } from '../../graphql/input.js';
import { connectionTypeDefs, pageArguments, toConnection } from '../../graphql/relay.js';
import { describedFrom, graphqlEnum, graphqlInput, sdl } from '../../graphql/sdl.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import {
  Booking,
  CancelBookingInput,
  CreateBookingInput,
  DeclineBookingInput,
  ListBookingsQuery,
  PriceBreakdown,
  Quote,
  QuoteInput,
} from './bookings.schemas.js';
import { bookingChangedTopic } from './bookings.changes.js';
import { HOLD_LIMITS } from './bookings.policy.js';
import type { BookingsApi } from './bookings.service.js';
import { BOOKING_STATUSES, CANCELED_BY } from './bookings.table.js';
import { batchById } from '../../graphql/loaders.js';

const bookingStatus = graphqlEnum('BookingStatus', BOOKING_STATUSES, {
  about: 'Where a booking stands.',
  values: {
    pending: 'Booked and unpaid: its nights are held until `holdExpiresAt`.',
    requested: 'A request to book waiting for the host’s answer until `respondBy`; its nights are held.',
    confirmed: 'Paid: its nights are the guest’s.',
    declined: 'The host declined the request; its nights are free again and nothing was charged.',
    canceled: 'Canceled (see `canceledBy`); its nights are free again.',
    expired: 'The hold ended unpaid; its nights are free again.',
    completed: 'The stay is over.',
  },
});
const canceledBy = graphqlEnum('CanceledBy', CANCELED_BY, {
  about: 'Who canceled a booking.',
  values: { guest: 'The guest.', host: 'The place’s host.', admin: 'An admin.' },
});

const STAY = {
  propertyId: 'The property.',
  checkIn: 'Arrival day (the place’s time zone); check-in is at 15:00.',
  checkOut: 'Departure day; check-out is at 11:00.',
  guests: 'Guests staying.',
  nights: 'Nights of the stay.',
  currency: 'ISO 4217 code of the prices.',
};
const BOOKING_ID = '"The booking\'s id."';

export const bookingsTypeDefs = describedFrom(
  {
    PriceBreakdown,
    Quote,
    Booking,
    'Query.myBookings': ListBookingsQuery,
    'Query.hostBookings': ListBookingsQuery,
  },
  sdl(
    bookingStatus,
    canceledBy,
    /* GraphQL */ `
      "One night of a stay and its price."
      type NightPrice {
        "The day the night begins."
        date: Date!
        "Its price, minor units."
        price: Int!
      }

      type PriceBreakdown {
        nightly: Int!
        subtotal: Float!
        discount: Float!
        "Charged once per stay."
        cleaningFee: Int!
        serviceFee: Float!
        total: Float!
        nights: [NightPrice!]
      }

      "The price of a stay and whether its nights are free."
      type Quote {
        "${STAY.propertyId}"
        propertyId: ID!
        "${STAY.checkIn}"
        checkIn: Date!
        "${STAY.checkOut}"
        checkOut: Date!
        "${STAY.guests}"
        guests: Int!
        "${STAY.nights}"
        nights: Int!
        "${STAY.currency}"
        currency: String!
        "What it costs."
        price: PriceBreakdown!
        available: Boolean!
      }

      "A stay a guest booked."
      type Booking {
        ${BOOKING_ID}
        id: ID!
        "The property booked."
        propertyId: ID!
        "The place, batch-loaded; null once it is no longer visible to the caller (unlisted or deleted)."
        property: Property
        "The guest's user id."
        guestId: ID!
        "The guest's public profile, batch-loaded."
        guest: PublicProfile
        "For the place's host only: the guest's rating from the published reviews hosts wrote of their stays (count 0: no reviews yet); null for the guest and admins. Batch-loaded."
        guestRating: GuestRating
        "${STAY.checkIn}"
        checkIn: Date!
        "${STAY.checkOut}"
        checkOut: Date!
        "${STAY.guests}"
        guests: Int!
        "${STAY.nights}"
        nights: Int!
        "${STAY.currency}"
        currency: String!
        "What it costs, fixed when booked."
        price: PriceBreakdown!
        "Where it stands."
        status: BookingStatus!
        holdExpiresAt: DateTime
        respondBy: DateTime
        bookingMode: BookingMode!
        "When it was canceled; null unless canceled."
        canceledAt: DateTime
        "Who canceled it; null unless canceled."
        canceledBy: CanceledBy
        "The reason given when canceling; null when none."
        cancellationReason: String
        refundAmount: Float
        "When it was booked."
        createdAt: DateTime!
        "When it last changed."
        updatedAt: DateTime!
      }
    `,
    connectionTypeDefs('Booking', 'booking', 'bookings'),
    graphqlInput('QuoteInput', QuoteInput, {
      about: 'A stay to price.',
      descriptions: { propertyId: STAY.propertyId },
    }),
    graphqlInput('CreateBookingInput', CreateBookingInput, {
      about: 'A stay to book.',
      descriptions: { propertyId: STAY.propertyId },
    }),
    graphqlInput('CancelBookingInput', CancelBookingInput, { about: 'Why a booking is canceled.' }),
    graphqlInput('DeclineBookingInput', DeclineBookingInput, { about: 'Why a request to book is declined.' }),
    /* GraphQL */ `
      extend type Query {
        "Price of a stay and whether its nights are free; anyone may ask. Same rules as POST /v1/bookings/quote."
        quote("The stay." input: QuoteInput!): Quote!
        "A booking: its guest, the place's host or an admin; else NOT_FOUND."
        booking(${BOOKING_ID} id: ID!): Booking
        "The caller's trips, newest first."
        myBookings(${pageArguments}, status: BookingStatus): BookingConnection!
        "Bookings of the caller's places, newest first."
        hostBookings(${pageArguments}, status: BookingStatus): BookingConnection!
      }

      extend type Mutation {
        """
        Books a stay as pending, held until paid; CONFLICT (dates_unavailable) when a night is taken.
        ${HOLD_LIMITS}
        """
        createBooking("The stay." input: CreateBookingInput!): Booking!
        "Cancels a booking; the refund follows the rules of POST /v1/bookings/{id}/cancel."
        cancelBooking(${BOOKING_ID} id: ID!, "Why; may be left out." input: CancelBookingInput): Booking!
        "The place's host accepts a request to book: confirmed and captured (or pending, to pay, with a provider that cannot authorize). Same rules as POST /v1/bookings/{id}/accept."
        acceptBooking(${BOOKING_ID} id: ID!): Booking!
        "The place's host declines a request to book: declined, nights freed, authorization voided. Same rules as POST /v1/bookings/{id}/decline."
        declineBooking(${BOOKING_ID} id: ID!, "Why; may be left out." input: DeclineBookingInput): Booking!
      }

      extend type Subscription {
        "The caller's bookings (as guest or as host) each time their status changes (created, requested, confirmed, declined, canceled, expired, completed), once the change is committed. Authenticate the WebSocket connection with the access token in the \`connection_init\` payload."
        bookingChanged: Booking!
      }
    `,
  ),
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
        acceptBooking: async (_root, args: { id: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          return bookings.acceptBooking(parseId(args.id), caller);
        },
        declineBooking: async (_root, args: { id: unknown; input?: unknown }, ctx: GraphqlContext) => {
          const caller = await requireCaller(ctx);
          const id = parseId(args.id);
          return bookings.declineBooking(id, parseInput(DeclineBookingInput, args.input ?? {}), caller);
        },
      },
      Subscription: {
        bookingChanged: {
          // The caller's own topic: a booking is announced to its guest and to its host only.
          subscribe: async (_root: unknown, _args: unknown, ctx: GraphqlContext) => {
            const caller = await requireCaller(ctx);
            return ctx.pubsub.subscribe(bookingChangedTopic(caller.actor!.id));
          },
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
        guestRating: batchById(
          (o: { id: string }) => o.id,
          async (ids, ctx) => bookings.guestRatingsForHost(ids, await ctx.requestContext()),
        ),
      },
    },
  };
}
