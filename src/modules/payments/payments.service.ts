import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import type { PaymentProvider, PaymentProviderName, SandboxOutcome } from '../../platform/payments/index.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { AuditService } from '../audit/index.js';
import type { BookingsAccount, BookingsApi, CancellationEvent, RequestAnsweredEvent } from '../bookings/index.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import { createPaymentCheckout } from './payments.checkout.js';
import type { PublishPaymentEvent } from './payments.events.js';
import { createPaymentsMail } from './payments.mail.js';
import { createPaymentRefunds } from './payments.refunds.js';
import { createPaymentSettlement } from './payments.settlement.js';
import type { Payment, SandboxCheckout, WebhookResult } from './payments.schemas.js';
import type { PaymentRefundRow } from './payments.table.js';
import { createPaymentWebhooks } from './payments.webhooks.js';

/** What the transports, the job handlers and the personal-data export call on payments. */
export interface PaymentsApi {
  /** The payments of the user's bookings as guest or host (personal-data export). */
  paymentsOf(userId: string, as: 'guest' | 'host'): AsyncGenerator<Payment>;
  /** Starts a checkout at the active provider for the caller's pending booking. */
  initiatePayment(bookingId: string, ctx: RequestContext): Promise<Payment>;
  /** A payment, for the guest, the host or an admin of its booking; anyone else 404. */
  getPayment(id: string, ctx: RequestContext): Promise<Payment>;
  /** A provider's signed event, applied exactly once. */
  handleWebhook(provider: PaymentProviderName, rawBody: Buffer, headers: IncomingHttpHeaders): Promise<WebhookResult>;
  /** What the sandbox checkout page shows; 404 unless the sandbox is the active provider. */
  getSandboxCheckout(reference: string): Promise<SandboxCheckout>;
  /** The sandbox page's Pay or Decline, delivered as a signed webhook. */
  settleSandboxCheckout(
    reference: string,
    outcome: SandboxOutcome,
    /** Tests: the sandbox will refuse to capture or void this authorization. */
    options?: { refuseSettlement?: boolean },
  ): Promise<{ delivered: boolean; checkout: SandboxCheckout }>;
  /** Sends refunds still pending; returns how many went through. */
  retryPendingRefunds(limit?: number): Promise<{ attempted: number; succeeded: number }>;
  /** Handles `booking.canceled`: records the cancel's refund inside the cancel's transaction. */
  onBookingCanceled(tx: Db, event: CancellationEvent): Promise<void>;
  /** The refunds of a payment, oldest first (for admins' tools and tests). */
  listRefunds(paymentId: string): Promise<PaymentRefundRow[]>;
  /** Job handler: the guest's receipt for the payment that confirmed their booking. */
  sendPaymentReceipt(paymentId: string): Promise<void>;
  /** Job handler: the guest's e-mail about a refund they did not ask for. */
  sendRefundEmail(refundId: string): Promise<void>;
  /** Handles `booking.accepted` / `booking.released`: the request's authorization is captured or voided (after commit). */
  onRequestAnswered(tx: Db, event: RequestAnsweredEvent): Promise<void>;
  /** Job handler: captures or voids an authorization at its provider. */
  settleAuthorization(paymentId: string): Promise<void>;
}

export interface PaymentsServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bookings: BookingsApi & Pick<BookingsAccount, 'bookingIdPages'>;
  users: UsersApi;
  properties: PropertiesApi;
  mailer: Mailer;
  /** The providers this process can reach (see createPaymentProviders); `active` takes new checkouts. */
  providers: ReadonlyMap<PaymentProviderName, PaymentProvider>;
  active: PaymentProviderName;
  webhookSecret: string;
  /** PUBLIC_URL: where the sandbox page posts its webhook and providers send the guest back. */
  publicUrl: string;
  /** The module's events (`payment.succeeded`, `payment.refunded`), run inside the publishing transaction. */
  publish: PublishPaymentEvent;
  /** Deadline of the sandbox's own webhook delivery. */
  deliveryTimeoutMs?: number;
}

/** Payments by use case: checkout, the providers' webhooks, refunds and the guest's e-mails. */
export function createPaymentsService(deps: PaymentsServiceDeps): PaymentsApi {
  const { recordRefund, ...refunds } = createPaymentRefunds(deps);
  return {
    ...createPaymentCheckout(deps),
    ...createPaymentWebhooks({ ...deps, recordRefund }),
    ...refunds,
    ...createPaymentSettlement(deps),
    ...createPaymentsMail(deps),
  };
}
