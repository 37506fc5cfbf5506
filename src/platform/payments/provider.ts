import type { IncomingHttpHeaders } from 'node:http';
import { AppError, unauthorized } from '../errors.js';

/**
 * One interface over every payment provider. Adapters translate between our neutral
 * shapes and a provider's API; they hold no business rules (who may pay, what a success
 * means for a booking): that is the payments module's work.
 */

export const PAYMENT_PROVIDER_NAMES = ['sandbox', 'chapa', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDER_NAMES)[number];

/**
 * The providers that can authorize a payment without capturing it (then capture or void it
 * later). Chapa cannot: a request to book is charged only once the host accepts it.
 */
const AUTHORIZING_PROVIDERS: readonly PaymentProviderName[] = ['sandbox', 'stripe'];
export const canAuthorize = (provider: PaymentProviderName) => AUTHORIZING_PROVIDERS.includes(provider);

/** `automatic`: captured at checkout. `manual`: only authorized there, captured or voided later. */
export type CaptureMethod = 'automatic' | 'manual';

export interface CheckoutRequest {
  /** Our reference for the attempt (the payment id); unique per provider. */
  reference: string;
  /** Minor units of `currency`. */
  amount: number;
  currency: string;
  description: string;
  customerEmail: string;
  customerName: string;
  /** Where the provider sends the customer back after the checkout. */
  returnUrl: string;
  /** `manual` only with a provider that `canAuthorize`; default `automatic`. */
  captureMethod?: CaptureMethod;
}

export interface CheckoutSession {
  /** What the provider knows the attempt by, and its webhooks name. */
  providerReference: string;
  checkoutUrl: string;
}

/**
 * `authorized`: the money is reserved, not taken (a manual-capture checkout completed);
 * `succeeded`: captured; `voided`: an authorization released; `failed`: nothing will be paid.
 */
export type WebhookKind = 'succeeded' | 'authorized' | 'voided' | 'failed' | 'ignored';

/** A verified provider event, reduced to what the payments module acts on. */
export interface WebhookEvent {
  /** The provider's id of the event: a repeat delivery carries the same one. */
  eventId: string;
  /** The provider's own event type, kept for the record. */
  type: string;
  kind: WebhookKind;
  /** Absent for events that name no checkout (kind `ignored`). */
  providerReference: string | null;
  /** The captured or authorized charge (Stripe payment intent) when the provider names one. */
  chargeId?: string;
  /**
   * Our own reference (`CheckoutRequest.reference`) when the event names the charge rather
   * than the checkout (Stripe's payment_intent events carry it in their metadata).
   */
  reference?: string;
}

/** Capturing or voiding an authorization. */
export interface AuthorizationRequest {
  providerReference: string;
  /** The provider's id of the authorization (Stripe payment intent), when it gave one. */
  authorizationReference: string | null;
  /** Minor units. */
  amount: number;
  currency: string;
  /** Stable per authorization and action: a retried call must not move money twice. */
  idempotencyKey: string;
}

export interface RefundRequest {
  providerReference: string;
  chargeId: string | null;
  /** Minor units. */
  amount: number;
  currency: string;
  /** Stable per refund: a retried call must not refund twice. */
  idempotencyKey: string;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /** Verifies the signature over the raw body first; throws an `unauthorized` AppError when it fails. */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<WebhookEvent>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
  /** Whether `createCheckout` takes `captureMethod: 'manual'` (see `canAuthorize`). */
  readonly canAuthorize: boolean;
  /** Takes the authorized money. Throws an `unavailable` AppError when it could not. */
  capture(request: AuthorizationRequest): Promise<void>;
  /** Releases the authorization unpaid. Throws an `unavailable` AppError when it could not. */
  void(request: AuthorizationRequest): Promise<void>;
}

/** For providers that cannot authorize: capture and void are never asked of them. */
export const cannotAuthorize = (provider: string) => () =>
  Promise.reject(providerUnavailable(provider, new Error('this provider cannot authorize without capturing')));

export const invalidSignature = () =>
  unauthorized('The webhook signature is missing or not valid.', 'invalid_signature');

/** A provider that failed or could not be reached. The message names the provider only: no key, no body. */
export const providerUnavailable = (provider: string, cause?: unknown) =>
  new AppError('unavailable', 'payment_provider_unavailable', `The payment provider (${provider}) is not available.`, {
    cause,
  });

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY, 3 for KWD), from ICU's data. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as a decimal string in major units: 12345 EUR → "123.45", 500 JPY → "500". */
export function toMajorUnits(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A decimal amount in major units back to minor units, exactly (no float arithmetic). */
export function fromMajorUnits(value: string | number, currency: string): number {
  const digits = minorUnitDigits(currency);
  const text = typeof value === 'number' ? value.toFixed(digits) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error('not a decimal amount');
  const fraction = (match[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits && /[^0]/.test(fraction.slice(digits))) throw new Error('too many decimals');
  const minor = Number(match[2]! + fraction.slice(0, digits));
  return match[1] ? -minor : minor;
}

/** One header's value (the first when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export interface HttpCallOptions {
  provider: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/**
 * A JSON call to a provider with a deadline. Any failure (network, timeout, non-2xx,
 * a body that is not JSON) is `unavailable`; the status is kept as the cause for the log.
 */
export async function callProvider<T>(options: HttpCallOptions): Promise<T> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (e) {
    throw providerUnavailable(options.provider, e);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw providerUnavailable(
      options.provider,
      new Error(`${options.method} ${new URL(options.url).pathname} answered ${response.status}`),
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw providerUnavailable(options.provider, e);
  }
}
