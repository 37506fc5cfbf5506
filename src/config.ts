import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * The process configuration, read once from the environment. Nothing else in the code
 * reads `process.env`: everything below reaches the code as factory arguments.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(3000, 0, 65535),
    /** `staylane worker` serves /healthz, /readyz and /metrics on this port (bound to HOST). */
    WORKER_PORT: int(3001, 0, 65535),
    HOST: optionalString,
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    REDIS_URL: url(['redis:', 'rediss:']),
    // One Redis can serve several deployments (or test runs) when each has its own prefix.
    REDIS_KEY_PREFIX: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1-64 letters, digits or _ . : -' })
      .default('staylane:'),
    /** How long a worker's claim on a job lasts; a dead worker's jobs run elsewhere after it. */
    JOB_LEASE_SECONDS: int(300, 1, 24 * 60 * 60),
    /** A job handed to the queue this long ago and not finished is handed over again. */
    JOB_REQUEUE_AFTER_SECONDS: int(600, 1, 7 * 24 * 60 * 60),
    PUBLIC_URL: url(['http:', 'https:']),
    SMTP_URL: url(['smtp:', 'smtps:']),
    // An address, optionally with a display name: `Staylane <no-reply@example.com>`.
    MAIL_FROM: optionalString.refine(
      (v) => v === undefined || (v.length <= 254 && /^([^\r\n<>"]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(v)),
      { message: 'must be an e-mail address, optionally as "Name <address>"' },
    ),
    JWT_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'must be at least 32 characters',
    }),
    CORS_ORIGINS: optionalString,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RATE_LIMIT_PER_MINUTE: int(300, 1, 1_000_000),
    AUTH_RATE_LIMIT_PER_MINUTE: int(30, 1, 1_000_000),
    METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    TRUST_PROXY: optionalString.refine((v) => v === undefined || /^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/.test(v), {
      message: 'must be true, false, a hop count or a comma list of addresses/CIDRs',
    }),
    SERVICE_FEE_PERCENT: int(12, 0, 50),
    BOOKING_HOLD_MINUTES: int(15, 1, 24 * 60),
    PAYMENT_PROVIDER: z.enum(['sandbox', 'chapa', 'stripe']).default('sandbox'),
    PAYMENT_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    CHAPA_SECRET_KEY: optionalString,
    STRIPE_SECRET_KEY: optionalString,
    /** Base URLs of the providers' APIs: their public ones unless a test points them at a fake. */
    CHAPA_API_URL: url(['http:', 'https:']),
    STRIPE_API_URL: url(['http:', 'https:']),
    ADMIN_EMAIL: optionalString.pipe(z.email().optional()),
    ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 10, {
      message: 'must be at least 10 characters',
    }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.PAYMENT_PROVIDER === 'chapa' && !env.CHAPA_SECRET_KEY) {
      ctx.addIssue({ code: 'custom', path: ['CHAPA_SECRET_KEY'], message: 'is required when PAYMENT_PROVIDER=chapa' });
    }
    if (env.PAYMENT_PROVIDER === 'stripe' && !env.STRIPE_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_SECRET_KEY'],
        message: 'is required when PAYMENT_PROVIDER=stripe',
      });
    }
    // Webhooks may reach another process than the one that started the checkout.
    if (env.NODE_ENV === 'production' && !env.PAYMENT_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYMENT_WEBHOOK_SECRET'],
        message: 'is required when NODE_ENV=production',
      });
    }
    if (env.JOB_REQUEUE_AFTER_SECONDS < env.JOB_LEASE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['JOB_REQUEUE_AFTER_SECONDS'],
        message: 'must be at least JOB_LEASE_SECONDS (a running job would be handed over while it runs)',
      });
    }
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'],
        message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
      });
    }
  });

/** The configuration the code sees: every field derived from the variables above. */
const configSchema = envSchema.transform((e) => {
  const mode = e.DATABASE_URL ? ('production' as const) : ('embedded' as const);
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    mode,
    port,
    host: e.HOST ?? (mode === 'embedded' ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    worker: {
      port: e.WORKER_PORT,
      leaseMs: e.JOB_LEASE_SECONDS * 1000,
      requeueAfterMs: e.JOB_REQUEUE_AFTER_SECONDS * 1000,
    },
    publicUrl,
    mail: {
      /** Unset: messages are written as `.eml` files under DATA_DIR/mail. */
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM ?? `Staylane <no-reply@${new URL(publicUrl).hostname}>`,
    },
    jwtSecret: e.JWT_SECRET,
    corsOrigins: parseCors(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    /** Auth calls per minute per IP + e-mail (login, register, password reset). */
    authRateLimitPerMinute: 10,
    /** Auth calls per minute per client address, across e-mails. */
    authAddressRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    /** Bearer token that unlocks `/metrics` in production (without one it is 404 there). */
    metricsToken: e.METRICS_TOKEN,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    bookings: { serviceFeePercent: e.SERVICE_FEE_PERCENT, holdMinutes: e.BOOKING_HOLD_MINUTES },
    payments: {
      provider: e.PAYMENT_PROVIDER,
      /** Outside production a missing secret is made up per process: the sandbox signs its own webhooks. */
      webhookSecret: e.PAYMENT_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
      chapa: { secretKey: e.CHAPA_SECRET_KEY, apiUrl: (e.CHAPA_API_URL ?? 'https://api.chapa.co').replace(/\/+$/, '') },
      stripe: {
        secretKey: e.STRIPE_SECRET_KEY,
        apiUrl: (e.STRIPE_API_URL ?? 'https://api.stripe.com').replace(/\/+$/, ''),
      },
    },
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
  });
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message}`);
  }
  return parsed.data;
}

function parseCors(value: string | undefined): string[] | true | false {
  if (!value) return false;
  if (value === '*') return true;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
