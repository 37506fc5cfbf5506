import { createChapaProvider } from './chapa.js';
import type { PaymentProvider, PaymentProviderName } from './provider.js';
import { createSandboxProvider } from './sandbox.js';
import { createStripeProvider } from './stripe.js';

export * from './provider.js';
export { createChapaProvider, CHAPA_SIGNATURE_HEADERS } from './chapa.js';
export { createStripeProvider } from './stripe.js';
export {
  createSandboxProvider,
  sandboxEvent,
  signSandboxEvent,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxEventBody,
  type SandboxOutcome,
} from './sandbox.js';
export { hmacSha256Hex, safeEqual, stripeSignatureHeader, verifyStripeSignature } from './signatures.js';

export interface PaymentProvidersOptions {
  /** The provider new checkouts go to. */
  active: PaymentProviderName;
  webhookSecret: string;
  publicUrl: string;
  chapa: { secretKey: string | undefined; apiUrl: string };
  stripe: { secretKey: string | undefined; apiUrl: string };
  nowSeconds: () => number;
  timeoutMs?: number;
}

/**
 * The providers this process can talk to: the active one, and any other whose key is set
 * (so that webhooks and refunds of payments started before a switch still work). The
 * sandbox exists only while it is the active provider.
 */
export function createPaymentProviders(options: PaymentProvidersOptions): Map<PaymentProviderName, PaymentProvider> {
  const providers = new Map<PaymentProviderName, PaymentProvider>();
  const { webhookSecret, timeoutMs } = options;
  if (options.active === 'sandbox') {
    providers.set('sandbox', createSandboxProvider({ webhookSecret, publicUrl: options.publicUrl }));
  }
  if (options.chapa.secretKey) {
    providers.set(
      'chapa',
      createChapaProvider({ ...options.chapa, secretKey: options.chapa.secretKey, webhookSecret, timeoutMs }),
    );
  }
  if (options.stripe.secretKey) {
    providers.set(
      'stripe',
      createStripeProvider({
        ...options.stripe,
        secretKey: options.stripe.secretKey,
        webhookSecret,
        nowSeconds: options.nowSeconds,
        timeoutMs,
      }),
    );
  }
  return providers;
}
export * from './payouts.js';
