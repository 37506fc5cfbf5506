import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChapaFake, type ChapaFake } from '#test/fakes/chapa-fake.js';
import { startStripeFake, type StripeFake } from '#test/fakes/stripe-fake.js';
import { type AppError, isAppError } from '../../errors.js';
import {
  createChapaProvider,
  createSandboxProvider,
  createStripeProvider,
  fromMajorUnits,
  minorUnitDigits,
  sandboxEvent,
  signSandboxEvent,
  toMajorUnits,
  type PaymentProvider,
  type WebhookEvent,
} from '../index.js';

const SECRET = 'whsec_test_0123456789abcdef';
const checkout = (reference: string, amount = 123_45, currency = 'ETB') => ({
  reference,
  amount,
  currency,
  description: 'Sunny flat <by> the river, 3 nights',
  customerEmail: 'guest@example.com',
  customerName: 'Ada Lovelace',
  returnUrl: 'http://localhost:3000/return',
});

/** A receiver that hands each delivery's raw body and headers to `provider.parseWebhook`. */
async function webhookReceiver(provider: () => PaymentProvider) {
  const events: WebhookEvent[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      provider()
        .parseWebhook(Buffer.concat(chunks), req.headers)
        .then((event) => {
          events.push(event);
          res.writeHead(200).end();
        })
        .catch((e: unknown) => res.writeHead(isAppError(e) && e.kind === 'unauthorized' ? 401 : 500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return { url, events, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isAppError(e)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describe('minor units', () => {
  it('takes the exponent from ICU and converts exactly', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
    expect(toMajorUnits(12_345, 'EUR')).toBe('123.45');
    expect(toMajorUnits(5, 'USD')).toBe('0.05');
    expect(toMajorUnits(500, 'JPY')).toBe('500');
    expect(toMajorUnits(1_234, 'KWD')).toBe('1.234');
    expect(fromMajorUnits('123.45', 'EUR')).toBe(12_345);
    expect(fromMajorUnits('10', 'ETB')).toBe(1_000);
  });
});

describe('sandbox adapter', () => {
  const sandbox = createSandboxProvider({ webhookSecret: SECRET, publicUrl: 'http://localhost:3000' });

  it('checks out on our own page and accepts only its own signature', async () => {
    const session = await sandbox.createCheckout(checkout('pay-1'));
    expect(session).toEqual({
      providerReference: 'pay-1',
      checkoutUrl: 'http://localhost:3000/sandbox/checkout/pay-1',
    });
    const signed = signSandboxEvent(SECRET, sandboxEvent('pay-1', 'succeeded', 'evt_1'));
    await expect(sandbox.parseWebhook(Buffer.from(signed.body), signed.headers)).resolves.toEqual({
      eventId: 'evt_1',
      type: 'payment.succeeded',
      kind: 'succeeded',
      providerReference: 'pay-1',
    });
    const forged = signSandboxEvent('another-secret-0123456789', sandboxEvent('pay-1', 'succeeded'));
    expect((await rejection(sandbox.parseWebhook(Buffer.from(forged.body), forged.headers))).kind).toBe('unauthorized');
    // A signed body altered afterwards no longer matches.
    const altered = Buffer.from(signed.body.replace('succeeded', 'failed'));
    expect((await rejection(sandbox.parseWebhook(altered, signed.headers))).kind).toBe('unauthorized');
    expect((await rejection(sandbox.parseWebhook(Buffer.from(signed.body), {}))).kind).toBe('unauthorized');
  });
});

describe('Chapa adapter against a local fake', () => {
  let fake: ChapaFake;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let chapa: PaymentProvider;

  beforeAll(async () => {
    fake = await startChapaFake('CHASECK_TEST-secret', SECRET);
    chapa = createChapaProvider({ secretKey: 'CHASECK_TEST-secret', webhookSecret: SECRET, apiUrl: fake.url });
    receiver = await webhookReceiver(() => chapa);
  });
  afterAll(async () => {
    await receiver?.close();
    await fake?.close();
  });

  it('initialises a transaction with our reference and the amount in major units', async () => {
    const session = await chapa.createCheckout(checkout('chapa-ref-1', 123_45, 'ETB'));
    expect(session).toEqual({
      providerReference: 'chapa-ref-1',
      checkoutUrl: 'https://checkout.chapa.co/checkout/payment/chapa-ref-1',
    });
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer CHASECK_TEST-secret');
    const body = JSON.parse(sent.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      amount: '123.45',
      currency: 'ETB',
      tx_ref: 'chapa-ref-1',
      email: 'guest@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      return_url: 'http://localhost:3000/return',
    });
  });

  it('trusts a signed success only once the verify endpoint confirms it', async () => {
    await chapa.createCheckout(checkout('chapa-ref-2'));
    // Signed, but the transaction is still pending at Chapa: not a success.
    expect((await fake.sendWebhook(receiver.url, 'chapa-ref-2')).status).toBe(200);
    expect(receiver.events.at(-1)).toMatchObject({ kind: 'ignored', providerReference: 'chapa-ref-2' });
    expect(fake.requests.at(-1)!.path).toBe('/v1/transaction/verify/chapa-ref-2');

    fake.pay('chapa-ref-2');
    expect((await fake.sendWebhook(receiver.url, 'chapa-ref-2', { header: 'chapa-signature' })).status).toBe(200);
    expect(receiver.events.at(-1)).toMatchObject({
      eventId: 'charge.success:chapa-ref-2',
      kind: 'succeeded',
      providerReference: 'chapa-ref-2',
    });
  });

  it('refuses a webhook with a wrong or missing signature without calling Chapa', async () => {
    const before = fake.requests.length;
    expect((await fake.sendWebhook(receiver.url, 'chapa-ref-2', { secret: 'not-the-secret-hash' })).status).toBe(401);
    const unsigned = await fetch(receiver.url, { method: 'POST', body: '{"event":"charge.success","tx_ref":"x"}' });
    expect(unsigned.status).toBe(401);
    expect(fake.requests.length).toBe(before);
  });

  it('refunds through the refund endpoint, form-encoded, with our key as its reference', async () => {
    await chapa.createCheckout(checkout('chapa-ref-3', 50_00));
    fake.pay('chapa-ref-3');
    const { refundId } = await chapa.refund({
      providerReference: 'chapa-ref-3',
      chargeId: null,
      amount: 25_00,
      currency: 'ETB',
      idempotencyKey: 'refund-1',
    });
    expect(refundId).toMatch(/^RF/);
    expect(fake.refunds.at(-1)).toEqual({ txRef: 'chapa-ref-3', amount: '25.00', reference: 'refund-1' });
  });

  it('answers unavailable when Chapa fails, with no key in the message', async () => {
    fake.failNext(1);
    const e = await rejection(chapa.createCheckout(checkout('chapa-ref-4')));
    expect(e.kind).toBe('unavailable');
    expect(e.message).not.toContain('CHASECK');
    const wrongKey = createChapaProvider({ secretKey: 'wrong', webhookSecret: SECRET, apiUrl: fake.url });
    expect((await rejection(wrongKey.createCheckout(checkout('chapa-ref-5')))).kind).toBe('unavailable');
    const down = createChapaProvider({
      secretKey: 'k',
      webhookSecret: SECRET,
      apiUrl: 'http://127.0.0.1:9',
      timeoutMs: 500,
    });
    expect((await rejection(down.createCheckout(checkout('chapa-ref-6')))).kind).toBe('unavailable');
  });
});

describe('Stripe adapter against a local fake', () => {
  let fake: StripeFake;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let stripe: PaymentProvider;
  let now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    fake = await startStripeFake('sk_test_123', SECRET);
    stripe = createStripeProvider({
      secretKey: 'sk_test_123',
      webhookSecret: SECRET,
      apiUrl: fake.url,
      nowSeconds: () => now(),
    });
    receiver = await webhookReceiver(() => stripe);
  });
  afterAll(async () => {
    await receiver?.close();
    await fake?.close();
  });

  it('creates a Checkout Session in minor units with an idempotency key', async () => {
    const session = await stripe.createCheckout(checkout('stripe-ref-1', 123_45, 'EUR'));
    expect(session.providerReference).toMatch(/^cs_test_/);
    expect(session.checkoutUrl).toBe(`https://checkout.stripe.com/c/pay/${session.providerReference}`);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk_test_123');
    expect(sent.headers['idempotency-key']).toBe('checkout-stripe-ref-1');
    const form = new URLSearchParams(sent.body);
    expect(form.get('mode')).toBe('payment');
    expect(form.get('client_reference_id')).toBe('stripe-ref-1');
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('12345');
    expect(form.get('line_items[0][price_data][currency]')).toBe('eur');
    expect(form.get('metadata[reference]')).toBe('stripe-ref-1');
    // The same attempt twice is one session.
    expect((await stripe.createCheckout(checkout('stripe-ref-1', 123_45, 'EUR'))).providerReference).toBe(
      session.providerReference,
    );
  });

  it('verifies Stripe-Signature: valid, wrong secret, stale timestamp', async () => {
    const { providerReference } = await stripe.createCheckout(checkout('stripe-ref-2', 10_00, 'EUR'));
    const paid = fake.complete(providerReference);
    const ok = await fake.sendEvent(receiver.url, 'checkout.session.completed', providerReference, {
      eventId: 'evt_ok',
    });
    expect(ok.status).toBe(200);
    expect(receiver.events.at(-1)).toEqual({
      eventId: 'evt_ok',
      type: 'checkout.session.completed',
      kind: 'succeeded',
      providerReference,
      chargeId: paid.payment_intent,
    });
    const forged = await fake.sendEvent(receiver.url, 'checkout.session.completed', providerReference, {
      secret: 'whsec_someone_else_000000',
    });
    expect(forged.status).toBe(401);
    const stale = await fake.sendEvent(receiver.url, 'checkout.session.completed', providerReference, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(receiver.url, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
  });

  it('maps expiry and async failure to failed, unpaid completion and other events to ignored', async () => {
    const { providerReference } = await stripe.createCheckout(checkout('stripe-ref-3', 10_00, 'EUR'));
    await fake.sendEvent(receiver.url, 'checkout.session.completed', providerReference);
    expect(receiver.events.at(-1)!.kind).toBe('ignored');
    await fake.sendEvent(receiver.url, 'checkout.session.expired', providerReference);
    expect(receiver.events.at(-1)).toMatchObject({ kind: 'failed', providerReference });
    await fake.sendEvent(receiver.url, 'checkout.session.async_payment_failed', providerReference);
    expect(receiver.events.at(-1)!.kind).toBe('failed');
    await fake.sendEvent(receiver.url, 'customer.created', providerReference);
    expect(receiver.events.at(-1)!.kind).toBe('ignored');
  });

  it('refunds against the payment intent, in minor units, idempotently', async () => {
    const { providerReference } = await stripe.createCheckout(checkout('stripe-ref-4', 80_00, 'EUR'));
    const intent = fake.complete(providerReference).payment_intent!;
    const request = { providerReference, chargeId: intent, amount: 30_00, currency: 'EUR', idempotencyKey: 'r-1' };
    const first = await stripe.refund(request);
    const again = await stripe.refund(request);
    expect(again.refundId).toBe(first.refundId);
    expect(fake.refunds.filter((r) => r.payment_intent === intent)).toEqual([
      expect.objectContaining({ amount: 30_00, payment_intent: intent }),
    ]);
    expect(fake.requests.at(-1)!.headers['idempotency-key']).toBe('refund-r-1');
    // More than what is left is Stripe's refusal: unavailable to us, the refund stays to retry.
    const e = await rejection(stripe.refund({ ...request, amount: 60_00, idempotencyKey: 'r-2' }));
    expect(e.kind).toBe('unavailable');
  });

  it('keeps the tolerance relative to its clock', async () => {
    const { providerReference } = await stripe.createCheckout(checkout('stripe-ref-5', 10_00, 'EUR'));
    const realNow = now;
    now = () => Math.floor(Date.now() / 1000) + 3600;
    try {
      expect((await fake.sendEvent(receiver.url, 'checkout.session.expired', providerReference)).status).toBe(401);
    } finally {
      now = realNow;
    }
  });
});
