import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, settingsFragments } from '../src/composition/config.js';
import { ConfigError, platformEnv } from '../src/config.js';

describe('configuration', () => {
  it('defaults to embedded mode on 127.0.0.1:3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'embedded',
      host: '127.0.0.1',
      port: 3000,
      dataDir: './data',
      rateLimitPerMinute: 300,
    });
  });

  it('switches to production mode with DATABASE_URL and listens on all interfaces', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://r:6379' });
    expect(c).toMatchObject({ mode: 'production', host: '0.0.0.0' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ ADMIN_EMAIL: 'a@b.co' }, 'ADMIN_PASSWORD'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, 'PAYMENT_WEBHOOK_SECRET'],
    [{ PAYMENT_WEBHOOK_SECRET: 'short' }, 'PAYMENT_WEBHOOK_SECRET'],
    [{ PAYMENT_PROVIDER: 'paypal' }, 'PAYMENT_PROVIDER'],
    [{ PAYMENT_PROVIDER: 'stripe' }, 'STRIPE_SECRET_KEY'],
    [{ PAYMENT_PROVIDER: 'chapa' }, 'CHAPA_SECRET_KEY'],
    [{ SERVICE_FEE_PERCENT: '51' }, 'SERVICE_FEE_PERCENT'],
    [{ BOOKING_HOLD_MINUTES: '0' }, 'BOOKING_HOLD_MINUTES'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM'],
    [{ WORKER_PORT: '70000' }, 'WORKER_PORT'],
    [{ REDIS_KEY_PREFIX: 'has space' }, 'REDIS_KEY_PREFIX'],
    [{ JOB_LEASE_SECONDS: '0' }, 'JOB_LEASE_SECONDS'],
    [{ JOB_LEASE_SECONDS: '60', JOB_REQUEUE_AFTER_SECONDS: '30' }, 'JOB_REQUEUE_AFTER_SECONDS'],
    [{ MAIL_FROM: 'a@b.co\r\nBcc: c@d.co' }, 'MAIL_FROM'],
    // No shorter than the SMTP transport's 4 minutes for one message.
    [{ MAIL_SENDING_TIMEOUT_SECONDS: '240' }, 'MAIL_SENDING_TIMEOUT_SECONDS'],
  ])('rejects %o with one line naming %s', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} `));
    expect(message).not.toContain('\n');
  });

  it('reads the mail settings; the sender defaults to no-reply at the PUBLIC_URL host', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://api.example.com/' }).mail).toEqual({
      smtpUrl: undefined,
      from: 'Staylane <no-reply@api.example.com>',
      sendingTimeoutMs: 600_000,
    });
    const c = loadConfig({
      SMTP_URL: 'smtps://u:p@smtp.example.com:465',
      MAIL_FROM: 'Stays <hi@example.com>',
      MAIL_SENDING_TIMEOUT_SECONDS: '900',
    });
    expect(c.mail).toEqual({
      smtpUrl: 'smtps://u:p@smtp.example.com:465',
      from: 'Stays <hi@example.com>',
      sendingTimeoutMs: 900_000,
    });
  });

  it('never echoes a secret value in its message', () => {
    expect(() => loadConfig({ JWT_SECRET: 'hunter2' })).toThrow(/^(?!.*hunter2)/);
  });

  it('hands each module the settings its fragment reads', () => {
    const c = loadConfig({ SERVICE_FEE_PERCENT: '10', PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x' });
    expect(c.settings.bookings).toEqual({ serviceFeePercent: 10, holdMinutes: 15, payOnAccept: false });
    // A provider that cannot authorize without capturing: requests to book are paid on acceptance.
    const chapa = loadConfig({ PAYMENT_PROVIDER: 'chapa', CHAPA_SECRET_KEY: 'CHASECK_TEST-x' });
    expect(chapa.settings.bookings.payOnAccept).toBe(true);
    expect(c.settings.payments).toMatchObject({
      provider: 'stripe',
      stripe: { secretKey: 'sk_test_x', apiUrl: 'https://api.stripe.com' },
    });
    expect(c.settings.users.admin).toBeUndefined();
    expect(loadConfig({ ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'x'.repeat(12) }).settings.users.admin).toEqual({
      email: 'a@b.co',
      password: 'x'.repeat(12),
    });
  });

  it('every module variable has a description', () => {
    for (const [name, fragment] of settingsFragments()) {
      for (const [variable, schema] of Object.entries(fragment.env.shape)) {
        expect(z.globalRegistry.get(schema)?.description, `${name}: ${variable}`).toBeTruthy();
      }
    }
  });

  it('.env.example documents every variable of the platform and of every module', () => {
    const example = readFileSync(path.resolve(import.meta.dirname, '../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const variables = [
      ...Object.keys(platformEnv.shape),
      ...settingsFragments().flatMap(([, fragment]) => Object.keys(fragment.env.shape)),
    ];
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });
});
