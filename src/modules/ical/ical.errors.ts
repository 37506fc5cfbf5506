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

/** The ical tables' constraints; none answers a domain error (a token collision cannot happen in practice). */
export const icalConstraints: ConstraintErrors = {};
