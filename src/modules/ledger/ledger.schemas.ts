import { z } from 'zod';
import { pageQuerySchema } from '../../platform/pagination.js';
import { isoDate } from '../../platform/validation.js';
import { PAYOUT_STATUSES, type PayoutRow } from './ledger.table.js';

export const PayoutStatus = z.enum(PAYOUT_STATUSES);

export const Payout = z
  .object({
    id: z.uuid(),
    hostId: z.uuid(),
    amount: z.number().int().describe('Minor units of `currency`, > 0.'),
    currency: z.string().describe('ISO 4217.'),
    status: PayoutStatus.describe(
      '`pending` while the transfer is on its way; `paid` once the provider took it; `failed` when refused or reversed (the amount is back in the balance).',
    ),
    providerReference: z.string().nullable().describe('The provider’s id of the transfer, once paid.'),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
    failureReason: z.string().nullable(),
  })
  .meta({ id: 'Payout' });
export type Payout = z.infer<typeof Payout>;

export function toPayoutDto(row: PayoutRow): Payout {
  return {
    id: row.id,
    hostId: row.hostId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    providerReference: row.providerReference,
    createdAt: row.createdAt.toISOString(),
    paidAt: row.paidAt?.toISOString() ?? null,
    failureReason: row.failureReason,
  };
}

export const PayoutAccount = z
  .object({
    provider: z.enum(['sandbox', 'stripe']).describe('Who pays the host out.'),
    ready: z.boolean().describe('Whether payouts can go to the account (onboarding finished).'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PayoutAccount' });
export type PayoutAccount = z.infer<typeof PayoutAccount>;

export const PayoutAccountLink = z
  .object({
    account: PayoutAccount,
    onboardingUrl: z.string().describe('Where the host finishes onboarding at the provider (sandbox: ready at once).'),
  })
  .meta({ id: 'PayoutAccountLink' });
export type PayoutAccountLink = z.infer<typeof PayoutAccountLink>;

export const EarningsBalance = z
  .object({
    currency: z.string().describe('ISO 4217.'),
    pending: z.number().int().describe('Earnings of stays not due yet (due 24 h after check-in).'),
    due: z
      .number()
      .int()
      .describe(
        'Due and not yet paid out: the next payout. Negative after a refund of a stay already paid out; later earnings settle it first.',
      ),
    inTransit: z.number().int().describe('Payouts started and not yet confirmed by the provider.'),
    paid: z.number().int().describe('Paid out so far (net of reversed payouts).'),
    balance: z.number().int().describe('What the platform owes the host now: pending plus due.'),
  })
  .meta({ id: 'EarningsBalance' });
export type EarningsBalance = z.infer<typeof EarningsBalance>;

export const Earnings = z.object({ data: z.array(EarningsBalance) }).meta({ id: 'Earnings' });
export type Earnings = z.infer<typeof Earnings>;

export const ListPayoutsQuery = pageQuerySchema.strict();
export type ListPayoutsQuery = z.infer<typeof ListPayoutsQuery>;

export const StatementQuery = z.strictObject({
  from: isoDate.describe('First day (UTC) of the statement, inclusive.'),
  to: isoDate.describe('Last day (UTC), exclusive; at most 366 days after `from`.'),
  format: z.enum(['csv']).default('csv').describe('`csv` (the only format).'),
});
export type StatementQuery = z.infer<typeof StatementQuery>;

export const LedgerProblem = z
  .object({
    code: z
      .enum(['unbalanced_posting', 'balance_mismatch', 'capture_mismatch', 'refund_split_mismatch', 'over_refunded'])
      .describe('What is wrong.'),
    message: z.string(),
    postingId: z.uuid().nullable(),
    bookingId: z.uuid().nullable(),
    paymentId: z.uuid().nullable(),
    account: z.string().nullable(),
  })
  .meta({ id: 'LedgerProblem' });
export type LedgerProblem = z.infer<typeof LedgerProblem>;

export const LedgerCheck = z
  .object({
    problems: z.array(LedgerProblem).describe('Empty when the books are sound.'),
    scanned: z.object({
      postings: z.number().int().describe('Latest postings whose balance was checked.'),
      payments: z.number().int().describe('Payments of those postings checked against their bookings.'),
      balances: z.number().int().describe('Maintained host balances compared with their entries.'),
    }),
  })
  .meta({ id: 'LedgerCheck' });
export type LedgerCheck = z.infer<typeof LedgerCheck>;
