import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from './container.js';
import { queueKeyPrefix } from './jobs.js';
import { requireRole, type Actor } from '../platform/context.js';
import { forbidden, notFound, unauthorized } from '../platform/errors.js';
import { bearerToken } from '../http/auth.js';
import { problemResponses } from '../http/problem.js';

/**
 * Bull Board at /admin/queues (production mode only): a read-only view of the BullMQ queue
 * that carries "row <id> is due" to the workers. The outbox stays the record of every job
 * (GET /v1/admin/jobs, POST /v1/admin/jobs/{id}/retry); the board's own retry and clean
 * buttons would act on queue entries only, so they are off.
 *
 * A browser cannot send a bearer token with the board's page, scripts and API calls, so an
 * admin first trades theirs for a cookie (POST /v1/admin/queues/session): a JWT with its own
 * audience, HttpOnly, SameSite=Strict, scoped to the board's path and as short-lived as an
 * access token. Every request under the path (assets included) is checked again, the user
 * read anew: a suspension or a lost admin role ends access at once.
 */

export const QUEUE_BOARD_PATH = '/admin/queues';
export const QUEUE_BOARD_COOKIE = 'staylane_queue_board';
export const QUEUE_BOARD_AUDIENCE = 'queue-board';

/** The board exists only where the queue does: PostgreSQL and Redis both configured. */
export const queueBoardEnabled = (container: Container) =>
  Boolean(container.config.databaseUrl && container.config.redisUrl && container.redis);

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** The caller of a board request: a bearer access token, else the board cookie; admins only. */
async function boardAdmin(request: FastifyRequest, container: Container): Promise<Actor> {
  const { users } = container.services;
  const bearer = bearerToken(request);
  const cookie = bearer ? undefined : readCookie(request.headers.cookie, QUEUE_BOARD_COOKIE);
  if (!bearer && !cookie) {
    throw unauthorized('Sign in through POST /v1/admin/queues/session, or send a bearer token.');
  }
  const actor = bearer
    ? await users.authenticate(bearer)
    : await users.authenticate(cookie!, { audience: QUEUE_BOARD_AUDIENCE });
  if (actor.role !== 'admin') throw forbidden();
  return actor;
}

/** Mounts the board under QUEUE_BOARD_PATH; call only when `queueBoardEnabled`. */
export async function registerQueueBoard(app: FastifyInstance, container: Container): Promise<void> {
  // Imported here, not at the top: only production mode mounts the board, and these packages
  // (bullmq, ioredis, the board) would cost every embedded start a few hundred milliseconds.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }, { Queue }, { QUEUE_NAME }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
    import('bullmq'),
    import('../platform/jobs/queue-transport.js'),
  ]);
  // Shares the container's Redis connection: closing the queue leaves it open.
  const queue = new Queue(QUEUE_NAME, { connection: container.redis!, prefix: queueKeyPrefix(container.redisPrefix) });
  queue.on('error', () => undefined);
  app.addHook('onClose', () => queue.close());

  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: [
      new BullMQAdapter(queue, {
        readOnlyMode: true,
        description: 'Due outbox rows on their way to a worker. Retry dead jobs with POST /v1/admin/jobs/{id}/retry.',
      }),
    ],
    // The adapter (9.10.1) carries its own copy of the api package's types; at run time it
    // takes whatever the board hands it.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Staylane queue' } },
  });
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  // Errors (a refused caller, a rate limit, a Redis failure) go on to the app's handler:
  // problem+json and a generic 5xx, where the board's own would echo the message.
  serverAdapter.setErrorHandler((error) => {
    throw error;
  });

  await app.register(async (scope) => {
    // Every route under the prefix, static files included. A preHandler rather than an
    // onRequest hook: the rate limit's per-route onRequest runs first, so refused callers count.
    scope.addHook('preHandler', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      await boardAdmin(request, container);
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}

const BoardSession = z.object({
  path: z.literal(QUEUE_BOARD_PATH),
  expiresAt: z.iso.datetime().describe('When the cookie stops working; ask for a new one then'),
});

/** POST /v1/admin/queues/session: the admin's bearer token traded for the board's cookie. */
export const queueBoardSessionRoutes: FastifyPluginAsyncZod<{ container: Container }> = async (app, { container }) => {
  const { config, jwt, clock } = container;
  const enabled = queueBoardEnabled(container);
  // A cookie marked Secure is dropped by browsers over plain HTTP: set it wherever HTTPS is the rule.
  const secure = config.isProduction || config.publicUrl.startsWith('https:');

  app.post(
    '/v1/admin/queues/session',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['admin'],
        operationId: 'openQueueDashboard',
        summary: 'Open the queue dashboard (admins)',
        description: `Sets an HttpOnly, SameSite=Strict cookie for \`${QUEUE_BOARD_PATH}\` (the Bull Board dashboard, read-only), valid ${jwt.expiresIn / 60} minutes; then open \`${QUEUE_BOARD_PATH}\` in the same browser. The dashboard exists in production mode only (PostgreSQL and Redis): 404 \`queue_dashboard_not_found\` otherwise.`,
        security: [{ bearerAuth: [] }],
        response: {
          200: BoardSession,
          ...problemResponses({ 403: ['forbidden'], 404: ['queue_dashboard_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      const actor = requireRole(request.ctx, 'admin');
      if (!enabled) throw notFound('queue_dashboard');
      const token = await jwt.sign(
        // The cookie names the session of the token it was traded for, and ends with it.
        { sub: actor.id, role: actor.role, sid: actor.sessionId },
        { audience: QUEUE_BOARD_AUDIENCE },
      );
      const cookie = [
        `${QUEUE_BOARD_COOKIE}=${token}`,
        `Path=${QUEUE_BOARD_PATH}`,
        `Max-Age=${jwt.expiresIn}`,
        'HttpOnly',
        'SameSite=Strict',
        ...(secure ? ['Secure'] : []),
      ];
      reply.header('set-cookie', cookie.join('; '));
      const session: z.infer<typeof BoardSession> = {
        path: QUEUE_BOARD_PATH,
        expiresAt: new Date(clock.now().getTime() + jwt.expiresIn * 1000).toISOString(),
      };
      return session;
    },
  );
};
