import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { optionalString, url } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The payments module's environment variables: the provider, its keys and the webhook secret. */
export const paymentsSettings = defineSettings({
  env: z.object({
    PAYMENT_PROVIDER: z
      .enum(['sandbox', 'chapa', 'stripe'])
      .default('sandbox')
      .describe('Payment provider: sandbox | chapa | stripe'),
    PAYMENT_WEBHOOK_SECRET: optionalString
      .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' })
      .describe("Secret that verifies the provider's webhook calls (>= 16 chars; required in production)"),
    CHAPA_SECRET_KEY: optionalString.describe('Chapa secret key (PAYMENT_PROVIDER=chapa)'),
    STRIPE_SECRET_KEY: optionalString.describe('Stripe secret key (PAYMENT_PROVIDER=stripe)'),
    /** Base URLs of the providers' APIs: their public ones unless a test points them at a fake. */
    CHAPA_API_URL: url(['http:', 'https:']).describe("Base URL of Chapa's API (default https://api.chapa.co)"),
    STRIPE_API_URL: url(['http:', 'https:']).describe("Base URL of Stripe's API (default https://api.stripe.com)"),
  }),
  check: (env, platform, report) => {
    if (env.PAYMENT_PROVIDER === 'chapa' && !env.CHAPA_SECRET_KEY) {
      report('CHAPA_SECRET_KEY', 'is required when PAYMENT_PROVIDER=chapa');
    }
    if (env.PAYMENT_PROVIDER === 'stripe' && !env.STRIPE_SECRET_KEY) {
      report('STRIPE_SECRET_KEY', 'is required when PAYMENT_PROVIDER=stripe');
    }
    // Webhooks may reach another process than the one that started the checkout.
    if (platform.isProduction && !env.PAYMENT_WEBHOOK_SECRET) {
      report('PAYMENT_WEBHOOK_SECRET', 'is required when NODE_ENV=production');
    }
  },
  read: (env) => ({
    provider: env.PAYMENT_PROVIDER,
    /** Outside production a missing secret is made up per process: the sandbox signs its own webhooks. */
    webhookSecret: env.PAYMENT_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
    chapa: {
      secretKey: env.CHAPA_SECRET_KEY,
      apiUrl: (env.CHAPA_API_URL ?? 'https://api.chapa.co').replace(/\/+$/, ''),
    },
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY,
      apiUrl: (env.STRIPE_API_URL ?? 'https://api.stripe.com').replace(/\/+$/, ''),
    },
  }),
});

export type PaymentsSettings = ReturnType<typeof paymentsSettings.read>;
