import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import {
  headerValue,
  invalidSignature,
  providerUnavailable,
  type AuthorizationRequest,
  type PaymentProvider,
  type WebhookEvent,
} from './provider.js';
import { hmacSha256Hex, safeEqual } from './signatures.js';

/** The header the sandbox signs its webhooks in: hex HMAC-SHA256 of the raw body. */
export const SANDBOX_SIGNATURE_HEADER = 'x-staylane-signature';

/** What the payer chose on the page: pay (or, for a manual-capture checkout, authorize) or decline. */
export type SandboxOutcome = 'succeeded' | 'failed';

/**
 * The body of a sandbox webhook: a provider-like event naming the checkout it settles.
 * `payment.authorized` is a manual-capture checkout paid on the page; `refuse` makes the
 * sandbox refuse to capture or void that authorization later (tests of a provider failing).
 */
export interface SandboxEventBody {
  id: string;
  type: `payment.${SandboxOutcome | 'authorized'}`;
  data: { reference: string; refuse?: boolean };
}

export function sandboxEvent(
  reference: string,
  outcome: SandboxOutcome | 'authorized',
  id = `evt_${randomUUID()}`,
  refuse = false,
): SandboxEventBody {
  return { id, type: `payment.${outcome}`, data: { reference, ...(refuse && { refuse }) } };
}

/** The sandbox's authorization ids: a refused one says so, so capture and void fail the same every time. */
const REFUSED = ':refused';
const settle = async (request: AuthorizationRequest) => {
  if (!request.authorizationReference || request.authorizationReference.endsWith(REFUSED)) {
    throw providerUnavailable('sandbox', new Error('the sandbox refuses this authorization'));
  }
};

/** The raw body and headers of a signed sandbox delivery. */
export function signSandboxEvent(
  secret: string,
  event: SandboxEventBody,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  return {
    body,
    headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: hmacSha256Hex(secret, body) },
  };
}

export interface SandboxOptions {
  webhookSecret: string;
  /** Base of the checkout page's URL: the app's public URL. */
  publicUrl: string;
}

/**
 * The built-in provider: its checkout page is served by the app itself and settles by
 * posting a signed webhook back to it; refunds succeed at once. Nothing leaves the process.
 */
export function createSandboxProvider(options: SandboxOptions): PaymentProvider {
  return {
    name: 'sandbox',
    async createCheckout(request) {
      return {
        providerReference: request.reference,
        checkoutUrl: `${options.publicUrl}/sandbox/checkout/${encodeURIComponent(request.reference)}`,
      };
    },
    async parseWebhook(rawBody, headers): Promise<WebhookEvent> {
      const signature = headerValue(headers, SANDBOX_SIGNATURE_HEADER);
      if (!signature || !safeEqual(hmacSha256Hex(options.webhookSecret, rawBody), signature.trim().toLowerCase())) {
        throw invalidSignature();
      }
      const event = parseJson(rawBody) as Partial<SandboxEventBody> | null;
      const id = event?.id;
      const reference = event?.data?.reference;
      if (typeof id !== 'string' || id.length === 0 || id.length > 255) throw invalidWebhook();
      const kind =
        event?.type === 'payment.succeeded'
          ? 'succeeded'
          : event?.type === 'payment.authorized'
            ? 'authorized'
            : event?.type === 'payment.failed'
              ? 'failed'
              : 'ignored';
      const ref = typeof reference === 'string' ? reference : null;
      return {
        eventId: id,
        type: String(event?.type ?? 'unknown').slice(0, 100),
        kind,
        providerReference: ref,
        ...(kind === 'authorized' &&
          ref && { chargeId: `sandbox_auth_${ref}${event?.data?.refuse === true ? REFUSED : ''}` }),
      };
    },
    async refund(request) {
      return { refundId: `sandbox_re_${request.idempotencyKey}` };
    },
    canAuthorize: true,
    capture: settle,
    void: settle,
  };
}

/** A signed body that is not the JSON the provider documents: refused, not guessed at. */
export const invalidWebhook = () =>
  new AppError('invalid', 'invalid_webhook', 'The webhook body is not a valid event.');

export function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw invalidWebhook();
  }
}
