import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';

export const propertyNotFound = () => notFound('property');
export const blockNotFound = () => notFound('block');
export const notPropertyOwner = () =>
  new AppError('forbidden', 'not_property_owner', 'Only the host of this property can do this.');
export const notAHost = () =>
  new AppError('forbidden', 'host_required', 'Only hosts can list properties; become a host first.');
export const datesOverlap = () =>
  new AppError('conflict', 'dates_unavailable', 'These dates overlap an existing block or booking.');
export const propertyHasBookings = () =>
  new AppError(
    'conflict',
    'property_has_bookings',
    'This property has bookings that end after today; it cannot be deleted.',
  );
export const blockInPast = () =>
  new AppError('invalid', 'block_in_past', 'A block cannot start before today in the property’s time zone.', {
    errors: [{ path: 'start', message: 'Must be today or later (property local time).' }],
  });
export const blockTooLong = () =>
  new AppError('invalid', 'block_too_long', 'A block spans at most 366 days.', {
    errors: [{ path: 'end', message: 'At most 366 days after start.' }],
  });

export const invalidStayRules = () =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: 'maxNights', message: 'Must be at least minNights.' }],
  });

/** The domain error each constraint of the module's tables stands for when violated. */
export const propertiesConstraints: ConstraintErrors = {
  property_calendar_no_overlap: datesOverlap,
  // A concurrent update may have moved the other bound after the service's check.
  properties_stay_rules_check: invalidStayRules,
};
