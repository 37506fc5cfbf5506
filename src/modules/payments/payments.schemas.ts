import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { PAYMENT_PROVIDER_NAMES } from '../../platform/payments/index.js';
import { PAYMENT_STATUSES, type PaymentRow } from './payments.table.js';

export const PaymentStatus = z.enum(PAYMENT_STATUSES);
export const PaymentProvider = z.enum(PAYMENT_PROVIDER_NAMES);

export const Payment = z
  .object({
    id: z.uuid(),
    bookingId: z.uuid(),
    provider: PaymentProvider,
    status: PaymentStatus.describe(
      '`initiated` until the provider reports; `succeeded` confirms the booking; `failed` leaves it pending until its hold ends; (partially_)refunded after a cancel or a late success.',
    ),
    amount: z.number().int().describe('Minor units: the booking’s total.'),
    refundedAmount: z.number().int().describe('Minor units refunded so far.'),
    currency: z.string().describe('ISO 4217.'),
    checkoutUrl: z.string().nullable().describe('Where to send the guest to pay (the provider’s hosted page).'),
    providerReference: z.string().describe('What the provider knows this payment by.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

export function toPaymentDto(row: PaymentRow): Payment {
  return {
    id: row.id,
    bookingId: row.bookingId,
    provider: row.provider,
    status: row.status,
    amount: row.amount,
    refundedAmount: row.refundedAmount,
    currency: row.currency,
    checkoutUrl: row.checkoutUrl,
    providerReference: row.providerReference,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const BookingIdParams = z.object({ id: idParam('booking') });
export const PaymentIdParams = z.object({ id: idParam('payment') });
export const WebhookParams = z.object({ provider: PaymentProvider.meta({ examples: ['sandbox'] }) });
export const CheckoutParams = z.object({ reference: z.uuid() });

export const WebhookAck = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean().describe('True when this event had been delivered before; it was not applied again.'),
  })
  .meta({ id: 'WebhookAck' });
export type WebhookAck = z.infer<typeof WebhookAck>;

/** A webhook delivery's outcome: `duplicate` when the event had been applied before. */
export type WebhookResult = { duplicate: boolean };

/** What the sandbox checkout page shows. */
export interface SandboxCheckout {
  reference: string;
  title: string;
  checkIn: string;
  checkOut: string;
  amount: number;
  currency: string;
  status: PaymentRow['status'];
}
