import type { Db } from '../../platform/db/types.js';
import type { BookingsApi } from '../bookings/index.js';
import { ACCOUNT, HOST_ACCOUNT_PREFIX, hostShareOfRefunded, staySplit } from './ledger.policy.js';
import * as repo from './ledger.repository.js';
import type { LedgerCheck, LedgerProblem } from './ledger.schemas.js';

/** The latest postings the check reads (and the payments they name). */
export const CHECK_POSTINGS = 5_000;
/** Maintained host balances the check compares with their entries. */
export const CHECK_BALANCES = 10_000;

const problem = (p: Partial<LedgerProblem> & Pick<LedgerProblem, 'code' | 'message'>): LedgerProblem => ({
  postingId: null,
  bookingId: null,
  paymentId: null,
  account: null,
  ...p,
});

interface PaymentBooks {
  percent: number | null;
  captured: number;
  hostCaptured: number;
  platformCaptured: number;
  held: number;
  refunded: number;
  hostRefunded: number;
  kept: boolean;
}

function booksOf(rows: Awaited<ReturnType<typeof repo.paymentPostings>>): Map<string, PaymentBooks> {
  const books = new Map<string, PaymentBooks>();
  for (const r of rows) {
    const b = books.get(r.paymentId) ?? {
      percent: null,
      captured: 0,
      hostCaptured: 0,
      platformCaptured: 0,
      held: 0,
      refunded: 0,
      hostRefunded: 0,
      kept: false,
    };
    const host = r.account.startsWith(HOST_ACCOUNT_PREFIX);
    if (r.kind === 'payment_captured') {
      if (r.hostFeePercent !== null) b.percent = r.hostFeePercent;
      if (r.account === ACCOUNT.guestFunds) b.captured -= r.total;
      if (host) {
        b.hostCaptured += r.total;
        b.kept = true;
      }
      if (r.account === ACCOUNT.platformRevenue) b.platformCaptured += r.total;
      if (r.account === ACCOUNT.heldForRefund) b.held += r.total;
    } else if (r.kind === 'refund_sent') {
      if (r.account === ACCOUNT.refunds) b.refunded += r.total;
      if (host) b.hostRefunded -= r.total;
    }
    books.set(r.paymentId, b);
  }
  return books;
}

/**
 * The admin's check of the books, bounded: the latest CHECK_POSTINGS postings each sum to
 * zero per currency; every payment they name is checked whole (all its postings) against
 * its booking's price (the capture's split by the host fee percent it was made with) and
 * its refunds (never more than captured; the host's part by the refund rule); and the first
 * CHECK_BALANCES maintained host balances equal the sums of their entries. Answers the
 * problems found, none when sound.
 */
export async function checkLedger(db: Db, bookings: Pick<BookingsApi, 'findStays'>): Promise<LedgerCheck> {
  const problems: LedgerProblem[] = [];
  const postings = await repo.latestPostings(db, CHECK_POSTINGS);
  for (const u of await repo.unbalancedAmong(
    db,
    postings.map((p) => p.id),
  )) {
    problems.push(
      problem({
        code: 'unbalanced_posting',
        postingId: u.postingId,
        message: `Entries in ${u.currency} sum to ${u.total}.`,
      }),
    );
  }
  const bookingOf = new Map<string, string>();
  for (const p of postings) if (p.paymentId && p.bookingId) bookingOf.set(p.paymentId, p.bookingId);
  const books = booksOf(await repo.paymentPostings(db, [...bookingOf.keys()]));
  const stays = await bookings.findStays(db, [...new Set(bookingOf.values())]);
  for (const [paymentId, b] of books) {
    const bookingId = bookingOf.get(paymentId)!;
    const where = { paymentId, bookingId };
    if (b.refunded > b.captured) {
      problems.push(
        problem({ code: 'over_refunded', ...where, message: `Refunded ${b.refunded} of ${b.captured} captured.` }),
      );
    }
    if (!b.kept) {
      if (b.held !== b.captured) {
        problems.push(
          problem({ code: 'capture_mismatch', ...where, message: `Held ${b.held} of ${b.captured} captured.` }),
        );
      }
      continue;
    }
    const stay = stays.get(bookingId);
    if (!stay) continue;
    const price = stay.booking.price;
    const split = staySplit(price, b.percent ?? 0);
    if (b.captured !== price.total || b.hostCaptured !== split.hostEarnings || b.platformCaptured !== split.platform) {
      problems.push(
        problem({
          code: 'capture_mismatch',
          ...where,
          message: `Captured ${b.captured} (host ${b.hostCaptured}, platform ${b.platformCaptured}); the booking's price gives ${price.total} (host ${split.hostEarnings}, platform ${split.platform}).`,
        }),
      );
    }
    const expected = hostShareOfRefunded(b.refunded, split);
    if (b.hostRefunded !== expected) {
      problems.push(
        problem({
          code: 'refund_split_mismatch',
          ...where,
          message: `The host gave back ${b.hostRefunded} of ${b.refunded} refunded; the refund rule gives ${expected}.`,
        }),
      );
    }
  }
  const mismatches = await repo.balanceMismatches(db, CHECK_BALANCES);
  for (const m of mismatches) {
    problems.push(
      problem({
        code: 'balance_mismatch',
        account: m.account,
        message: `The kept ${m.currency} balance is ${m.kept}; its entries sum to ${m.entries}.`,
      }),
    );
  }
  return {
    problems,
    scanned: {
      postings: postings.length,
      payments: books.size,
      balances: Math.min(CHECK_BALANCES, await repo.countBalances(db)),
    },
  };
}
