import { createHash } from 'node:crypto';
import {
  callProvider,
  headerValue,
  invalidSignature,
  providerUnavailable,
  toMajorUnits,
  type PaymentProvider,
  type WebhookEvent,
  cannotAuthorize,
} from './provider.js';
import { parseJson } from './sandbox.js';
import { hmacSha256Hex, safeEqual } from './signatures.js';

export interface ChapaOptions {
  secretKey: string;
  /** The secret hash set in Chapa's dashboard, which signs its webhooks. */
  webhookSecret: string;
  /** `https://api.chapa.co`, or a fake's address in tests. */
  apiUrl: string;
  timeoutMs?: number;
}

/** Headers Chapa signs a webhook in (hex HMAC-SHA256 of the raw body with the secret hash). */
export const CHAPA_SIGNATURE_HEADERS = ['x-chapa-signature', 'chapa-signature'] as const;

interface ChapaEnvelope<T> {
  status?: string;
  message?: unknown;
  data?: T;
}

interface ChapaTransaction {
  status?: string;
  tx_ref?: string;
  reference?: string;
  amount?: string | number;
  currency?: string;
}

interface ChapaWebhook {
  event?: string;
  status?: string;
  tx_ref?: string;
  reference?: string;
}

/**
 * Chapa (https://developer.chapa.co): hosted checkout through `transaction/initialize`
 * with our reference as `tx_ref`, amounts as decimal strings in major units. A webhook's
 * "success" is confirmed with `transaction/verify` before we act on it.
 */
export function createChapaProvider(options: ChapaOptions): PaymentProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const auth = { authorization: `Bearer ${options.secretKey}` };
  const call = <T>(method: 'GET' | 'POST', path: string, body?: { json?: unknown; form?: URLSearchParams }) =>
    callProvider<ChapaEnvelope<T>>({
      provider: 'chapa',
      method,
      url: `${options.apiUrl}${path}`,
      headers: {
        ...auth,
        accept: 'application/json',
        ...(body?.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(body?.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: body?.json !== undefined ? JSON.stringify(body.json) : body?.form?.toString(),
      timeoutMs,
    });

  return {
    name: 'chapa',
    // Chapa charges at checkout: a request to book is paid for once the host accepts it.
    canAuthorize: false,
    capture: cannotAuthorize('chapa'),
    void: cannotAuthorize('chapa'),
    async createCheckout(request) {
      const [firstName, ...rest] = request.customerName.trim().split(/\s+/);
      const answer = await call<{ checkout_url?: string }>('POST', '/v1/transaction/initialize', {
        json: {
          amount: toMajorUnits(request.amount, request.currency),
          currency: request.currency,
          email: request.customerEmail,
          first_name: firstName || 'Guest',
          last_name: rest.join(' ') || firstName || 'Guest',
          tx_ref: request.reference,
          callback_url: request.returnUrl,
          return_url: request.returnUrl,
          // Chapa accepts only short plain text here.
          customization: { title: 'Staylane', description: plainText(request.description, 50) },
        },
      });
      const url = answer.data?.checkout_url;
      if (answer.status !== 'success' || typeof url !== 'string') throw unexpected();
      return { providerReference: request.reference, checkoutUrl: url };
    },

    async parseWebhook(rawBody, headers): Promise<WebhookEvent> {
      const expected = hmacSha256Hex(options.webhookSecret, rawBody);
      const signed = CHAPA_SIGNATURE_HEADERS.some((name) => {
        const value = headerValue(headers, name);
        return value !== undefined && safeEqual(expected, value.trim().toLowerCase());
      });
      if (!signed) throw invalidSignature();
      const body = parseJson(rawBody) as ChapaWebhook | null;
      const event = typeof body?.event === 'string' ? body.event : 'unknown';
      const txRef = typeof body?.tx_ref === 'string' && body.tx_ref.length <= 255 ? body.tx_ref : null;
      if (!txRef) {
        const digest = createHash('sha256').update(rawBody).digest('hex');
        return { eventId: `${event}:${digest}`, type: event, kind: 'ignored', providerReference: null };
      }
      // Chapa's events carry no id of their own; one transaction has one outcome per event type.
      const eventId = `${event}:${txRef}`;
      if (event === 'charge.success' || (event === 'unknown' && body?.status === 'success')) {
        // Trust the API, not the notification: the webhook only says where to look.
        const verified = await call<ChapaTransaction>('GET', `/v1/transaction/verify/${encodeURIComponent(txRef)}`);
        if (verified.data?.status !== 'success' || verified.data.tx_ref !== txRef) {
          return { eventId, type: event, kind: 'ignored', providerReference: txRef };
        }
        return {
          eventId,
          type: event,
          kind: 'succeeded',
          providerReference: txRef,
          ...(typeof verified.data.reference === 'string' ? { chargeId: verified.data.reference } : {}),
        };
      }
      const failed = ['charge.failed', 'charge.cancelled', 'charge.canceled'].includes(event);
      return { eventId, type: event, kind: failed ? 'failed' : 'ignored', providerReference: txRef };
    },

    async refund(request) {
      const form = new URLSearchParams({
        reason: 'Booking refund',
        amount: toMajorUnits(request.amount, request.currency),
        // Chapa refuses a second refund request with the same reference: our retry guard.
        reference: request.idempotencyKey,
      });
      const answer = await call<{ ref_id?: string; reference?: string }>(
        'POST',
        `/v1/refund/${encodeURIComponent(request.providerReference)}`,
        { form },
      );
      if (answer.status !== 'success') throw unexpected();
      return { refundId: answer.data?.ref_id ?? answer.data?.reference ?? request.idempotencyKey };
    },
  };
}

const unexpected = () => providerUnavailable('chapa', new Error('unexpected answer'));

function plainText(text: string, max: number): string {
  return (
    text
      .replace(/[^A-Za-z0-9 ._-]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max) || 'Booking'
  );
}
