import type { Clock } from '../../platform/clock.js';
import { requireActor, requireRole, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import type { PayoutProvider } from '../../platform/payments/index.js';
import { isoInstant } from '../../platform/validation.js';
import { z } from 'zod';
import type { BookingsApi } from '../bookings/index.js';
import type { PaymentRefundedEvent, PaymentSucceededEvent } from '../payments/index.js';
import type { UsersApi } from '../users/index.js';
import { checkLedger } from './ledger.check.js';
import { hasPayoutBalance, payoutAccountNotFound, payoutsUnavailable } from './ledger.errors.js';
import type { PublishLedgerEvent } from './ledger.events.js';
import { createPayoutRuns, type PayoutRunResult } from './ledger.payouts.js';
import { hostAccount } from './ledger.policy.js';
import { createLedgerPostings } from './ledger.postings.js';
import * as repo from './ledger.repository.js';
import {
  toPayoutDto,
  type Earnings,
  type LedgerCheck,
  type ListPayoutsQuery,
  type Payout,
  type PayoutAccount,
  type PayoutAccountLink,
  type StatementQuery,
} from './ledger.schemas.js';
import { createStatement } from './ledger.statement.js';
import type { PayoutAccountRow, PayoutRow } from './ledger.table.js';
import * as payoutsRepo from './payouts.repository.js';

export interface LedgerServiceDeps {
  db: Db;
  clock: Clock;
  bookings: Pick<BookingsApi, 'findStays'>;
  users: Pick<UsersApi, 'getContacts'>;
  publish: PublishLedgerEvent;
  hostFeePercent: number;
  /** undefined when the active payment provider cannot pay hosts out (Chapa). */
  provider: PayoutProvider | undefined;
  publicUrl: string;
  afterTransfer?: (payout: PayoutRow) => void | Promise<void>;
}

export interface LedgerApi {
  onPaymentSucceeded(tx: Db, event: PaymentSucceededEvent): Promise<void>;
  onPaymentRefunded(tx: Db, event: PaymentRefundedEvent): Promise<void>;
  /** Hosts: creates the payout account at the provider (once) and answers its onboarding link. */
  openPayoutAccount(ctx: RequestContext, options?: { simulateFailure?: boolean }): Promise<PayoutAccountLink>;
  getPayoutAccount(ctx: RequestContext): Promise<PayoutAccount>;
  getEarnings(ctx: RequestContext): Promise<Earnings>;
  listPayouts(query: ListPayoutsQuery, ctx: RequestContext): Promise<Page<Payout> & { cursors: string[] }>;
  statement(
    query: StatementQuery,
    ctx: RequestContext,
    signal?: AbortSignal,
  ): { filename: string; chunks: AsyncGenerator<string> };
  checkLedger(ctx: RequestContext): Promise<LedgerCheck>;
  /** The daily job: every host's due balance paid out. */
  runPayouts(): Promise<PayoutRunResult>;
  reversePayout(payoutId: string, reason: string): Promise<Payout | undefined>;
  payoutsOf(userId: string): AsyncGenerator<Payout>;
  earningsOf(userId: string): AsyncGenerator<unknown>;
  refuseClosureWithBalance(userId: string, tx: Db): Promise<void>;
}

const payoutCursor = z.tuple([isoInstant, z.uuid()]);

const accountDto = (row: PayoutAccountRow): PayoutAccount => ({
  provider: row.provider as PayoutAccount['provider'],
  ready: row.ready,
  createdAt: row.createdAt.toISOString(),
});

export function createLedgerService(deps: LedgerServiceDeps): LedgerApi {
  const { db, clock, provider } = deps;
  const runs = createPayoutRuns(deps);
  const statement = createStatement({ db });

  async function earningsFor(hostId: string): Promise<Earnings> {
    const sums = await repo.hostSums(db, hostAccount(hostId), clock.now());
    const payouts = new Map((await payoutsRepo.payoutSums(db, hostId)).map((p) => [p.currency, p]));
    const currencies = [...new Set([...sums.map((s) => s.currency), ...payouts.keys()])].sort();
    return {
      data: currencies.map((currency) => {
        const s = sums.find((x) => x.currency === currency);
        const p = payouts.get(currency);
        return {
          currency,
          pending: s?.pending ?? 0,
          due: s?.due ?? 0,
          inTransit: p?.inTransit ?? 0,
          paid: p?.paid ?? 0,
          balance: s?.balance ?? 0,
        };
      }),
    };
  }

  return {
    ...createLedgerPostings({ clock, hostFeePercent: deps.hostFeePercent }),
    runPayouts: () => runs.runPayouts(),
    reversePayout: (payoutId, reason) => runs.reversePayout(payoutId, reason),

    async openPayoutAccount(ctx, options = {}) {
      const actor = requireRole(ctx, 'host', 'admin');
      if (!provider) throw payoutsUnavailable();
      let account = await payoutsRepo.findPayoutAccount(db, actor.id);
      if (!account) {
        const contact = (await deps.users.getContacts([actor.id])).get(actor.id);
        const { accountId } = await provider.createAccount({
          hostId: actor.id,
          email: contact?.email ?? '',
          simulateFailure: options.simulateFailure,
        });
        account = await payoutsRepo.insertPayoutAccount(
          db,
          { hostId: actor.id, provider: provider.name, accountId, ready: false },
          clock.now(),
        );
      }
      const link = await provider.onboardingLink({
        accountId: account.accountId,
        returnUrl: `${deps.publicUrl}/payouts/onboarding/done`,
        refreshUrl: `${deps.publicUrl}/payouts/onboarding/restart`,
      });
      if (link.ready !== account.ready) {
        await payoutsRepo.setPayoutAccountReady(db, actor.id, link.ready, clock.now());
        account = { ...account, ready: link.ready };
      }
      return { account: accountDto(account), onboardingUrl: link.url };
    },

    async getPayoutAccount(ctx) {
      const actor = requireActor(ctx);
      const account = await payoutsRepo.findPayoutAccount(db, actor.id);
      if (!account) throw payoutAccountNotFound();
      // Onboarding finishes at the provider: asked again until it says the account is ready.
      if (!account.ready && provider && provider.name === account.provider) {
        const ready = await provider.accountReady(account.accountId);
        if (ready) {
          await payoutsRepo.setPayoutAccountReady(db, actor.id, true, clock.now());
          return accountDto({ ...account, ready });
        }
      }
      return accountDto(account);
    },

    getEarnings: async (ctx) => earningsFor(requireActor(ctx).id),

    async listPayouts(query, ctx) {
      const actor = requireActor(ctx);
      const after = query.cursor ? decodeCursor(query.cursor, payoutCursor) : undefined;
      const rows = await payoutsRepo.listPayouts(
        db,
        actor.id,
        query.limit + 1,
        after && { createdAt: new Date(after[0]), id: after[1] },
      );
      return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toPayoutDto);
    },

    statement: (query, ctx, signal) => statement.statement(query, requireActor(ctx).id, signal),

    async checkLedger(ctx) {
      requireRole(ctx, 'admin');
      return checkLedger(db, deps.bookings);
    },

    async *payoutsOf(userId) {
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const rows = await payoutsRepo.listPayouts(db, userId, 100, after);
        for (const row of rows) yield toPayoutDto(row);
        if (rows.length < 100) return;
        const last = rows.at(-1)!;
        after = { createdAt: last.createdAt, id: last.id };
      }
    },

    async *earningsOf(userId) {
      yield* (await earningsFor(userId)).data;
    },

    async refuseClosureWithBalance(userId, tx) {
      const sums = await repo.hostSums(tx, hostAccount(userId), clock.now());
      const pending = await payoutsRepo.payoutSums(tx, userId);
      if (sums.some((s) => s.balance !== 0) || pending.some((p) => p.inTransit > 0)) throw hasPayoutBalance();
    },
  };
}
