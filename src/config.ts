import { z } from 'zod';
import { DEFAULT_MIGRATION_TIMEOUTS } from './platform/db/migrator.js';

/**
 * The platform's configuration, read once from the environment. Nothing else in the code
 * reads `process.env`: everything below reaches the code as factory arguments. The variables
 * a module owns are in its settings fragment (`src/modules/<name>/<name>.settings.ts`).
 */

/** An optional variable: empty counts as unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** An optional URL of one of `protocols`. */
export const url = (protocols: string[]) =>
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

/** A PostgreSQL duration for a timeout setting (never 0, which would turn it off). */
const pgDuration = (def: string) =>
  z
    .string()
    .trim()
    .regex(/^[1-9]\d*(ms|s|min|h)$/, { message: 'must be a duration such as 500ms, 5s, 1min or 2h' })
    .default(def);

/** An integer variable with its default and bounds. */
export const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/**
 * The platform's variables. Each module declares its own in `src/modules/<name>/<name>.settings.ts`;
 * the composition validates them all together (src/composition/config.ts).
 */
export const platformEnv = z.object({
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
  JOB_LEASE_SECONDS: int(15, 1, 24 * 60 * 60),
  /** A job handed to the queue this long ago and not finished is handed over again. */
  JOB_REQUEUE_AFTER_SECONDS: int(600, 1, 7 * 24 * 60 * 60),
  PUBLIC_URL: url(['http:', 'https:']),
  SMTP_URL: url(['smtp:', 'smtps:']),
  // At least 300: longer than the 4 minutes the SMTP transport gives one message at most
  // (src/platform/mail/smtp-transport.ts), so a key past it was not left by a sender still at work.
  MAIL_SENDING_TIMEOUT_SECONDS: int(600, 300, 7 * 24 * 60 * 60).describe(
    'An e-mail key claimed for sending this long ago and never marked sent is in doubt: counted, warned about and listed for an admin to resolve',
  ),
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
  /** Unset: pretty on a terminal outside production, JSON otherwise (src/platform/logging.ts). */
  LOG_FORMAT: optionalString.pipe(z.enum(['json', 'pretty']).optional()),
  RATE_LIMIT_PER_MINUTE: int(300, 1, 1_000_000),
  AUTH_RATE_LIMIT_PER_MINUTE: int(30, 1, 1_000_000),
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  /**
   * Seconds between SIGTERM and closing the port, while /readyz answers 503 and requests are
   * still served, so a load balancer stops sending before connections are refused. Default:
   * 5 in production, 0 elsewhere.
   */
  SHUTDOWN_DRAIN_SECONDS: optionalString
    .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 60), { message: 'must be 0-60 seconds' })
    .transform((v) => (v === undefined ? undefined : Number(v))),
  /**
   * Load shedding: past this mean event-loop delay (ms) or this share of the heap limit
   * (percent), API requests answer 503 overloaded with Retry-After; 0 turns a check off.
   */
  LOAD_SHED_EVENT_LOOP_DELAY_MS: int(1000, 0, 60_000),
  LOAD_SHED_HEAP_PERCENT: int(95, 0, 100),
  /**
   * Migrations on PostgreSQL (src/platform/db/migrator.ts): how long a statement waits for a
   * lock before its migration fails (to be run again), and how long one may run, in a
   * transaction (where its locks block writes) and in a no-transaction migration (an index
   * built CONCURRENTLY).
   */
  MIGRATION_LOCK_TIMEOUT: pgDuration(DEFAULT_MIGRATION_TIMEOUTS.lock),
  MIGRATION_STATEMENT_TIMEOUT: pgDuration(DEFAULT_MIGRATION_TIMEOUTS.statement),
  MIGRATION_CONCURRENT_TIMEOUT: pgDuration(DEFAULT_MIGRATION_TIMEOUTS.concurrent),
  TRUST_PROXY: optionalString.refine((v) => v === undefined || /^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/.test(v), {
    message: 'must be true, false, a hop count or a comma list of addresses/CIDRs',
  }),
});

export type PlatformEnv = z.output<typeof platformEnv>;

/** Cross-checks between platform variables; `report` adds an issue naming a variable. */
export function checkPlatformEnv(env: PlatformEnv, report: (variable: string, message: string) => void): void {
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) report('JWT_SECRET', 'is required when NODE_ENV=production');
  if (env.JOB_REQUEUE_AFTER_SECONDS < env.JOB_LEASE_SECONDS) {
    report(
      'JOB_REQUEUE_AFTER_SECONDS',
      'must be at least JOB_LEASE_SECONDS (a running job would be handed over while it runs)',
    );
  }
}

/** The configuration the platform code sees: every field derived from the variables above. */
export function readPlatformConfig(e: PlatformEnv) {
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
    migrationTimeouts: {
      lock: e.MIGRATION_LOCK_TIMEOUT,
      statement: e.MIGRATION_STATEMENT_TIMEOUT,
      concurrent: e.MIGRATION_CONCURRENT_TIMEOUT,
    },
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
      /** A key `sending` whose claim is older than this is in doubt. */
      sendingTimeoutMs: e.MAIL_SENDING_TIMEOUT_SECONDS * 1000,
    },
    jwtSecret: e.JWT_SECRET,
    corsOrigins: parseCors(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL,
    /** `json` or `pretty`; undefined chooses by terminal and NODE_ENV. */
    logFormat: e.LOG_FORMAT,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    /** Auth calls per minute per IP + e-mail (login, register, password reset). */
    authRateLimitPerMinute: 10,
    /** Auth calls per minute per client address, across e-mails. */
    authAddressRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    /** Bearer token that unlocks `/metrics` in production (without one it is 404 there). */
    metricsToken: e.METRICS_TOKEN,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    loadShedding: { eventLoopDelayMs: e.LOAD_SHED_EVENT_LOOP_DELAY_MS, heapPercent: e.LOAD_SHED_HEAP_PERCENT },
    shutdownDrainMs: (e.SHUTDOWN_DRAIN_SECONDS ?? (e.NODE_ENV === 'production' ? 5 : 0)) * 1000,
  });
}

export type Config = ReturnType<typeof readPlatformConfig>;

export class ConfigError extends Error {}

/**
 * The platform's part of the configuration alone, or undefined when it is invalid: enough to
 * start opening the embedded database while the modules load. The composition's `loadConfig`
 * validates the whole environment and says what is wrong.
 */
export function platformConfigIfValid(env: Record<string, string | undefined> = process.env): Config | undefined {
  const parsed = platformEnv.safeParse(env);
  if (!parsed.success) return undefined;
  let valid = true;
  checkPlatformEnv(parsed.data, () => {
    valid = false;
  });
  return valid ? readPlatformConfig(parsed.data) : undefined;
}

/** The process environment: read here only, and validated by the composition's `loadConfig`. */
export const processEnvironment = (): Record<string, string | undefined> => process.env;

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
