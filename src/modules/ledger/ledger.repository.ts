import { and, asc, desc, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/types.js';
import { ACCOUNT, HOST_ACCOUNT_PREFIX } from './ledger.policy.js';
import { ledgerBalances, ledgerEntries, ledgerPostings, type PostingKind, type PostingRow } from './ledger.table.js';

export interface PostingInput {
  source: string;
  kind: PostingKind;
  currency: string;
  bookingId?: string | null;
  paymentId?: string | null;
  payoutId?: string | null;
  hostId?: string | null;
  hostFeePercent?: number | null;
  createdAt: Date;
}

export interface EntryInput {
  account: string;
  amount: number;
  /** Host entries: when the amount counts as due. */
  availableAt?: Date | null;
}

/**
 * Writes a posting and its entries (one statement for the entries, so the balance trigger
 * sees them together). A posting whose source exists already is skipped: undefined.
 */
export async function insertPosting(db: Db, posting: PostingInput, entries: EntryInput[]): Promise<string | undefined> {
  const [row] = await db
    .insert(ledgerPostings)
    .values(posting)
    .onConflictDoNothing({ target: ledgerPostings.source })
    .returning({ id: ledgerPostings.id });
  if (!row) return undefined;
  const written = entries.filter((e) => e.amount !== 0);
  if (written.length > 0) {
    await db.insert(ledgerEntries).values(
      written.map((e) => ({
        postingId: row.id,
        account: e.account,
        currency: posting.currency,
        amount: e.amount,
        availableAt: e.availableAt ?? null,
        createdAt: posting.createdAt,
      })),
    );
  }
  return row.id;
}

export interface PostingWithEntries {
  posting: PostingRow;
  entries: { account: string; amount: number; availableAt: Date | null }[];
}

export async function findPostingBySource(db: Db, source: string): Promise<PostingWithEntries | undefined> {
  const [posting] = await db.select().from(ledgerPostings).where(eq(ledgerPostings.source, source));
  if (!posting) return undefined;
  const entries = await db
    .select({ account: ledgerEntries.account, amount: ledgerEntries.amount, availableAt: ledgerEntries.availableAt })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.postingId, posting.id));
  return { posting, entries };
}

