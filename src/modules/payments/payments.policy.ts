import type { RequestContext } from '../../platform/context.js';
import type { PaymentProvider, PaymentProviderName } from '../../platform/payments/index.js';
import { providerNotFound } from './payments.errors.js';
import type { PaymentRefundRow } from './payments.table.js';

export type RefundReason = PaymentRefundRow['reason'];

/** Checkouts one booking may open (declined or abandoned ones included). */
export const MAX_PAYMENTS_PER_BOOKING = 10;

/**
 * Refunds the guest did not ask for, told by an e-mail of their own. A cancel's refund is
 * already in the cancel e-mail.
 */
export const TOLD_REFUNDS: readonly RefundReason[] = ['dates_taken', 'paid_twice'];

// The sandbox page is opened by whoever holds the checkout link, as a provider's hosted
// page is: it reads the booking with the payment's own standing, not a caller's.
export const PAYMENT_READER: RequestContext = {
  actor: { id: '00000000-0000-0000-0000-000000000000', role: 'admin' },
  system: true,
};

/** The provider this process reaches by that name; 404 when it is not configured here. */
export function providerOf(
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>,
  name: PaymentProviderName,
): PaymentProvider {
  const provider = providers.get(name);
  if (!provider) throw providerNotFound();
  return provider;
}
