import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from './container.js';
import { unauthorized } from '../platform/errors.js';
import { problemResponses } from '../http/problem.js';

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({
  status: z.enum(['ok', 'unavailable', 'draining']),
  checks: z.record(z.string(), z.enum(['ok', 'down'])),
  /** The migrations the database lacks (`staylane migrate` applies them); only when there are. */
  pendingMigrations: z.array(z.string()).optional(),
});

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

/**
 * The probes and metrics are for the platform (load balancers, orchestrators, Prometheus),
 * not for API clients: they are left out of the published OpenAPI document, which is the
 * clients' contract, and described in docs/operations.md instead.
 */
export const opsRoutes: FastifyPluginAsyncZod<{ container: Container }> = async (app, { container }) => {
  const noLimit = { rateLimit: false } as const;

  app.get(
    '/healthz',
    {
      config: noLimit,
      schema: {
        hide: true,
        tags: ['operations'],
        operationId: 'checkLiveness',
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Health.describe('The process answers') },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: noLimit,
      schema: {
        hide: true,
        tags: ['operations'],
        operationId: 'checkReadiness',
        summary:
          'Readiness: the database (migrated) and Redis (when configured) answer, and the process is not stopping',
        security: [],
        response: {
          200: Readiness.describe('Ready: every check is `ok`'),
          503: Readiness.describe('Not ready: a check is down, migrations are pending, or the process is stopping'),
          ...problemResponses({ 403: ['ip_blocked'] }),
        },
      },
    },
    async (_request, reply) => {
      // Stopping: still serving, but a load balancer should send nothing new here.
      if (container.lifecycle.draining) return reply.status(503).send({ status: 'draining', checks: {} });
      const checks: Record<string, 'ok' | 'down'> = {};
      const probes: [string, () => Promise<unknown>][] = [['database', () => container.database.ping()]];
      const redis = container.redis;
      if (redis) probes.push(['redis', () => redis.ping()]);
      await Promise.all(
        probes.map(async ([name, probe]) => {
          checks[name] = await withTimeout(probe(), 2000).then(
            () => 'ok' as const,
            () => 'down' as const,
          );
        }),
      );
      const pending = container.lifecycle.pendingMigrations;
      if (pending.length > 0) checks.migrations = 'down';
      const ok = Object.values(checks).every((c) => c === 'ok');
      return reply.status(ok ? 200 : 503).send({
        status: ok ? 'ok' : 'unavailable',
        checks,
        ...(pending.length > 0 ? { pendingMigrations: [...pending] } : {}),
      });
    },
  );

  // In production the metrics are private: without METRICS_TOKEN the route does not exist
  // (404 like any unknown path). Elsewhere they stay open for local use unless a token is set.
  const { isProduction, metricsToken } = container.config;
  if (isProduction && !metricsToken) return;

  app.get(
    '/metrics',
    {
      config: noLimit,
      onRequest: metricsToken ? requireMetricsToken(metricsToken) : undefined,
      schema: {
        hide: true,
        tags: ['operations'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'When `METRICS_TOKEN` is set, requires `Authorization: Bearer <METRICS_TOKEN>` (else 401). In production without `METRICS_TOKEN` this route does not exist (404); outside production it is open until a token is set.',
        produces: ['text/plain'],
        response: {
          200: z.string().describe('Prometheus text exposition format'),
          ...problemResponses({ 401: ['invalid_metrics_token'], 403: ['ip_blocked'] }),
        },
      },
    },
    async (_request, reply) => {
      const registry = container.metrics.registry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};

/** Admits only `Authorization: Bearer <token>`, compared in constant time. */
function requireMetricsToken(token: string) {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    // Equal-length digests: the comparison time reveals neither the token's length nor a prefix.
    if (!timingSafeEqual(digest(presented), expected)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw unauthorized('Send `Authorization: Bearer <METRICS_TOKEN>`.', 'invalid_metrics_token');
    }
  };
}