/** What has gone back to guests from a payment so far, per the ledger. */
export async function sumRefundedOfPayment(db: Db, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)` })
    .from(ledgerEntries)
    .innerJoin(ledgerPostings, eq(ledgerPostings.id, ledgerEntries.postingId))
    .where(
      and(
        eq(ledgerPostings.paymentId, paymentId),
        eq(ledgerPostings.kind, 'refund_sent'),
        eq(ledgerEntries.account, ACCOUNT.refunds),
      ),
    );
  return Number(row?.total ?? 0);
}

export interface HostSums {
  currency: string;
  balance: number;
  pending: number;
  due: number;
}

/** A host account's balance per currency, split into what is due at `now` and what is not yet. */
export async function hostSums(db: Db, account: string, now: Date, currency?: string): Promise<HostSums[]> {
  const rows = await db
    .select({
      currency: ledgerEntries.currency,
      balance: sql<string>`sum(${ledgerEntries.amount})`,
      pending: sql<string>`coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.availableAt} > ${now.toISOString()}::timestamptz), 0)`,
    })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.account, account), currency ? eq(ledgerEntries.currency, currency) : undefined))
    .groupBy(ledgerEntries.currency)
    .orderBy(asc(ledgerEntries.currency));
  return rows.map((r) => {
    const balance = Number(r.balance);
    const pending = Number(r.pending);
    return { currency: r.currency, balance, pending, due: balance - pending };
  });
}

/** Locks a host account's maintained balance row (payout runs of one host and currency queue here). */
export async function lockBalance(db: Db, account: string, currency: string): Promise<number | undefined> {
  const [row] = await db
    .select({ balance: ledgerBalances.balance })
    .from(ledgerBalances)
    .where(and(eq(ledgerBalances.account, account), eq(ledgerBalances.currency, currency)))
    .for('update');
  return row?.balance;
}

/** Host accounts with money owed to them, from `after` on (account, currency order), at most `limit`. */
export async function positiveHostBalances(
  db: Db,
  limit: number,
  after?: { account: string; currency: string },
): Promise<{ account: string; currency: string }[]> {
  return db
    .select({ account: ledgerBalances.account, currency: ledgerBalances.currency })
    .from(ledgerBalances)
    .where(
      and(
        gt(ledgerBalances.balance, 0),
        after
          ? or(
              gt(ledgerBalances.account, after.account),
              and(eq(ledgerBalances.account, after.account), gt(ledgerBalances.currency, after.currency)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(ledgerBalances.account), asc(ledgerBalances.currency))
    .limit(limit);
}

/** Every maintained balance compared with its entries: the rows that differ (at most `limit` balances scanned). */
export async function balanceMismatches(
  db: Db,
  limit: number,
): Promise<{ account: string; currency: string; kept: number; entries: number }[]> {
  const result: unknown = await db.execute(sql`
    select b.account, b.currency, b.balance as kept, coalesce(s.total, 0) as entries
      from (select * from ledger_balances order by account, currency limit ${limit}) b
      left join lateral (
        select sum(e.amount) as total from ledger_entries e where e.account = b.account and e.currency = b.currency
      ) s on true
     where b.balance <> coalesce(s.total, 0)`);
  const rows = (result as { rows: { account: string; currency: string; kept: string; entries: string }[] }).rows;
  return rows.map((r) => ({
    account: r.account,
    currency: r.currency,
    kept: Number(r.kept),
    entries: Number(r.entries),
  }));
}

/** The latest `limit` postings (newest first). */
export async function latestPostings(db: Db, limit: number): Promise<PostingRow[]> {
  return db.select().from(ledgerPostings).orderBy(desc(ledgerPostings.createdAt), desc(ledgerPostings.id)).limit(limit);
}

/** Per posting and currency, the sum of its entries, for the postings given: those that are not zero. */
export async function unbalancedAmong(
  db: Db,
  postingIds: readonly string[],
): Promise<{ postingId: string; currency: string; total: number }[]> {
  if (postingIds.length === 0) return [];
  const rows = await db
    .select({
      postingId: ledgerEntries.postingId,
      currency: ledgerEntries.currency,
      total: sql<string>`sum(${ledgerEntries.amount})`,
    })
    .from(ledgerEntries)
    .where(sql`${ledgerEntries.postingId} in ${postingIds}`)
    .groupBy(ledgerEntries.postingId, ledgerEntries.currency)
    .having(sql`sum(${ledgerEntries.amount}) <> 0`);
  return rows.map((r) => ({ postingId: r.postingId, currency: r.currency, total: Number(r.total) }));
}

/** Every posting about these payments with its entries' sums per account. */
export async function paymentPostings(
  db: Db,
  paymentIds: readonly string[],
): Promise<{ paymentId: string; kind: PostingKind; hostFeePercent: number | null; account: string; total: number }[]> {
  if (paymentIds.length === 0) return [];
  const rows = await db
    .select({
      paymentId: ledgerPostings.paymentId,
      kind: ledgerPostings.kind,
      hostFeePercent: ledgerPostings.hostFeePercent,
      account: ledgerEntries.account,
      total: sql<string>`sum(${ledgerEntries.amount})`,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerEntries, eq(ledgerEntries.postingId, ledgerPostings.id))
    .where(sql`${ledgerPostings.paymentId} in ${paymentIds}`)
    .groupBy(ledgerPostings.paymentId, ledgerPostings.kind, ledgerPostings.hostFeePercent, ledgerEntries.account);
  return rows.map((r) => ({ ...r, paymentId: r.paymentId!, total: Number(r.total) }));
}

export interface StatementLine {
  id: number;
  createdAt: Date;
  kind: PostingKind;
  bookingId: string | null;
  payoutId: string | null;
  currency: string;
  amount: number;
  availableAt: Date | null;
}

/** A page of a host account's entries made in [from, to), oldest first, after the keyset `after`. */
export async function statementPage(
  db: Db,
  account: string,
  window: { from: Date; to: Date },
  limit: number,
  after?: { createdAt: Date; id: number },
): Promise<StatementLine[]> {
  return db
    .select({
      id: ledgerEntries.id,
      createdAt: ledgerEntries.createdAt,
      kind: ledgerPostings.kind,
      bookingId: ledgerPostings.bookingId,
      payoutId: ledgerPostings.payoutId,
      currency: ledgerEntries.currency,
      amount: ledgerEntries.amount,
      availableAt: ledgerEntries.availableAt,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerPostings, eq(ledgerPostings.id, ledgerEntries.postingId))
    .where(
      and(
        eq(ledgerEntries.account, account),
        gte(ledgerEntries.createdAt, window.from),
        lt(ledgerEntries.createdAt, window.to),
        after
          ? or(
              gt(ledgerEntries.createdAt, after.createdAt),
              and(eq(ledgerEntries.createdAt, after.createdAt), gt(ledgerEntries.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(ledgerEntries.createdAt), asc(ledgerEntries.id))
    .limit(limit);
}

export const isHostAccount = (account: string) => account.startsWith(HOST_ACCOUNT_PREFIX);

export async function countBalances(db: Db): Promise<number> {
  return db.$count(ledgerBalances);
}
