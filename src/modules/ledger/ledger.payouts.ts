import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/types.js';
import { isAppError, pgErrorCode } from '../../platform/errors.js';
import type { PayoutProvider } from '../../platform/payments/index.js';
import * as repo from './ledger.repository.js';
import * as payoutsRepo from './payouts.repository.js';
import { toPayoutDto, type Payout } from './ledger.schemas.js';
import type { PayoutRow } from './ledger.table.js';
import type { PublishLedgerEvent } from './ledger.events.js';
import { createPayoutSteps } from './ledger.payout-steps.js';

export interface PayoutRunDeps {
  db: Db;
  clock: Clock;
  provider: PayoutProvider | undefined;
  publish: PublishLedgerEvent;
  /** Tests: runs right after the provider's answer, before it is recorded (a crash there). */
  afterTransfer?: (payout: PayoutRow) => void | Promise<void>;
}

export interface PayoutRunResult {
  paid: number;
  failed: number;
  /** Left pending: the provider could not be reached; the next run retries them under the same key. */
  unsettled: number;
}

/** Hosts (and currencies) looked at per batch of a run. */
const RUN_BATCH = 200;

/**
 * Host payouts: each host's due balance per currency is paid out in two steps. First, in a
 * transaction holding the host's balance row, a pending payout is written with the posting
 * that moves its amount out of the host's account (`payouts_in_transit`); then the provider
 * is asked to transfer it, keyed by the payout's id; then, in a second transaction, the
 * payout is marked paid (`payouts`) or failed (the amount goes back to the host). A run
 * that stops in between leaves the payout pending, and the next run asks the provider again
 * under the same key: the money moves once.
 */
export function createPayoutRuns(deps: PayoutRunDeps) {
  const { db, provider } = deps;

  const { startPayout, recordPaid, recordFailed } = createPayoutSteps(deps);

  /** Asks the provider for a pending payout's transfer and records the answer; 'unsettled' when it could not be reached. */
  async function settle(payout: PayoutRow): Promise<'paid' | 'failed' | 'unsettled'> {
    if (!provider || provider.name !== payout.provider) return 'unsettled';
    let result;
    try {
      result = await provider.transfer({
        accountId: payout.accountId,
        amount: payout.amount,
        currency: payout.currency,
        idempotencyKey: payout.id,
        description: `Staylane payout ${payout.id}`,
      });
    } catch (e) {
      if (isAppError(e) && e.kind === 'unavailable') return 'unsettled';
      throw e;
    }
    await deps.afterTransfer?.(payout);
    if (result.status === 'paid') {
      await recordPaid(payout, result.reference);
      return 'paid';
    }
    await recordFailed(payout, 'pending', result.reason);
    return 'failed';
  }

  async function payHost(hostId: string, currency: string, tally: PayoutRunResult): Promise<void> {
    const account = await payoutsRepo.findPayoutAccount(db, hostId);
    if (!account || !provider || account.provider !== provider.name) return;
    // Onboarding finishes at the provider: an account not known ready is asked about again.
    if (!account.ready) {
      if (!(await provider.accountReady(account.accountId).catch(() => false))) return;
      await payoutsRepo.setPayoutAccountReady(db, hostId, true, deps.clock.now());
    }
    let payout: PayoutRow | undefined;
    try {
      payout = await startPayout(hostId, currency, provider.name, account.accountId);
    } catch (e) {
      // Another run started this host's payout at the same moment: that run pays it.
      if (pgErrorCode(e) === '23505') return;
      throw e;
    }
    if (!payout) return;
    const outcome = await settle(payout);
    if (outcome === 'unsettled') tally.unsettled++;
    else tally[outcome]++;
  }

  return {
    /**
     * The daily run: first the payouts a stopped run left pending, then every host account
     * with money owed, in batches, each paid its due balance per currency (a negative due
     * balance, a refund after a payout, is settled by later earnings before anything is paid).
     */
    async runPayouts(): Promise<PayoutRunResult> {
      const tally: PayoutRunResult = { paid: 0, failed: 0, unsettled: 0 };
      if (!provider) return tally;
      for (const payout of await payoutsRepo.pendingPayouts(db, RUN_BATCH)) {
        const outcome = await settle(payout);
        if (outcome === 'unsettled') tally.unsettled++;
        else tally[outcome]++;
      }
      let after: { account: string; currency: string } | undefined;
      for (;;) {
        const batch = await repo.positiveHostBalances(db, RUN_BATCH, after);
        for (const row of batch) {
          await payHost(row.account.slice('host_payable:'.length), row.currency, tally);
        }
        if (batch.length < RUN_BATCH) break;
        after = batch.at(-1);
      }
      return tally;
    },

    /** A paid payout the provider reversed (Stripe `transfer.reversed`): failed, its amount back to the host. */
    async reversePayout(payoutId: string, reason: string): Promise<Payout | undefined> {
      const payout = await payoutsRepo.findPayout(db, payoutId);
      if (!payout || !(await recordFailed(payout, 'paid', reason))) return undefined;
      const updated = await payoutsRepo.findPayout(db, payoutId);
      return updated && toPayoutDto(updated);
    },
  };
}
