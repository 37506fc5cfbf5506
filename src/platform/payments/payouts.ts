import { callProvider, providerUnavailable } from './provider.js';

/**
 * Money to hosts: one interface over the providers that can pay a host out. The sandbox
 * simulates (an account is ready at once; a transfer succeeds unless the account was made
 * to fail); Stripe uses Connect: an Express account per host, an onboarding link, and a
 * transfer to the connected account per payout. Adapters hold no business rules.
 */

export const PAYOUT_PROVIDER_NAMES = ['sandbox', 'stripe'] as const;
export type PayoutProviderName = (typeof PAYOUT_PROVIDER_NAMES)[number];

export interface PayoutAccountRequest {
  hostId: string;
  email: string;
  /** Sandbox only: transfers to this account fail (tests of a failed payout). */
  simulateFailure?: boolean;
}

export interface OnboardingRequest {
  accountId: string;
  /** Where the provider sends the host back once done, and where to restart an expired link. */
  returnUrl: string;
  refreshUrl: string;
}

export interface TransferRequest {
  accountId: string;
  /** Minor units, > 0. */
  amount: number;
  currency: string;
  /** Stable per payout: a retried call must not pay twice. */
  idempotencyKey: string;
  description: string;
}

/** `paid`: the money left; `failed`: the provider refused it for good (not a transient outage, which throws). */
export type TransferResult = { status: 'paid'; reference: string } | { status: 'failed'; reason: string };

export interface PayoutProvider {
  readonly name: PayoutProviderName;
  createAccount(request: PayoutAccountRequest): Promise<{ accountId: string }>;
  /** A link the host follows to finish onboarding, and whether payouts can go to the account already. */
  onboardingLink(request: OnboardingRequest): Promise<{ url: string; ready: boolean }>;
  /** Whether the account can receive payouts now. */
  accountReady(accountId: string): Promise<boolean>;
  /** Throws an `unavailable` AppError when the provider could not be reached (retry later, same key). */
  transfer(request: TransferRequest): Promise<TransferResult>;
}

const SANDBOX_FAILING = ':fail';

export function createSandboxPayouts(options: { publicUrl: string }): PayoutProvider {
  return {
    name: 'sandbox',
    createAccount: async (request) => ({
      accountId: `acct_sandbox_${request.hostId}${request.simulateFailure ? SANDBOX_FAILING : ''}`,
    }),
    onboardingLink: async (request) => ({
      url: `${options.publicUrl}/sandbox/payouts/${encodeURIComponent(request.accountId)}`,
      ready: true,
    }),
    accountReady: async () => true,
    transfer: async (request) =>
      request.accountId.endsWith(SANDBOX_FAILING)
        ? { status: 'failed', reason: 'The sandbox refused this payout (an account made to fail).' }
        : { status: 'paid', reference: `tr_sandbox_${request.idempotencyKey}` },
  };
}

export interface StripePayoutsOptions {
  secretKey: string;
  apiUrl: string;
  timeoutMs?: number;
}

/**
 * Stripe Connect (https://docs.stripe.com/connect): `POST /v1/accounts` (Express),
 * `POST /v1/account_links` (onboarding), `GET /v1/accounts/{id}` (payouts_enabled) and
 * `POST /v1/transfers` with an Idempotency-Key. A transfer Stripe refuses (4xx: the
 * account cannot receive, insufficient platform balance) is a failed payout; a network
 * error or a 5xx is an outage, retried later under the same key.
 */
export function createStripePayouts(options: StripePayoutsOptions): PayoutProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = (idempotencyKey?: string): Record<string, string> => ({
    authorization: `Bearer ${options.secretKey}`,
    'content-type': 'application/x-www-form-urlencoded',
    ...(idempotencyKey && { 'idempotency-key': idempotencyKey }),
  });
  const post = <T>(path: string, form: Record<string, string>, idempotencyKey: string) =>
    callProvider<T>({
      provider: 'stripe',
      method: 'POST',
      url: `${options.apiUrl}${path}`,
      headers: headers(idempotencyKey),
      body: new URLSearchParams(form).toString(),
      timeoutMs,
    });

  async function accountReady(accountId: string): Promise<boolean> {
    const account = await callProvider<{ payouts_enabled?: boolean }>({
      provider: 'stripe',
      method: 'GET',
      url: `${options.apiUrl}/v1/accounts/${encodeURIComponent(accountId)}`,
      headers: headers(),
      timeoutMs,
    });
    return account.payouts_enabled === true;
  }

  return {
    name: 'stripe',
    accountReady,
    async createAccount(request) {
      const account = await post<{ id?: string }>(
        '/v1/accounts',
        {
          type: 'express',
          email: request.email,
          'capabilities[transfers][requested]': 'true',
          'metadata[host_id]': request.hostId,
        },
        `payout-account:${request.hostId}`,
      );
      if (!account.id) throw providerUnavailable('stripe', new Error('account without id'));
      return { accountId: account.id };
    },
    async onboardingLink(request) {
      const link = await post<{ url?: string }>(
        '/v1/account_links',
        {
          account: request.accountId,
          type: 'account_onboarding',
          return_url: request.returnUrl,
          refresh_url: request.refreshUrl,
        },
        `account-link:${request.accountId}:${Date.now()}`,
      );
      if (!link.url) throw providerUnavailable('stripe', new Error('account link without url'));
      return { url: link.url, ready: await accountReady(request.accountId) };
    },
    async transfer(request) {
      let response: Response;
      try {
        response = await fetch(`${options.apiUrl}/v1/transfers`, {
          method: 'POST',
          headers: headers(request.idempotencyKey),
          body: new URLSearchParams({
            amount: String(request.amount),
            currency: request.currency.toLowerCase(),
            destination: request.accountId,
            description: request.description,
            'metadata[payout_id]': request.idempotencyKey,
          }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        throw providerUnavailable('stripe', e);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { code?: string } };
      if (response.ok && body.id) return { status: 'paid', reference: body.id };
      // 429 and 5xx are outages: retried under the same key. Other refusals are final.
      if (response.status >= 500 || response.status === 429 || response.ok) {
        throw providerUnavailable('stripe', new Error(`POST /v1/transfers answered ${response.status}`));
      }
      return { status: 'failed', reason: `Stripe refused the transfer (${body.error?.code ?? response.status}).` };
    },
  };
}

export function createPayoutProvider(options: {
  active: string;
  publicUrl: string;
  stripe: { secretKey: string | undefined; apiUrl: string };
}): PayoutProvider | undefined {
  if (options.active === 'sandbox') return createSandboxPayouts({ publicUrl: options.publicUrl });
  if (options.active === 'stripe' && options.stripe.secretKey) {
    return createStripePayouts({ secretKey: options.stripe.secretKey, apiUrl: options.stripe.apiUrl });
  }
  return undefined;
}
