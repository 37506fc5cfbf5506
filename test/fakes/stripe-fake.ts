import { randomBytes } from 'node:crypto';
import { stripeSignatureHeader } from '../../src/platform/payments/index.js';
import { deliver, startHttpFake, type HttpFake, type RecordedRequest } from './http-fake.js';
import { createConnectFake, type StripeConnectFake } from './stripe-connect-fake.js';

interface FakeSession {
  id: string;
  object: 'checkout.session';
  url: string;
  mode: string;
  client_reference_id: string | null;
  amount_total: number;
  currency: string;
  payment_status: 'unpaid' | 'paid';
  status: 'open' | 'complete' | 'expired';
  payment_intent: string | null;
  metadata: Record<string, string>;
  /** `payment_intent_data[capture_method]`: `manual` authorizes only. */
  capture_method: 'automatic' | 'manual';
}

/** A PaymentIntent (https://docs.stripe.com/api/payment_intents/object), the fields we read. */
interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  capture_method: 'automatic' | 'manual';
  status: 'requires_capture' | 'succeeded' | 'canceled';
  metadata: Record<string, string>;
}

/**
 * A local stand-in for the parts of Stripe's API we use: Checkout Sessions and Refunds,
 * form-encoded with a Bearer key, replaying a repeated Idempotency-Key. `complete` pays a
 * session; `sendEvent` posts a signed event (optionally with a stale timestamp).
 */
