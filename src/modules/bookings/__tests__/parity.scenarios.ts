import { sql } from 'drizzle-orm';
import { rowsOf } from '#test/helpers.js';
import {
  asRestPage,
  bookingRows,
  calendarRows,
  db,
  full,
  gql,
  rest,
  type Scenario,
  sideEffects,
  stay,
  app,
  withBooking,
  withProperty,
  type World,
} from '#test/parity/kit.js';
import { sandboxEvent, signSandboxEvent } from '../../../platform/payments/index.js';

/** The webhook secret of the parity app (test/helpers.ts `testEnv`). */
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** A request to book waiting for the host's answer: a request place, booked, its payment authorized. */
async function withRequest(w: World) {
  await withProperty(w);
  await rest(
    { method: 'PATCH', url: `/v1/properties/${w.propertyId}`, as: w.host, payload: { bookingMode: 'request' } },
    200,
  );
  const booking = (await rest({ method: 'POST', url: '/v1/bookings', as: w.guest, payload: stay(w) }, 201)) as {
    id: string;
  };
  w.bookingId = w.name(booking.id, 'booking');
  const payment = (await rest({ method: 'POST', url: `/v1/bookings/${booking.id}/payments`, as: w.guest }, 201)) as {
    providerReference: string;
  };
  const { body, headers } = signSandboxEvent(WEBHOOK_SECRET, sandboxEvent(payment.providerReference, 'authorized'));
  const res = await app().inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body });
  if (res.statusCode !== 200) throw new Error(`authorization webhook: ${res.statusCode}`);
}

/** A place with stay rules and a weekend price: a 7-night stay crosses a Friday and a Saturday. */
async function withWeekendPrice(w: World) {
  await withProperty(w);
  await rest(
    {
      method: 'PATCH',
      url: `/v1/properties/${w.propertyId}`,
      as: w.host,
      payload: { weekendPrice: 13_500, minNights: 2, maxNights: 30 },
    },
    200,
  );
}

/**
 * Quotes, bookings as guest and host, lists and cancellation: the same over REST and GraphQL
 * (run by test/parity/rest-graphql.test.ts).
 */
export const scenarios: Scenario[] = [
  {
    name: 'quote, weekend nights at the weekend price',
    kind: 'read',
    setup: withWeekendPrice,
    rest: (w) => rest({ method: 'POST', url: '/v1/bookings/quote', payload: stay(w) }, 200),
    graphql: (w) => gql(undefined, `query($i: QuoteInput!) { quote(input: $i) ${full('Quote')} }`, { i: stay(w) }),
  },
  {
    name: 'quote',
    kind: 'read',
    setup: withProperty,
    rest: (w) => rest({ method: 'POST', url: '/v1/bookings/quote', payload: stay(w) }, 200),
    graphql: (w) => gql(undefined, `query($i: QuoteInput!) { quote(input: $i) ${full('Quote')} }`, { i: stay(w) }),
  },
  {
    name: 'createBooking',
    kind: 'write',
    setup: withProperty,
    rest: (w) => rest({ method: 'POST', url: '/v1/bookings', as: w.guest, payload: stay(w) }, 201),
    graphql: (w) =>
      gql(w.guest, `mutation($i: CreateBookingInput!) { createBooking(input: $i) ${full('Booking')} }`, { i: stay(w) }),
    stored: async (w, answer: { id: string }) => {
      w.name(answer.id, 'created');
      return {
        booking: await bookingRows(answer.id),
        calendar: await calendarRows(w.propertyId),
        ...(await sideEffects(answer.id)),
      };
    },
  },
  {
    name: 'booking, as its guest',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: `/v1/bookings/${w.bookingId}`, as: w.guest }, 200),
    graphql: (w) =>
      gql(w.guest, `query($id: ID!) { booking(id: $id) ${full('Booking', ['Booking.guestRating'])} }`, {
        id: w.bookingId,
      }),
  },
  {
    name: 'booking, as the host',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: `/v1/bookings/${w.bookingId}`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `query($id: ID!) { booking(id: $id) ${full('Booking', ['Booking.guestRating'])} }`, {
        id: w.bookingId,
      }),
  },
  {
    name: 'myBookings',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: '/v1/bookings?as=guest&status=pending&limit=5', as: w.guest }, 200),
    graphql: async (w) =>
      asRestPage(await gql(w.guest, `{ myBookings(first: 5, status: pending) ${full('BookingConnection')} }`)),
  },
  {
    name: 'hostBookings',
    kind: 'read',
    setup: withBooking,
    rest: (w) => rest({ url: '/v1/bookings?as=host&limit=5', as: w.host }, 200),
    graphql: async (w) => asRestPage(await gql(w.host, `{ hostBookings(first: 5) ${full('BookingConnection')} }`)),
  },
  {
    name: 'cancelBooking, by its guest',
    kind: 'write',
    setup: withBooking,
    rest: (w) =>
      rest(
        {
          method: 'POST',
          url: `/v1/bookings/${w.bookingId}/cancel`,
          as: w.guest,
          payload: { reason: 'Plans changed' },
        },
        200,
      ),
    graphql: (w) =>
      gql(
        w.guest,
        `mutation($id: ID!, $i: CancelBookingInput) { cancelBooking(id: $id, input: $i) ${full('Booking')} }`,
        { id: w.bookingId, i: { reason: 'Plans changed' } },
      ),
    stored: async (w) => ({
      booking: await bookingRows(w.bookingId),
      calendar: await calendarRows(w.propertyId),
      ...(await sideEffects(w.bookingId)),
    }),
  },
  {
    name: 'acceptBooking, by the host',
    kind: 'write',
    setup: withRequest,
    rest: (w) => rest({ method: 'POST', url: `/v1/bookings/${w.bookingId}/accept`, as: w.host }, 200),
    graphql: (w) =>
      gql(w.host, `mutation($id: ID!) { acceptBooking(id: $id) ${full('Booking')} }`, { id: w.bookingId }),
    stored: async (w) => ({
      booking: await bookingRows(w.bookingId),
      // What the answer decided of the payment (its ids and links differ between the runs by construction).
      payments: await rowsOf(
        db(),
        sql`select status, capture_method, settlement, amount from payments where booking_id = ${w.bookingId}`,
      ),
      calendar: await calendarRows(w.propertyId),
      ...(await sideEffects(w.bookingId)),
    }),
  },
  {
    name: 'declineBooking, by the host',
    kind: 'write',
    setup: withRequest,
    rest: (w) =>
      rest(
        { method: 'POST', url: `/v1/bookings/${w.bookingId}/decline`, as: w.host, payload: { reason: 'Closed then' } },
        200,
      ),
    graphql: (w) =>
      gql(
        w.host,
        `mutation($id: ID!, $i: DeclineBookingInput) { declineBooking(id: $id, input: $i) ${full('Booking')} }`,
        { id: w.bookingId, i: { reason: 'Closed then' } },
      ),
    stored: async (w) => ({
      booking: await bookingRows(w.bookingId),
      calendar: await calendarRows(w.propertyId),
      ...(await sideEffects(w.bookingId)),
    }),
  },
];
