import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../container.js';

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.enum(['ok', 'down'])),
});

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export const opsRoutes: FastifyPluginAsyncZod<{ container: Container }> = async (app, { container }) => {
  const noLimit = { rateLimit: false } as const;

  app.get(
    '/healthz',
    {
      config: noLimit,
      schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Health } },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: noLimit,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database (and Redis, when configured) answer',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
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
      const ok = Object.values(checks).every((c) => c === 'ok');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );

  app.get(
    '/metrics',
    {
      config: noLimit,
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: z.string().describe('Prometheus text exposition format') },
      },
    },
    async (_request, reply) => {
      const registry = container.metrics.registry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
};
