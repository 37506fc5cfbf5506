import { AppError, type ConstraintErrors } from '../../platform/errors.js';

export const payoutAccountNotFound = () =>
  new AppError('not_found', 'payout_account_not_found', 'No payout account yet: create one first.');

export const payoutsUnavailable = () =>
  new AppError('unavailable', 'payouts_unavailable', 'Payouts are not available with the configured payment provider.');

/** Closing an account that is still owed money, or has a payout on its way. */
export const hasPayoutBalance = () =>
  new AppError(
    'conflict',
    'has_payout_balance',
    'This account still has earnings to be paid out (or owes a refund), or a payout in progress; it can be closed once settled.',
  );

/** A statement's window: `from` before `to`, at most this many days. */
export const STATEMENT_MAX_DAYS = 366;

export const invalidStatementRange = () =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: 'to', message: `Must be after from, at most ${STATEMENT_MAX_DAYS} days later.` }],
  });

/** No ledger constraint answers a domain error: a repeated posting source is skipped, not refused. */
export const ledgerConstraints: ConstraintErrors = {};
