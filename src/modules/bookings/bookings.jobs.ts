import { z } from 'zod';
import { defineJob, type JobDefinition, type Schedule } from '../../platform/jobs/index.js';
import { BookingEmailPayload, SEND_BOOKING_EMAIL, type BookingMail } from './bookings.mail.js';
import type { BookingsApi } from './bookings.service.js';
import { COMPLETE_STAY, CompleteStayPayload } from './bookings.timed.js';

const SWEEP_BATCH = 500;

/** Holds whose payment window has passed, and requests the host left unanswered, become `expired` and free their dates. */
export function bookingsJobs(
  bookings: Pick<BookingsApi, 'expireOverdueHolds' | 'expireOverdueRequests' | 'completeStay'> &
    Pick<BookingMail, 'sendBookingEmail'>,
): JobDefinition[] {
  return [
    defineJob({
      kind: SEND_BOOKING_EMAIL,
      schema: BookingEmailPayload,
      handle: (payload) => bookings.sendBookingEmail(payload.email, payload.bookingId),
    }),
    defineJob({
      kind: COMPLETE_STAY,
      schema: CompleteStayPayload,
      handle: (payload) => bookings.completeStay(payload.bookingId),
    }),
    defineJob({
      kind: 'bookings.expire-holds',
      schema: z.object({}),
      async handle() {
        // Batches keep each transaction short; a full batch means there may be more.
        while ((await bookings.expireOverdueHolds(SWEEP_BATCH)) === SWEEP_BATCH);
      },
    }),
    defineJob({
      kind: 'bookings.expire-requests',
      schema: z.object({}),
      async handle() {
        while ((await bookings.expireOverdueRequests(SWEEP_BATCH)) === SWEEP_BATCH);
      },
    }),
  ];
}

export const bookingsSchedules: Schedule[] = [
  { name: 'bookings.expire-holds', cron: '* * * * *', kind: 'bookings.expire-holds' },
  { name: 'bookings.expire-requests', cron: '* * * * *', kind: 'bookings.expire-requests' },
];
