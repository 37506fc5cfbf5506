import {
  callProvider,
  headerValue,
  invalidSignature,
  providerUnavailable,
  type AuthorizationRequest,
  type PaymentProvider,
  type WebhookEvent,
} from './provider.js';
import { parseJson } from './sandbox.js';
import { verifyStripeSignature } from './signatures.js';

export interface StripeOptions {
  secretKey: string;
  /** The endpoint's signing secret (`whsec_…`). */
  webhookSecret: string;
  /** `https://api.stripe.com`, or a fake's address in tests. */
  apiUrl: string;
  /** Seconds since the epoch, for the signature's timestamp tolerance. */
  nowSeconds: () => number;
  timeoutMs?: number;
}

interface StripeSession {
  id?: string;
  object?: string;
  url?: string | null;
  payment_status?: string;
  payment_intent?: string | { id?: string } | null;
}

interface StripeIntent {
  id?: string;
  object?: string;
  status?: string;
  metadata?: Record<string, unknown>;
}

interface StripeEvent {
  id?: string;
  type?: string;
  data?: { object?: StripeSession & StripeIntent };
}

/**
 * A PaymentIntent event (https://docs.stripe.com/api/events/types): it names the intent, and
 * our reference through the metadata set at checkout (`payment_intent_data[metadata]`).
 */
function intentEvent(base: { eventId: string; type: string }, intent: StripeIntent): WebhookEvent {
  const reference = typeof intent.metadata?.reference === 'string' ? intent.metadata.reference : undefined;
  const named = { ...base, providerReference: null, ...(reference && { reference }) };
  if (typeof intent.id !== 'string' || !reference) return { ...named, kind: 'ignored' };
  switch (base.type) {
    // A manual-capture intent whose money is reserved (status requires_capture).
    case 'payment_intent.amount_capturable_updated':
      return { ...named, kind: 'authorized', chargeId: intent.id };
    case 'payment_intent.succeeded':
      return { ...named, kind: 'succeeded', chargeId: intent.id };
    case 'payment_intent.canceled':
      return { ...named, kind: 'voided', chargeId: intent.id };
    default:
      return { ...named, kind: 'ignored' };
  }
}

/**
 * Stripe Checkout (https://docs.stripe.com/api/checkout/sessions): a Session per attempt,
 * amounts in minor units, form-encoded requests with an Idempotency-Key; webhooks signed
 * with `Stripe-Signature`; refunds against the session's payment intent.
 */
export function createStripeProvider(options: StripeOptions): PaymentProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const post = <T>(path: string, form: URLSearchParams, idempotencyKey: string) =>
    callProvider<T>({
      provider: 'stripe',
      method: 'POST',
      url: `${options.apiUrl}${path}`,
      headers: {
        authorization: `Bearer ${options.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': idempotencyKey,
      },
      body: form.toString(),
      timeoutMs,
    });

  async function settleIntent(request: AuthorizationRequest, action: 'capture' | 'cancel', expected: string) {
    const intent = request.authorizationReference;
    if (!intent) throw providerUnavailable('stripe', new Error('no payment intent to settle'));
    const form = new URLSearchParams(action === 'capture' ? { amount_to_capture: String(request.amount) } : {});
    const answer = await post<StripeIntent>(
      `/v1/payment_intents/${encodeURIComponent(intent)}/${action}`,
      form,
      `${action}-${request.idempotencyKey}`,
    );
    if (answer.status !== expected) {
      throw providerUnavailable('stripe', new Error(`${action} left the intent ${answer.status ?? 'unknown'}`));
    }
  }

  return {
    name: 'stripe',
    async createCheckout(request) {
      const form = new URLSearchParams({
        mode: 'payment',
        client_reference_id: request.reference,
        customer_email: request.customerEmail,
        success_url: request.returnUrl,
        cancel_url: request.returnUrl,
        'line_items[0][quantity]': '1',
        'line_items[0][price_data][currency]': request.currency.toLowerCase(),
        'line_items[0][price_data][unit_amount]': String(request.amount),
        'line_items[0][price_data][product_data][name]': request.description.slice(0, 250) || 'Booking',
        'metadata[reference]': request.reference,
        'payment_intent_data[metadata][reference]': request.reference,
      });
      // Request to book: the card is authorized now and captured when the host accepts.
      if (request.captureMethod === 'manual') form.set('payment_intent_data[capture_method]', 'manual');
      const session = await post<StripeSession>('/v1/checkout/sessions', form, `checkout-${request.reference}`);
      if (typeof session.id !== 'string' || typeof session.url !== 'string') {
        throw providerUnavailable('stripe', new Error('unexpected answer'));
      }
      return { providerReference: session.id, checkoutUrl: session.url };
    },

    async parseWebhook(rawBody, headers): Promise<WebhookEvent> {
      const header = headerValue(headers, 'stripe-signature');
      if (!verifyStripeSignature(options.webhookSecret, rawBody, header, options.nowSeconds())) {
        throw invalidSignature();
      }
      const event = parseJson(rawBody) as StripeEvent | null;
      if (typeof event?.id !== 'string' || event.id.length === 0 || event.id.length > 255) {
        return { eventId: 'invalid', type: 'unknown', kind: 'ignored', providerReference: null };
      }
      const type = typeof event.type === 'string' ? event.type.slice(0, 100) : 'unknown';
      const session = event.data?.object;
      if (session?.object === 'payment_intent') return intentEvent({ eventId: event.id, type }, session);
      const sessionId = session?.object === 'checkout.session' && typeof session.id === 'string' ? session.id : null;
      const intent = typeof session?.payment_intent === 'string' ? session.payment_intent : session?.payment_intent?.id;
      const base = { eventId: event.id, type, providerReference: sessionId };
      if (!sessionId) return { ...base, kind: 'ignored' };
      switch (type) {
        case 'checkout.session.completed':
          // Unpaid: a manual-capture session, authorized (the payments module knows which it
          // started); or a delayed method (bank debit), whose outcome comes as an async_payment event.
          return session?.payment_status === 'paid'
            ? { ...base, kind: 'succeeded', ...(intent ? { chargeId: intent } : {}) }
            : intent
              ? { ...base, kind: 'authorized', chargeId: intent }
              : { ...base, kind: 'ignored' };
        case 'checkout.session.async_payment_succeeded':
          return { ...base, kind: 'succeeded', ...(intent ? { chargeId: intent } : {}) };
        case 'checkout.session.async_payment_failed':
        case 'checkout.session.expired':
          return { ...base, kind: 'failed' };
        default:
          return { ...base, kind: 'ignored' };
      }
    },

    canAuthorize: true,

    // https://docs.stripe.com/api/payment_intents/capture: the whole authorized amount.
    async capture(request) {
      await settleIntent(request, 'capture', 'succeeded');
    },

    // https://docs.stripe.com/api/payment_intents/cancel: the authorization is released.
    async void(request) {
      await settleIntent(request, 'cancel', 'canceled');
    },

    async refund(request) {
      if (!request.chargeId) throw providerUnavailable('stripe', new Error('no payment intent to refund'));
      const form = new URLSearchParams({
        payment_intent: request.chargeId,
        amount: String(request.amount),
        'metadata[refund]': request.idempotencyKey,
      });
      const refund = await post<{ id?: string; status?: string }>(
        '/v1/refunds',
        form,
        `refund-${request.idempotencyKey}`,
      );
      if (typeof refund.id !== 'string' || refund.status === 'failed' || refund.status === 'canceled') {
        throw providerUnavailable('stripe', new Error(`refund ${refund.status ?? 'unexpected'}`));
      }
      return { refundId: refund.id };
    },
  };
}
