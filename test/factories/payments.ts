import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { sandboxEvent, signSandboxEvent } from '../../src/platform/payments/index.js';

/** The sandbox provider's signed webhook saying the payment succeeded, delivered as the provider would. */
export async function sandboxPaymentSucceeded(app: FastifyInstance, secret: string, reference: string): Promise<void> {
  const { body, headers } = signSandboxEvent(secret, sandboxEvent(reference, 'succeeded'));
  const res = await app.inject({ method: 'POST', url: '/v1/webhooks/payments/sandbox', headers, payload: body });
  expect(res.statusCode).toBe(200);
}
