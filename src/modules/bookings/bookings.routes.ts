import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { pageSchema } from '../../platform/pagination.js';
import {
  Booking,
  BookingDetail,
  BookingIdParams,
  CancelBookingInput,
  CreateBookingInput,
  ListBookingsQuery,
  Quote,
  QuoteInput,
} from './bookings.schemas.js';
import type { BookingsApi } from './bookings.service.js';
import { HOLD_LIMITS } from './bookings.policy.js';

const bearer = [{ bearerAuth: [] }];
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

/** The 422 codes of the booking rules (bookingRuleError). */
const STAY_RULE_CODES = [
  'check_in_in_past',
  'check_in_passed',
  'check_in_too_far',
  'too_many_guests',
  'property_not_listed',
  'own_property',
  'min_nights',
  'max_nights',
];

const STAY_RULES =
  'Rules (422 with the field): 1–90 nights, and from the place’s `minNights` (`min_nights`) to its `maxNights` (`max_nights`); check-in from today to 365 days ahead, in the property’s time zone (`check_in_in_past`, `check_in_too_far`), and not today once today’s 15:00 check-in time has passed there (`check_in_passed`); `guests` from 1 to the property’s `maxGuests` (`too_many_guests`); the property must be listed (`property_not_listed`); a host cannot book their own place (`own_property`). A property the caller cannot see (draft, unlisted, deleted, unknown) is 404. A night costs `weekendPrice` on Friday and Saturday nights when the place has one, else `nightlyPrice`.';
const PRICING =
  'Pricing, integers in minor units, half-up rounding: `subtotal` = the sum of the nights’ prices (`price.nights` on a quote); `discount = round(subtotal × weeklyDiscountPercent / 100)` from 7 nights, else 0; `serviceFee = round((subtotal − discount + cleaningFee) × SERVICE_FEE_PERCENT / 100)`; `total = subtotal − discount + cleaningFee + serviceFee`.';

export const bookingsRoutes: FastifyPluginAsyncZod<{ bookings: BookingsApi }> = async (app, { bookings }) => {
  app.post(
    '/v1/bookings/quote',
    {
      schema: {
        tags: ['bookings'],
        operationId: 'quoteStay',
        summary: 'Price a stay and tell whether its nights are free',
        description: `Anyone may ask; nothing is held. ${PRICING} ${STAY_RULES} \`available\` is false when any night is taken by a pending or confirmed booking or a host block; an unpaid hold past its time counts as free.`,
        security: optionalBearer,
        body: QuoteInput,
        response: { 200: Quote, ...problemResponses({ 404: ['property_not_found'], 422: STAY_RULE_CODES }) },
      },
    },
    (request) => bookings.quote(request.body, request.ctx),
  );

  app.post(
    '/v1/bookings',
    {
      config: { auth: 'required', idempotent: true },
      schema: {
        tags: ['bookings'],
        operationId: 'createBooking',
        summary: 'Book a stay (held as pending until paid)',
        description: `Creates a \`pending\` booking holding the nights until \`holdExpiresAt\` (now + BOOKING_HOLD_MINUTES); pay within the hold to confirm it, after which it expires and frees its dates. 409 \`dates_unavailable\` when any night is taken by a pending or confirmed booking or a block: decided by database exclusion constraints, so of concurrent requests for the same nights exactly one succeeds. Unpaid holds past their time are expired first and do not block. ${HOLD_LIMITS} ${PRICING} ${STAY_RULES} Accepts \`Idempotency-Key\`.`,
        security: bearer,
        body: CreateBookingInput,
        response: {
          201: Booking,
          ...problemResponses({
            404: ['property_not_found'],
            409: ['dates_unavailable', 'too_many_holds'],
            422: STAY_RULE_CODES,
          }),
        },
      },
    },
    async (request, reply) => {
      const booking = await bookings.createBooking(request.body, request.ctx);
      return reply.status(201).header('location', `/v1/bookings/${booking.id}`).send(booking);
    },
  );

  app.get(
    '/v1/bookings',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['bookings'],
        operationId: 'listMyBookings',
        summary: 'Your trips, or the bookings of your properties',
        description:
          '`as=guest` (default): bookings you made. `as=host`: bookings of your places. Newest first (creation time, then id), keyset-paginated; `status` narrows the list.',
        security: bearer,
        querystring: ListBookingsQuery,
        response: { 200: pageSchema(Booking) },
      },
    },
    async (request) => {
      const { data, page } = await bookings.listBookings(request.query, request.ctx);
      return { data, page };
    },
  );

  // Registered with a parameter: a static path such as /v1/bookings/export still takes precedence.
  app.get(
    '/v1/bookings/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['bookings'],
        operationId: 'getBooking',
        summary: 'A booking',
        description:
          'Its guest, the property’s host and admins only; 404 for anyone else. The host also gets `guestRating`: the guest’s rating from the published reviews hosts wrote of their stays (null for others).',
        security: bearer,
        params: BookingIdParams,
        response: { 200: BookingDetail, ...problemResponses({ 404: ['booking_not_found'] }) },
      },
    },
    async (request) => {
      const booking = await bookings.getBooking(request.params.id, request.ctx);
      const ratings = await bookings.guestRatingsForHost([booking.id], request.ctx);
      return { ...booking, guestRating: ratings.get(booking.id) ?? null };
    },
  );

  app.post(
    '/v1/bookings/:id/cancel',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['bookings'],
        operationId: 'cancelBooking',
        summary: 'Cancel a booking (its guest, the host or an admin)',
        description:
          'Others get 404. 409 `booking_not_cancelable` when already canceled, declined, expired or completed, or when the host answered a request while its guest was canceling it; 409 `stay_started` from check-in time (15:00 property local time on the check-in date). The dates are freed. `refundAmount`: 0 for a pending booking or a request to book (nothing was captured; a request’s authorization is voided); the whole `total` when the host or an admin cancels; when the guest cancels, a share of `total − serviceFee` by the notice left before check-in time (elapsed hours; a day is 24 h): flexible 100 % with ≥ 24 h, else 0; moderate 100 % with ≥ 5 days, 50 % with ≥ 24 h, else 0; strict 100 % with ≥ 14 days, 50 % with ≥ 7 days, else 0 (50 % rounds half up). Of two concurrent cancels one succeeds and the other gets 409.',
        security: bearer,
        params: BookingIdParams,
        // The body may be left out altogether (Fastify then hands over null).
        body: CancelBookingInput.nullish(),
        response: {
          200: Booking,
          ...problemResponses({ 404: ['booking_not_found'], 409: ['booking_not_cancelable', 'stay_started'] }),
        },
      },
    },
    (request) => bookings.cancelBooking(request.params.id, request.body ?? {}, request.ctx),
  );
};
