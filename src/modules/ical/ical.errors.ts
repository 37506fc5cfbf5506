import { notFound, type ConstraintErrors } from '../../platform/errors.js';

/** An unknown, malformed or rotated feed token: the same answer whatever the reason. */
export const feedNotFound = () => notFound('calendar');

/** The ical tables' constraints; none answers a domain error (a token collision cannot happen in practice). */
export const icalConstraints: ConstraintErrors = {};
