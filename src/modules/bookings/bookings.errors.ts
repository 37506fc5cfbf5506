import { AppError, notFound, type ConstraintErrors, type FieldError } from '../../platform/errors.js';
import {
  CHECK_IN_HOUR,
  HOLD_HISTORY_HOURS,
  MAX_ACTIVE_HOLDS,
  MAX_LAPSED_HOLDS,
  type BookingRuleViolation,
  type GuestHolds,
} from './bookings.policy.js';

export const bookingNotFound = () => notFound('booking');
export const datesUnavailable = () =>
  new AppError('conflict', 'dates_unavailable', 'Some of these nights are already taken by a booking or a block.');
export const bookingNotCancelable = (status: string) =>
  new AppError('conflict', 'booking_not_cancelable', `A ${status} booking cannot be canceled.`, {
    details: { status },
  });
export const bookingNotRequested = (status: string) =>
  new AppError(
    'conflict',
    'booking_not_requested',
    `Only a request waiting for an answer can be accepted or declined; this booking is ${status}.`,
    { details: { status } },
  );
/** A request answered (or expired) while its guest was canceling it: the guest decides again. */
export const requestAnswered = (status: string) =>
  new AppError(
    'conflict',
    'booking_not_cancelable',
    `The request was answered while you canceled it; the booking is now ${status}.`,
    { details: { status } },
  );
export const notBookingHost = () =>
  new AppError('forbidden', 'not_booking_host', 'Only the host of the place answers a request to book.');
export const stayStarted = () =>
  new AppError('conflict', 'stay_started', 'The stay has begun (check-in time has passed); it cannot be canceled.');
export const hasActiveStays = () =>
  new AppError(
    'conflict',
    'has_active_stays',
    'You have an upcoming or ongoing stay, as guest or host; cancel it or wait until it ends before closing the account.',
  );
export const tooManyHolds = (broken: 'active' | 'lapsed', holds: GuestHolds) =>
  new AppError(
    'conflict',
    'too_many_holds',
    broken === 'active'
      ? `You already hold ${MAX_ACTIVE_HOLDS} unpaid bookings; pay for or cancel one first.`
      : `${MAX_LAPSED_HOLDS} of your holds ended unpaid in the last ${HOLD_HISTORY_HOURS} hours; try again later.`,
    {
      details: {
        activeHolds: holds.active,
        maxActiveHolds: MAX_ACTIVE_HOLDS,
        lapsedHolds: holds.lapsed,
        maxLapsedHolds: MAX_LAPSED_HOLDS,
      },
    },
  );
export const invalidStay = (error: FieldError) =>
  new AppError('invalid', 'invalid_stay', 'The dates of the stay are not valid.', { errors: [error] });

/** The 422 for a broken booking rule. */
export function bookingRuleError(v: BookingRuleViolation): AppError {
  switch (v.rule) {
    case 'not_listed':
      return new AppError('invalid', 'property_not_listed', 'This property is not listed; it cannot be booked.', {
        errors: [{ path: 'propertyId', message: 'The property is not listed.' }],
      });
    case 'own_property':
      return new AppError('invalid', 'own_property', 'A host cannot book their own property.', {
        errors: [{ path: 'propertyId', message: 'This is your own property.' }],
      });
    case 'too_many_guests':
      return new AppError('invalid', 'too_many_guests', `This property takes at most ${v.maxGuests} guests.`, {
        errors: [{ path: 'guests', message: `At most ${v.maxGuests}.` }],
        details: { maxGuests: v.maxGuests },
      });
    case 'check_in_past':
      return new AppError(
        'invalid',
        'check_in_in_past',
        'Check-in cannot be before today in the property’s time zone.',
        {
          errors: [{ path: 'checkIn', message: `Must be ${v.today} or later (property local date).` }],
        },
      );
    case 'check_in_passed':
      return new AppError(
        'invalid',
        'check_in_passed',
        `Today’s check-in time (${String(CHECK_IN_HOUR).padStart(2, '0')}:00 in the property’s time zone) has passed.`,
        { errors: [{ path: 'checkIn', message: `Must be after ${v.today} (property local date).` }] },
      );
    case 'check_in_too_far':
      return new AppError('invalid', 'check_in_too_far', 'Check-in is at most 365 days ahead.', {
        errors: [{ path: 'checkIn', message: `Must be ${v.latest} or earlier (property local date).` }],
      });
    case 'min_nights':
      return new AppError(
        'invalid',
        'min_nights',
        `A stay at this place from this check-in is at least ${v.minNights} nights.`,
        {
          errors: [{ path: 'checkOut', message: `At least ${v.minNights} nights after checkIn.` }],
          details: { minNights: v.minNights },
        },
      );
    case 'max_nights':
      return new AppError('invalid', 'max_nights', `A stay at this place is at most ${v.maxNights} nights.`, {
        errors: [{ path: 'checkOut', message: `At most ${v.maxNights} nights after checkIn.` }],
        details: { maxNights: v.maxNights },
      });
  }
}

/**
 * The domain error each constraint stands for: the bookings' own no-overlap constraint,
 * and the calendar's (a booking's range meeting a block or another booking).
 */
export const bookingsConstraints: ConstraintErrors = {
  bookings_no_overlap: datesUnavailable,
  property_calendar_no_overlap: datesUnavailable,
};
