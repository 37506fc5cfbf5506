import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';

/** An unknown, malformed or rotated feed token: the same answer whatever the reason. */
export const feedNotFound = () => notFound('calendar');

/** An import the caller's place does not have (or someone else's place's). */
export const importNotFound = () => new AppError('not_found', 'ical_import_not_found', 'Calendar import not found.');

/** A place imports at most this many external calendars. */
export const MAX_IMPORTS_PER_PROPERTY = 5;

export const tooManyImports = () =>
  new AppError(
    'conflict',
    'too_many_ical_imports',
    `A place imports at most ${MAX_IMPORTS_PER_PROPERTY} external calendars; remove one first.`,
  );

export const invalidFeedUrl = () =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: 'url', message: 'Must be an http or https URL without credentials.' }],
  });

/** A feed's syncs on request: at most one a minute (its scheduled ones go on regardless). */
export const SYNC_REQUEST_INTERVAL_S = 60;

export const syncTooSoon = (retryAfter: number) =>
  new AppError(
    'rate_limited',
    'ical_sync_too_soon',
    `This calendar was synced or queued less than a minute ago; retry in ${retryAfter} seconds.`,
    {
      retryAfter,
    },
  );

/** The ical tables' constraints; none answers a domain error (a token collision cannot happen in practice). */
export const icalConstraints: ConstraintErrors = {};
