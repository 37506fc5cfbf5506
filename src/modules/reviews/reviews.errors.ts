import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';
import { REVIEW_WINDOW_DAYS } from './reviews.policy.js';

export const reviewNotFound = () => notFound('review');
export const bookingNotFound = () => notFound('booking');
export const notBookingGuest = () =>
  new AppError('forbidden', 'not_booking_guest', 'Only the guest of this booking can review it.');
export const notBookingHost = () =>
  new AppError('forbidden', 'not_booking_host', 'Only the host of this booking can review its guest.');
export const notPropertyHost = () =>
  new AppError('forbidden', 'not_property_host', 'Only the host of this property can respond to its reviews.');
export const stayNotCompleted = (status: string) =>
  new AppError('conflict', 'stay_not_completed', `A ${status} booking cannot be reviewed: only completed stays.`, {
    details: { status },
  });
export const reviewWindowClosed = () =>
  new AppError(
    'invalid',
    'review_window_closed',
    `A stay can be reviewed within ${REVIEW_WINDOW_DAYS} days of its check-out time.`,
  );
export const alreadyReviewed = () =>
  new AppError('conflict', 'already_reviewed', 'This booking has already been reviewed.');
export const guestAlreadyReviewed = () =>
  new AppError('conflict', 'guest_already_reviewed', 'The guest of this booking has already been reviewed.');
export const reviewNotPublished = () =>
  new AppError(
    'conflict',
    'review_not_published',
    'A review can be answered once it is published: when both sides have written theirs or the review window has closed.',
  );
export const notRespondable = () =>
  new AppError('conflict', 'review_not_respondable', 'Only reviews of a place take a host’s response.');
export const alreadyResponded = () =>
  new AppError('conflict', 'already_responded', 'The host has already responded to this review.');

/** The domain error each constraint of the reviews table stands for when violated. */
export const reviewsConstraints: ConstraintErrors = { reviews_booking_direction_idx: alreadyReviewed };
