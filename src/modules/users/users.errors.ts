import { AppError, type ConstraintErrors } from '../../platform/errors.js';

export const emailTaken = () =>
  new AppError('conflict', 'email_taken', 'An account with this e-mail already exists.', {
    errors: [{ path: 'email', message: 'Already registered.' }],
  });
export const invalidCredentials = () =>
  new AppError('unauthorized', 'invalid_credentials', 'The e-mail or password is wrong.');
export const tooManyLoginFailures = (retryAfter: number) =>
  new AppError('rate_limited', 'too_many_login_failures', 'Too many failed logins for this e-mail; try again later.', {
    retryAfter,
  });
export const invalidRefreshToken = () =>
  new AppError('unauthorized', 'invalid_refresh_token', 'The refresh token is not valid.');
export const refreshTokenReused = () =>
  new AppError('unauthorized', 'refresh_token_reused', 'The refresh token was already used; the session is revoked.');
export const invalidAccessToken = () =>
  new AppError('unauthorized', 'invalid_token', 'The access token is invalid or expired.');
export const sessionEnded = () =>
  new AppError('unauthorized', 'session_ended', 'The session of this access token has ended; sign in again.');
export const wrongPassword = (path: 'password' | 'currentPassword') =>
  new AppError('forbidden', 'wrong_password', 'The password is wrong.', {
    errors: [{ path, message: 'Wrong password.' }],
  });
export const accountSuspended = () => new AppError('forbidden', 'account_suspended', 'This account is suspended.');
export const alreadyHost = () => new AppError('conflict', 'already_host', 'This account can already host.');
export const cannotChangeOwnStatus = () =>
  new AppError('invalid', 'cannot_change_own_status', 'An admin cannot change their own status.');
export const accountClosed = () =>
  new AppError('conflict', 'account_closed', 'This account is closed; it cannot be reopened.');
export const invalidEmailToken = () =>
  new AppError('invalid', 'invalid_token', 'This link is not valid: it is unknown, expired or was already used.', {
    errors: [{ path: 'token', message: 'Unknown, expired or already used.' }],
  });
export const weakPassword = (message: string, path = 'password') =>
  new AppError('invalid', 'validation_failed', 'The request body is not valid.', {
    errors: [{ path, message }],
  });

/** The domain error each constraint of the module's tables stands for when violated. */
export const usersConstraints: ConstraintErrors = { users_email_key: emailTaken };
