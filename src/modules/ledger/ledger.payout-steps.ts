import type { Clock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { PayoutProviderName } from '../../platform/payments/index.js';
import type { PublishLedgerEvent } from './ledger.events.js';
import { ACCOUNT, hostAccount } from './ledger.policy.js';
import * as repo from './ledger.repository.js';
import { toPayoutDto } from './ledger.schemas.js';
import type { PayoutRow } from './ledger.table.js';
import * as payoutsRepo from './payouts.repository.js';

/**
 * The transactions of a payout: its start (the pending row and the posting that takes its
 * amount out of the host's account, under the host's balance row lock), and its outcome
 * (paid, or failed with the amount back to the host), each written once.
 */
export function createPayoutSteps(deps: { db: Db; clock: Clock; publish: PublishLedgerEvent }) {
  const { db, clock, publish } = deps;

  async function startPayout(
    hostId: string,
    currency: string,
    provider: PayoutProviderName,
    accountId: string,
  ): Promise<PayoutRow | undefined> {
    return withTransaction(db, async (tx) => {
      const account = hostAccount(hostId);
      if ((await repo.lockBalance(tx, account, currency)) === undefined) return undefined;
      const open = await payoutsRepo.findPendingPayout(tx, hostId, currency);
      if (open) return open;
      const now = clock.now();
      const [sums] = await repo.hostSums(tx, account, now, currency);
      if (!sums || sums.due <= 0) return undefined;
      const payout = await payoutsRepo.insertPayout(
        tx,
        { hostId, amount: sums.due, currency, provider, accountId },
        now,
      );
      await repo.insertPosting(
        tx,
        {
          source: `payout:${payout.id}:initiated`,
          kind: 'payout_initiated',
          currency,
          payoutId: payout.id,
          hostId,
          createdAt: now,
        },
        [
          { account, amount: -payout.amount, availableAt: now },
          { account: ACCOUNT.payoutsInTransit, amount: payout.amount },
        ],
      );
      return payout;
    });
  }

  async function recordPaid(payout: PayoutRow, reference: string): Promise<void> {
    await withTransaction(db, async (tx) => {
      const now = clock.now();
      const paid = await payoutsRepo.markPayoutPaid(tx, payout.id, reference, now);
      if (!paid) return;
      await repo.insertPosting(
        tx,
        {
          source: `payout:${payout.id}:paid`,
          kind: 'payout_paid',
          currency: payout.currency,
          payoutId: payout.id,
          hostId: payout.hostId,
          createdAt: now,
        },
        [
          { account: ACCOUNT.payoutsInTransit, amount: -payout.amount },
          { account: ACCOUNT.payouts, amount: payout.amount },
        ],
      );
      await publish(tx, 'payout.paid', { payout: toPayoutDto(paid) });
    });
  }

  /** The payout's money back to the host's balance (due at once): a refused transfer, or one reversed after it was paid. */
  async function recordFailed(payout: PayoutRow, from: 'pending' | 'paid', reason: string): Promise<boolean> {
    return withTransaction(db, async (tx) => {
      const now = clock.now();
      const failed = await payoutsRepo.markPayoutFailed(tx, payout.id, from, reason, now);
      if (!failed) return false;
      await repo.insertPosting(
        tx,
        {
          source: `payout:${payout.id}:${from === 'pending' ? 'failed' : 'reversed'}`,
          kind: from === 'pending' ? 'payout_failed' : 'payout_reversed',
          currency: payout.currency,
          payoutId: payout.id,
          hostId: payout.hostId,
          createdAt: now,
        },
        [
          { account: from === 'pending' ? ACCOUNT.payoutsInTransit : ACCOUNT.payouts, amount: -payout.amount },
          { account: hostAccount(payout.hostId), amount: payout.amount, availableAt: now },
        ],
      );
      return true;
    });
  }

  return { startPayout, recordPaid, recordFailed };
}
