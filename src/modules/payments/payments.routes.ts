import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../http/problem.js';
import { sandboxCheckoutRoutes } from './payments.sandbox-routes.js';
import { BookingIdParams, Payment, PaymentIdParams, WebhookAck, WebhookParams } from './payments.schemas.js';
import type { PaymentsApi } from './payments.service.js';

const bearer = [{ bearerAuth: [] }];
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * A webhook's body exactly as received: signatures are computed over these bytes. The
 * bytes sit in a private field so that generic body walkers (the NUL guard) see an empty
 * object rather than a million array indices.
 */
class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

export const paymentsRoutes: FastifyPluginAsyncZod<{ payments: PaymentsApi }> = async (app, { payments }) => {
  app.post(
    '/v1/bookings/:id/payments',
    {
      config: { auth: 'required', idempotent: true },
      schema: {
        tags: ['payments'],
        operationId: 'startPayment',
        summary: 'Start paying for a booking (its guest)',
        description:
          'Creates a payment at the configured provider and answers its `checkoutUrl`, where the guest pays. The booking must be `pending` with its hold not passed and no payment captured, and a booking opens at most 10 checkouts (409 `booking_not_payable` otherwise). Other participants of the booking get 403, anyone else 404. 503 when the provider cannot be reached (the payment is then `failed`; try again).',
        security: bearer,
        params: BookingIdParams,
        response: {
          201: Payment,
          ...problemResponses({
            403: ['not_booking_guest'],
            404: ['booking_not_found'],
            409: ['booking_not_payable'],
            503: ['payment_provider_unavailable'],
          }),
        },
      },
    },
    async (request, reply) => {
      const payment = await payments.initiatePayment(request.params.id, request.ctx);
      return reply.status(201).header('location', `/v1/payments/${payment.id}`).send(payment);
    },
  );

  app.get(
    '/v1/payments/:id',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['payments'],
        operationId: 'getPayment',
        summary: 'A payment',
        description: 'For the guest, the host and admins of its booking; anyone else gets 404.',
        security: bearer,
        params: PaymentIdParams,
        response: { 200: Payment, ...problemResponses({ 404: ['payment_not_found'] }) },
      },
    },
    (request) => payments.getPayment(request.params.id, request.ctx),
  );

  // The webhook needs the raw bytes: its own scope replaces the JSON parser with one that keeps them.
  const webhook: FastifyPluginAsyncZod = async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      ['application/json', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, new RawBody(body as Buffer)),
    );
    scope.post(
      '/v1/webhooks/payments/:provider',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['payments'],
          operationId: 'receivePaymentWebhook',
          summary: 'Payment provider webhook',
          description:
            'Called by the payment provider, not by clients. The signature is checked over the raw body: `x-staylane-signature` (hex HMAC-SHA256 with PAYMENT_WEBHOOK_SECRET) for the sandbox, `Stripe-Signature` (`t=…,v1=…`, 300 s tolerance) for Stripe, `x-chapa-signature`/`Chapa-Signature` for Chapa (whose successes are also checked with its verify endpoint). A bad or missing signature is 401. Each provider event is applied once; a repeat answers 200 with `duplicate: true`. Events for payments we do not know are acknowledged and ignored. 404 for a provider that is not configured. 503 when the provider must be asked (Chapa verify) and cannot be reached: it will deliver again.',
          security: [],
          params: WebhookParams,
          response: {
            200: WebhookAck,
            ...problemResponses({
              401: ['invalid_signature'],
              404: ['payment_provider_not_found'],
              422: ['invalid_webhook'],
              503: ['payment_provider_unavailable'],
            }),
          },
        },
      },
      async (request) => {
        const body = request.body instanceof RawBody ? request.body.bytes : Buffer.alloc(0);
        const result = await payments.handleWebhook(request.params.provider, body, request.headers);
        return { received: true as const, duplicate: result.duplicate };
      },
    );
  };
  await app.register(webhook);

  // The sandbox's hosted checkout: HTML for a browser, outside the JSON API and its document.
  await app.register(sandboxCheckoutRoutes, { prefix: '/sandbox/checkout', payments });
};
