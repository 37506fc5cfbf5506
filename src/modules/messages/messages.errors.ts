import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';

export const conversationNotFound = () => notFound('conversation');

export const ownPropertyConversation = () =>
  new AppError('invalid', 'own_property', 'A host cannot open a conversation with their own property.', {
    errors: [{ path: 'propertyId', message: 'This is your own property.' }],
  });

export const messageRateLimited = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 'message_rate_limited', `Too many messages; retry in ${retryAfterSeconds} seconds.`, {
    retryAfter: retryAfterSeconds,
  });

/**
 * A second conversation for the same guest and place loses the race to the unique index;
 * the service then adds to the first one, so this is only reached by a bug.
 */
export const messagesConstraints: ConstraintErrors = {
  conversations_guest_property_key: () =>
    new AppError('conflict', 'conversation_exists', 'A conversation about this property already exists.'),
};
