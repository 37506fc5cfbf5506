import { hmacSha256Hex } from '../../src/platform/payments/index.js';
import { deliver, startHttpFake, type HttpFake, type RecordedRequest } from './http-fake.js';

/**
 * A local stand-in for Chapa's documented API (developer.chapa.co): initialize, verify and
 * refund with a Bearer secret key, answering the documented envelopes. It keeps the
 * transactions it initialised; `pay` marks one paid and `sendWebhook` posts the signed
 * `charge.success` event to an endpoint.
 */
export interface ChapaFake extends HttpFake {
  transactions: Map<
    string,
    { amount: string; currency: string; status: 'pending' | 'success' | 'failed'; reference: string }
  >;
  refunds: { txRef: string; amount: string | null; reference: string | null }[];
  pay(txRef: string): void;
  sendWebhook(
    endpoint: string,
    txRef: string,
    options?: { event?: string; secret?: string; header?: string },
  ): Promise<{ status: number; body: string }>;
}

export async function startChapaFake(secretKey: string, webhookSecret: string): Promise<ChapaFake> {
  const transactions: ChapaFake['transactions'] = new Map();
  const refunds: ChapaFake['refunds'] = [];
  let counter = 0;

  const route = (req: RecordedRequest) => {
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return { status: 401, body: { message: "Invalid API Key or User doesn't exist", status: 'failed', data: null } };
    }
    const url = new URL(req.path, 'http://fake');
    if (req.method === 'POST' && url.pathname === '/v1/transaction/initialize') {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      const missing = ['amount', 'currency', 'tx_ref'].filter((k) => typeof body[k] !== 'string');
      if (missing.length > 0 || !/^\d+(\.\d{1,2})?$/.test(String(body.amount))) {
        return { status: 400, body: { message: { amount: ['invalid'] }, status: 'failed', data: null } };
      }
      const txRef = body.tx_ref as string;
      if (transactions.has(txRef)) {
        return {
          status: 400,
          body: { message: 'Transaction reference has been used before', status: 'failed', data: null },
        };
      }
      transactions.set(txRef, {
        amount: body.amount as string,
        currency: body.currency as string,
        status: 'pending',
        reference: `APfake${++counter}`,
      });
      return {
        status: 200,
        body: {
          message: 'Hosted Link',
          status: 'success',
          data: { checkout_url: `https://checkout.chapa.co/checkout/payment/${txRef}` },
        },
      };
    }
    const verify = /^\/v1\/transaction\/verify\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && verify) {
      const txRef = decodeURIComponent(verify[1]!);
      const tx = transactions.get(txRef);
      if (!tx)
        return {
          status: 404,
          body: { message: 'Invalid transaction or Transaction not found', status: 'failed', data: null },
        };
      return {
        status: 200,
        body: {
          message: 'Payment details',
          status: 'success',
          data: {
            tx_ref: txRef,
            reference: tx.reference,
            amount: tx.amount,
            currency: tx.currency,
            status: tx.status,
            mode: 'test',
          },
        },
      };
    }
    const refund = /^\/v1\/refund\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && refund) {
      const txRef = decodeURIComponent(refund[1]!);
      const tx = transactions.get(txRef);
      const form = new URLSearchParams(req.body);
      if (!tx || tx.status !== 'success') {
        return {
          status: 400,
          body: { message: 'Transaction not found or not refundable', status: 'failed', data: null },
        };
      }
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return { status: 415, body: {} };
      const reference = form.get('reference');
      if (reference && refunds.some((r) => r.reference === reference)) {
        return { status: 400, body: { message: 'Duplicate refund reference', status: 'failed', data: null } };
      }
      refunds.push({ txRef, amount: form.get('amount'), reference });
      return {
        status: 200,
        body: {
          message: 'Refund processed successfully',
          status: 'success',
          data: { ref_id: `RF${refunds.length}`, amount: form.get('amount') ?? tx.amount, currency: tx.currency },
        },
      };
    }
    return { status: 404, body: { message: 'Not found', status: 'failed', data: null } };
  };

  const fake = await startHttpFake(route);
  return Object.assign(fake, {
    transactions,
    refunds,
    pay(txRef: string) {
      const tx = transactions.get(txRef);
      if (!tx) throw new Error(`no transaction ${txRef}`);
      tx.status = 'success';
    },
    async sendWebhook(
      endpoint: string,
      txRef: string,
      options: { event?: string; secret?: string; header?: string } = {},
    ) {
      const tx = transactions.get(txRef);
      const event = options.event ?? 'charge.success';
      const body = JSON.stringify({
        event,
        type: 'API',
        tx_ref: txRef,
        reference: tx?.reference,
        amount: tx?.amount,
        currency: tx?.currency,
        status: event === 'charge.success' ? 'success' : 'failed',
      });
      const signature = hmacSha256Hex(options.secret ?? webhookSecret, body);
      return deliver(endpoint, body, { [options.header ?? 'x-chapa-signature']: signature });
    },
  });
}
