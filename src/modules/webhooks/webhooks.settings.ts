import { z } from 'zod';
import { int, optionalString } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The webhooks module's environment variables. */
export const webhooksSettings = defineSettings({
  env: z.object({
    WEBHOOK_ALLOW_PRIVATE: z
      .enum(['true', 'false'])
      .default('false')
      .describe(
        'true lets webhook endpoints sit on private, loopback and link-local addresses (tests only; refused in production)',
      ),
    WEBHOOK_SECRET_KEY: optionalString
      .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
        message: 'must be 32 bytes, base64',
      })
      .describe(
        'Key (32 bytes, base64) encrypting the endpoints’ signing secrets at rest; derived from JWT_SECRET when unset',
      ),
    WEBHOOK_TIMEOUT_MS: int(10_000, 500, 30_000).describe('Longest wait for an endpoint’s answer to one delivery'),
    WEBHOOK_RETRY_HOURS: int(72, 1, 168).describe(
      'Hours an endpoint may keep failing (retried with back-off) before it is disabled and its owner e-mailed',
    ),
    WEBHOOK_MAX_BACKOFF_SECONDS: int(36_000, 1, 36_000).describe(
      'Longest wait between two attempts at a failing endpoint (the back-off grows to it)',
    ),
    WEBHOOK_ROTATION_OVERLAP_HOURS: int(24, 0, 168).describe(
      'Hours the previous signing secret keeps signing beside the new one after a rotation',
    ),
    EVENTS_RETENTION_DAYS: int(30, 1, 365).describe('Days events (and delivery records) are kept'),
  }),
  check(env, platform, report) {
    if (platform.isProduction && env.WEBHOOK_ALLOW_PRIVATE === 'true') {
      report('WEBHOOK_ALLOW_PRIVATE', 'must not be true in production');
    }
  },
  read: (env) => ({
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
    secretKey: env.WEBHOOK_SECRET_KEY,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    retryHours: env.WEBHOOK_RETRY_HOURS,
    maxBackoffSeconds: env.WEBHOOK_MAX_BACKOFF_SECONDS,
    rotationOverlapHours: env.WEBHOOK_ROTATION_OVERLAP_HOURS,
    retentionDays: env.EVENTS_RETENTION_DAYS,
  }),
});

export type WebhooksSettings = ReturnType<typeof webhooksSettings.read>;
