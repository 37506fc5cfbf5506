import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { Booking, BookingIdParams, DeclineBookingInput } from './bookings.schemas.js';
import type { BookingsApi } from './bookings.service.js';

const bearer = [{ bearerAuth: [] }];

/** The host's answer to a request to book: accept or decline. */
export const bookingRequestRoutes: FastifyPluginAsyncZod<{ bookings: BookingsApi }> = async (app, { bookings }) => {
  const REQUEST =
    'A request to book (`bookingMode: request`) is `requested` once the guest’s payment is authorized (not captured), or at booking time with a provider that cannot authorize (then the guest pays after acceptance, within BOOKING_HOLD_MINUTES). Only the host of the place answers (403 `not_booking_host` for its guest and admins, 404 for anyone else), until `respondBy` (24 hours): afterwards the request is `expired`, and 409 `booking_not_requested` (as for any booking not `requested`). Of an accept, a decline, a guest’s cancel and the expiry racing on one request exactly one wins; the others get 409.';

  app.post(
    '/v1/bookings/:id/accept',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['bookings'],
        operationId: 'acceptBooking',
        summary: 'Accept a request to book (the place’s host)',
        description: `The booking becomes \`confirmed\` and the authorized payment is captured (after the answer commits, once, retried until the provider takes it); with a provider that cannot authorize, it becomes \`pending\` with \`holdExpiresAt\` = now + BOOKING_HOLD_MINUTES, and is confirmed by the guest’s payment like any booking. The guest is e-mailed. ${REQUEST}`,
        security: bearer,
        params: BookingIdParams,
        response: {
          200: Booking,
          ...problemResponses({
            403: ['not_booking_host'],
            404: ['booking_not_found'],
            409: ['booking_not_requested'],
          }),
        },
      },
    },
    (request) => bookings.acceptBooking(request.params.id, request.ctx),
  );

  app.post(
    '/v1/bookings/:id/decline',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['bookings'],
        operationId: 'declineBooking',
        summary: 'Decline a request to book (the place’s host)',
        description: `The booking becomes \`declined\`, its nights are free again and the payment’s authorization is voided: nothing is charged. \`reason\` (optional) is told to the guest by e-mail and kept as \`cancellationReason\`. ${REQUEST}`,
        security: bearer,
        params: BookingIdParams,
        // The body may be left out altogether (Fastify then hands over null).
        body: DeclineBookingInput.nullish(),
        response: {
          200: Booking,
          ...problemResponses({
            403: ['not_booking_host'],
            404: ['booking_not_found'],
            409: ['booking_not_requested'],
          }),
        },
      },
    },
    (request) => bookings.declineBooking(request.params.id, request.body ?? {}, request.ctx),
  );
};
