import type { FakeReply } from './http-fake.js';

/** A connected account (https://docs.stripe.com/api/accounts/object), the fields we read. */
export interface FakeAccount {
  id: string;
  object: 'account';
  type: string;
  email: string | null;
  payouts_enabled: boolean;
  details_submitted: boolean;
  metadata: Record<string, string>;
}

/** A transfer to a connected account (https://docs.stripe.com/api/transfers/object). */
export interface FakeTransfer {
  id: string;
  object: 'transfer';
  amount: number;
  currency: string;
  destination: string;
  metadata: Record<string, string>;
}

/**
 * The Connect part of the Stripe fake: Express accounts, onboarding links, and transfers
 * (replays of an Idempotency-Key are answered by the fake's shared replay map, so
 * `transfers` holds each transfer that moved money once).
 */
export interface StripeConnectFake {
  accounts: Map<string, FakeAccount>;
  transfers: FakeTransfer[];
  /** The host finished onboarding: payouts can go to the account. */
  completeOnboarding(accountId: string): void;
  /** Transfers to the account are refused (400 account_invalid), as Stripe does for a closed account. */
  refuseTransfersTo(accountId: string): void;
}

const error = (status: number, message: string, code?: string): FakeReply => ({
  status,
  body: { error: { type: 'invalid_request_error', message, ...(code && { code }) } },
});

export function createConnectFake(id: (prefix: string) => string) {
  const accounts = new Map<string, FakeAccount>();
  const transfers: FakeTransfer[] = [];
  const refused = new Set<string>();
  const state: StripeConnectFake = {
    accounts,
    transfers,
    completeOnboarding(accountId) {
      const account = accounts.get(accountId);
      if (!account) throw new Error(`no account ${accountId}`);
      Object.assign(account, { payouts_enabled: true, details_submitted: true });
    },
    refuseTransfersTo(accountId) {
      refused.add(accountId);
    },
  };

  /** GET /v1/accounts/{id}; undefined for any other path. */
  function get(path: string): FakeReply | undefined {
    const match = /^\/v1\/accounts\/([^/]+)$/.exec(path);
    if (!match) return undefined;
    const account = accounts.get(decodeURIComponent(match[1]!));
    return account ? { status: 200, body: account } : error(404, `No such account: '${match[1]}'`);
  }

  /** POST /v1/accounts, /v1/account_links, /v1/transfers; undefined for any other path. */
  function post(path: string, form: URLSearchParams): FakeReply | undefined {
    if (path === '/v1/accounts') {
      const account: FakeAccount = {
        id: id('acct'),
        object: 'account',
        type: form.get('type') ?? 'express',
        email: form.get('email'),
        payouts_enabled: false,
        details_submitted: false,
        metadata: { host_id: form.get('metadata[host_id]') ?? '' },
      };
      accounts.set(account.id, account);
      return { status: 200, body: account };
    }
    if (path === '/v1/account_links') {
      const account = form.get('account') ?? '';
      if (!accounts.has(account)) return error(400, `No such account: '${account}'`);
      if (!form.get('return_url') || !form.get('refresh_url')) return error(400, 'Missing required param: return_url.');
      return {
        status: 200,
        body: {
          object: 'account_link',
          url: `https://connect.stripe.com/setup/e/${account}/${id('link')}`,
          expires_at: 0,
        },
      };
    }
    if (path === '/v1/transfers') {
      const destination = form.get('destination') ?? '';
      const amount = Number(form.get('amount'));
      if (!accounts.has(destination)) return error(400, `No such destination: '${destination}'`, 'resource_missing');
      if (!Number.isInteger(amount) || amount < 1)
        return error(400, 'Invalid positive integer', 'parameter_invalid_integer');
      if (refused.has(destination))
        return error(400, 'The destination account cannot receive transfers.', 'account_invalid');
      const transfer: FakeTransfer = {
        id: id('tr'),
        object: 'transfer',
        amount,
        currency: form.get('currency') ?? 'usd',
        destination,
        metadata: { payout_id: form.get('metadata[payout_id]') ?? '' },
      };
      transfers.push(transfer);
      return { status: 200, body: transfer };
    }
    return undefined;
  }

  return { state, get, post };
}
