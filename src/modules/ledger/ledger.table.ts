import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { userIdColumn } from '../users/index.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const POSTING_KINDS = [
  'payment_captured',
  'refund_sent',
  'payout_initiated',
  'payout_paid',
  'payout_failed',
  'payout_reversed',
] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

/**
 * A posting: one movement of money, made of balanced entries (per currency they sum to
 * zero, checked by a trigger at insert). `source` names what caused it
 * (`payment:<id>:captured`, `refund:<id>`, `payout:<id>:paid`, …): unique, so a repeated
 * cause adds nothing. Postings and entries are never updated or deleted (triggers refuse
 * it): a correction is a new posting.
 */
export const ledgerPostings = pgTable(
  'ledger_postings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    kind: text('kind', { enum: POSTING_KINDS }).notNull(),
    currency: text('currency').notNull(),
    bookingId: uuid('booking_id'),
    paymentId: uuid('payment_id'),
    payoutId: uuid('payout_id'),
    hostId: uuid('host_id'),
    /** The host fee percent a capture was split with (the check recomputes the split with it). */
    hostFeePercent: integer('host_fee_percent'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_postings_source_key').on(t.source),
    index('ledger_postings_booking_idx').on(t.bookingId),
    index('ledger_postings_payment_idx').on(t.paymentId),
    index('ledger_postings_created_idx').on(t.createdAt, t.id),
  ],
);

/**
 * An entry: a signed amount (minor units) on one account. An account's balance is the sum
 * of its entries: `host_payable:<hostId>` is what the platform owes the host,
 * `platform_revenue` its fees, `guest_funds` (negative) what guests paid in, `refunds` what
 * went back to them, `held_for_refund` captures that cannot stay, `payouts_in_transit` and
 * `payouts` money on its way to and paid to hosts. A host entry's `available_at` is when it
 * counts as due (24 h after the stay's check-in for earnings and their refunds; at once for
 * payouts and their reversals).
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    postingId: uuid('posting_id')
      .notNull()
      .references(() => ledgerPostings.id),
    account: text('account').notNull(),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    availableAt: instant('available_at'),
    createdAt: instant('created_at').notNull(),
  },
  (t) => [
    index('ledger_entries_posting_idx').on(t.postingId),
    index('ledger_entries_account_idx').on(t.account, t.currency, t.availableAt),
    index('ledger_entries_account_created_idx').on(t.account, t.createdAt, t.id),
  ],
);

/**
 * Each host account's balance per currency, kept by a trigger on entries in the same
 * statement; payout runs lock the row, and the ledger check compares it with the entries.
 */
export const ledgerBalances = pgTable(
  'ledger_balances',
  {
    account: text('account').notNull(),
    currency: text('currency').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'ledger_balances_pkey', columns: [t.account, t.currency] })],
);

/** A host's payout account at the provider (a Stripe connected account, or the sandbox's). */
export const payoutAccounts = pgTable('payout_accounts', {
  hostId: uuid('host_id').primaryKey().references(userIdColumn),
  provider: text('provider').notNull(),
  accountId: text('account_id').notNull(),
  ready: boolean('ready').notNull().default(false),
  createdAt: instant('created_at').notNull(),
  updatedAt: instant('updated_at').notNull(),
});

export const PAYOUT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

/**
 * A payout of a host's due balance in one currency. At most one pending per host and
 * currency (a unique index): two runs at once cannot both start one.
 */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hostId: uuid('host_id').notNull().references(userIdColumn),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: PAYOUT_STATUSES }).notNull().default('pending'),
    provider: text('provider').notNull(),
    accountId: text('account_id').notNull(),
    providerReference: text('provider_reference'),
    failureReason: text('failure_reason'),
    createdAt: instant('created_at').notNull(),
    paidAt: instant('paid_at'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    check('payouts_amount_positive', sql`${t.amount} > 0`),
    uniqueIndex('payouts_one_pending_key')
      .on(t.hostId, t.currency)
      .where(sql`${t.status} = 'pending'`),
    index('payouts_host_created_idx').on(t.hostId, t.createdAt, t.id),
  ],
);

export type PostingRow = typeof ledgerPostings.$inferSelect;
export type EntryRow = typeof ledgerEntries.$inferSelect;
export type PayoutRow = typeof payouts.$inferSelect;
export type PayoutAccountRow = typeof payoutAccounts.$inferSelect;
