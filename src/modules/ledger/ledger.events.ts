import { declareEvents, type Publish } from '../../module.js';
import type { Payout } from './ledger.schemas.js';

/** `payout.paid`: a payout's transfer went through; published once per payout inside the transaction that records it. */
export interface PayoutPaidEvent {
  payout: Payout;
}

export type LedgerEvents = { 'payout.paid': PayoutPaidEvent };

export const ledgerEvents = declareEvents<LedgerEvents>('payout.paid');

export type PublishLedgerEvent = Publish<LedgerEvents>;