export interface StripeFake extends HttpFake {
  /** Connect: connected accounts and transfers to them. */
  connect: StripeConnectFake;
  sessions: Map<string, FakeSession>;
  intents: Map<string, FakeIntent>;
  refunds: { id: string; payment_intent: string; amount: number }[];
  /** Captures and cancels of payment intents that moved money (replays of an Idempotency-Key not counted). */
  settlements: { intent: string; action: 'capture' | 'cancel' }[];
  /** Pays the session; a manual-capture one is only authorized (unpaid, its intent requires_capture). */
  complete(sessionId: string): FakeSession;
  /** Posts a signed event about a payment intent (payment_intent.amount_capturable_updated, .succeeded, .canceled). */
  sendIntentEvent(
    endpoint: string,
    type: string,
    intentId: string,
    options?: { eventId?: string },
  ): Promise<{ status: number; body: string }>;
  sendEvent(
    endpoint: string,
    type: string,
    sessionId: string,
    options?: { eventId?: string; secret?: string; timestamp?: number },
  ): Promise<{ status: number; body: string }>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export async function startStripeFake(secretKey: string, webhookSecret: string): Promise<StripeFake> {
  const sessions = new Map<string, FakeSession>();
  const intents = new Map<string, FakeIntent>();
  // `payment_intent_data[metadata]`: the metadata of the intent a session creates when completed.
  const intentMetadata = new Map<string, Record<string, string>>();
  const settlements: StripeFake['settlements'] = [];
  const refunds: StripeFake['refunds'] = [];
  const replays = new Map<string, unknown>();
  const connect = createConnectFake(id);
  const error = (status: number, message: string) => ({
    status,
    body: { error: { type: 'invalid_request_error', message } },
  });

  const route = (req: RecordedRequest) => {
    if (req.headers.authorization !== `Bearer ${secretKey}`) return error(401, 'Invalid API Key provided.');
    if (req.method === 'GET') return connect.get(req.path) ?? error(404, 'Unrecognized request URL.');
    if (req.method !== 'POST') return error(404, 'Unrecognized request URL.');
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return error(400, 'Invalid request.');
    const key = req.headers['idempotency-key'];
    const replayKey = typeof key === 'string' ? `${req.path} ${key}` : undefined;
    if (replayKey && replays.has(replayKey)) return { status: 200, body: replays.get(replayKey) };
    const form = new URLSearchParams(req.body);
    let body: unknown;
    if (req.path === '/v1/checkout/sessions') {
      const amount = Number(form.get('line_items[0][price_data][unit_amount]'));
      if (form.get('mode') !== 'payment' || !Number.isInteger(amount) || amount < 1) {
        return error(400, 'Missing required param: line_items[0][price_data][unit_amount].');
      }
      const session: FakeSession = {
        id: id('cs_test'),
        object: 'checkout.session',
        url: '',
        mode: 'payment',
        client_reference_id: form.get('client_reference_id'),
        amount_total: amount,
        currency: form.get('line_items[0][price_data][currency]') ?? 'usd',
        payment_status: 'unpaid',
        status: 'open',
        payment_intent: null,
        metadata: { reference: form.get('metadata[reference]') ?? '' },
        capture_method: form.get('payment_intent_data[capture_method]') === 'manual' ? 'manual' : 'automatic',
      };
      intentMetadata.set(session.id, { reference: form.get('payment_intent_data[metadata][reference]') ?? '' });
      session.url = `https://checkout.stripe.com/c/pay/${session.id}`;
      sessions.set(session.id, session);
      body = session;
    } else if (/^\/v1\/payment_intents\/[^/]+\/(capture|cancel)$/.test(req.path)) {
      // https://docs.stripe.com/api/payment_intents/capture and …/cancel
      const [, , , intentId, action] = req.path.split('/') as [string, string, string, string, 'capture' | 'cancel'];
      const intent = intents.get(decodeURIComponent(intentId));
      if (!intent) return error(404, `No such payment_intent: '${intentId}'`);
      if (intent.status !== 'requires_capture') {
        return error(
          400,
          `This PaymentIntent could not be ${action === 'capture' ? 'captured' : 'canceled'} because it has a status of ${intent.status}.`,
        );
      }
      if (action === 'capture') {
        const amount = Number(form.get('amount_to_capture') ?? intent.amount);
        if (!Number.isInteger(amount) || amount < 1 || amount > intent.amount_capturable) {
          return error(400, 'The amount to capture is greater than the amount capturable.');
        }
        Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
      } else {
        Object.assign(intent, { status: 'canceled', amount_capturable: 0 });
      }
      settlements.push({ intent: intent.id, action });
      body = { ...intent };
    } else if (req.path === '/v1/refunds') {
      const intent = form.get('payment_intent');
      const session = [...sessions.values()].find((s) => s.payment_intent === intent);
      const amount = Number(form.get('amount') ?? session?.amount_total);
      if (!session) return error(404, `No such payment_intent: '${intent}'`);
      const held = intents.get(intent!);
      if (held && held.status !== 'succeeded') return error(400, 'This PaymentIntent has not been captured.');
      const refunded = refunds.filter((r) => r.payment_intent === intent).reduce((sum, r) => sum + r.amount, 0);
      if (amount + refunded > session.amount_total)
        return error(400, 'Refund amount is greater than unrefunded amount.');
      const refund = { id: id('re'), object: 'refund', payment_intent: intent!, amount, status: 'succeeded' };
      refunds.push(refund);
      body = refund;
    } else {
      const reply = connect.post(req.path, form) ?? error(404, 'Unrecognized request URL.');
      if (reply.status !== 200) return reply;
      body = reply.body;
    }
    if (replayKey) replays.set(replayKey, body);
    return { status: 200, body };
  };

  const fake = await startHttpFake(route);
  return Object.assign(fake, {
    connect: connect.state,
    sessions,
    intents,
    refunds,
    settlements,
    complete(sessionId: string) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      const manual = session.capture_method === 'manual';
      const intentId = session.payment_intent ?? id('pi');
      Object.assign(session, {
        // With manual capture the session completes unpaid: the card is only authorized.
        payment_status: manual ? 'unpaid' : 'paid',
        status: 'complete',
        payment_intent: intentId,
      });
      intents.set(intentId, {
        id: intentId,
        object: 'payment_intent',
        amount: session.amount_total,
        amount_capturable: manual ? session.amount_total : 0,
        amount_received: manual ? 0 : session.amount_total,
        currency: session.currency,
        capture_method: session.capture_method,
        status: manual ? 'requires_capture' : 'succeeded',
        metadata: intentMetadata.get(sessionId) ?? {},
      });
      return session;
    },
    async sendIntentEvent(endpoint: string, type: string, intentId: string, options: { eventId?: string } = {}) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`no payment intent ${intentId}`);
      const body = JSON.stringify({
        id: options.eventId ?? id('evt'),
        object: 'event',
        type,
        data: { object: intent },
      });
      return deliver(endpoint, body, {
        'stripe-signature': stripeSignatureHeader(webhookSecret, body, Math.floor(Date.now() / 1000)),
      });
    },
    async sendEvent(
      endpoint: string,
      type: string,
      sessionId: string,
      options: { eventId?: string; secret?: string; timestamp?: number } = {},
    ) {
      const body = JSON.stringify({
        id: options.eventId ?? id('evt'),
        object: 'event',
        type,
        data: { object: sessions.get(sessionId) ?? { id: sessionId, object: 'checkout.session' } },
      });
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      return deliver(endpoint, body, {
        'stripe-signature': stripeSignatureHeader(options.secret ?? webhookSecret, body, timestamp),
      });
    },
  });
}
