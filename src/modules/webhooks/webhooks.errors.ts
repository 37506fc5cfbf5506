import { AppError, type ConstraintErrors } from '../../platform/errors.js';

export const MAX_ENDPOINTS_PER_OWNER = 10;
export const ENDPOINT_URL_MAX_LENGTH = 2_048;

export const endpointNotFound = () =>
  new AppError('not_found', 'webhook_endpoint_not_found', 'Webhook endpoint not found.');

export const deliveryNotFound = () =>
  new AppError('not_found', 'webhook_delivery_not_found', 'Webhook delivery not found.');

export const tooManyEndpoints = () =>
  new AppError(
    'conflict',
    'too_many_webhook_endpoints',
    `An account registers at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints; delete one first.`,
  );

/** Webhooks and the events feed are for hosts and admins: a guest's account has no partner events. */
export const hostsOnly = () =>
  new AppError('forbidden', 'hosts_only', 'Webhooks and the events feed are for hosts and admins.');

/** The webhooks tables' constraints: none answers a domain error. */
export const webhooksConstraints: ConstraintErrors = {};
