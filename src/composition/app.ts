import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { getHeapStatistics } from 'node:v8';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RawServerDefault,
} from 'fastify';
import type { DestinationStream } from 'pino';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Container } from './container.js';
import { registerGraphql } from './app.graphql.js';
import { registerOpenapi, registerOpenapiDocs } from './app.openapi.js';
import { registerOperations, registerRest } from './app.rest.js';
import { opsRoutes } from './ops.routes.js';
import type { SocketLimits } from '../graphql/socket-guard.js';
import { handleFrameworkError, registerErrorHandling } from '../http/error-handler.js';
import { serializerCompiler } from '../http/serializer.js';
import { redisLost } from '../platform/cache/cache.js';
import { AppError } from '../platform/errors.js';
import type { AnyModule } from '../module.js';
import { MODULES } from '../modules/index.js';
import { logSafeError } from '../platform/log-safe-error.js';

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Bounds of the GraphQL WebSocket, in place of SOCKET_LIMITS (tests shorten the init timeout). */
  socketLimits?: Partial<SocketLimits>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Log options: request ids on every line; credentials, SQL and row values never. `stream`
 * replaces stdout (tests read the lines).
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream && { stream }),
    serializers: { err: logSafeError },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
  };
}

/**
 * The worker's HTTP side: /healthz, /readyz and /metrics (the same routes and METRICS_TOKEN
 * rule as the API's), problem+json for anything else. Not listening.
 */
export async function buildOpsApp(container: Container, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify<RawServerDefault>({
    logger: options.logger ?? loggerOptions(container.config.logLevel),
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    frameworkErrors: handleFrameworkError,
  });
  registerErrorHandling(app);
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    await scope.register(opsRoutes, { container });
  });
  return app;
}

const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

/**
 * The request log: one line per request once it is answered, with its id, method, URL,
 * route, status and time, instead of Fastify's two ("incoming request", then "request
 * completed"), whose request and response serializers also run for every request. Logging
 * at info costs half as much, and each line still says everything the pair did.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      route: routeOf(request),
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** The Fastify instance with every route and plugin, not listening (tests use inject). */
export async function buildApp(container: Container, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config, services, metrics } = container;
  // Looped over as any module: each one's service is the entry under its name.
  const modules: readonly AnyModule[] = MODULES;
  const byName: Readonly<Record<string, unknown>> = services;
  const app = Fastify<RawServerDefault>({
    logger: options.logger ?? loggerOptions(config.logLevel),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    forceCloseConnections: 'idle',
    frameworkErrors: handleFrameworkError,
    logController: new RequestLog(),
    // A path parameter may be an e-mail de-duplication key of up to 500 characters, each
    // URL-encoded as up to three; each route's schema bounds its own parameters.
    routerOptions: { maxParamLength: 1500 },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // An upgrade request answered without upgrading by a hook that runs before the WebSocket
  // plugin's own (a blocked address, pending migrations, load shedding) keeps its socket,
  // which that plugin closes only for requests it has seen: it is closed here.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade && !request.raw.socket.destroyed) request.raw.socket.destroy();
  });
  registerRequestGuards(app, modules, byName);
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: routeOf(request), status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // JSON only: anything else is a 415 rather than a string that fails validation.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);

  // CSP is off globally: the API answers JSON, and Swagger UI needs inline scripts. The
  // GraphiQL page and the sandbox checkout pages set their own, strict ones
  // (src/graphql/graphiql.ts, src/modules/payments/payments.sandbox-page.ts).
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(cors, {
    origin: config.corsOrigins,
    credentials: false,
    // The response headers the OpenAPI document lists, readable by browser clients.
    exposedHeaders: [
      'x-request-id',
      'location',
      'etag',
      'retry-after',
      'idempotent-replayed',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ],
  });
  // A database that lacks migrations would fail most calls: only the probes answer until
  // `staylane migrate` has run (the server looks again every few seconds).
  app.addHook('onRequest', async (request) => {
    if (container.lifecycle.pendingMigrations.length === 0 || isProbe(request)) return;
    throw new AppError('unavailable', 'migrations_pending', 'The database is being upgraded; try again shortly.', {
      retryAfter: 5,
    });
  });
  await registerLoadShedding(app, config.loadShedding);
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    redis: container.redis,
    nameSpace: `${container.redisPrefix}rl:`,
    skipOnError: true,
    // While Redis is lost, requests pass at once rather than each waiting for the client's
    // reconnection attempts before skipOnError lets them through.
    allowList: () => (container.redis ? redisLost(container.redis) : false),
    errorResponseBuilder: (_request, ctx) =>
      new AppError('rate_limited', 'rate_limited', `Too many requests; retry in ${ctx.after}.`, {
        retryAfter: Math.ceil(ctx.ttl / 1000),
      }),
  });

  await registerOpenapi(app, modules);
  await registerRest(app, container, modules, byName);
  await registerOperations(app, container);
  await registerGraphql(app, container, modules, byName, options.socketLimits);
  await registerOpenapiDocs(app, config);
  return app;
}

/**
 * The modules' request guards, first of all hooks: a refused address costs no rate-limit
 * count, no authentication and no routing. `/healthz` is never refused (a liveness probe
 * must not fail because of whom it comes from).
 */
function registerRequestGuards(
  app: FastifyInstance,
  modules: readonly AnyModule[],
  byName: Readonly<Record<string, unknown>>,
): void {
  const guards = modules.flatMap((m) => (m.requestGuard ? [m.requestGuard(byName[m.name])] : []));
  if (guards.length === 0) return;
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '';
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request);
    if (path === '/healthz') return;
    try {
      for (const guard of guards) await guard.admit(request.ip, path);
    } catch (error) {
      // Answered here, so that every route refuses alike: GraphQL's own error handling
      // would turn a refusal into a 200 with an `errors` entry.
      handleFrameworkError(error as Error, request, reply);
      return reply;
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = pathOf(request);
    if (path === '/healthz') return;
    for (const guard of guards) guard.answered(request.ip, path, reply.statusCode);
  });
}

/** Probes and metrics answer whatever the process's state: they are how that state is seen. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const isProbe = (request: FastifyRequest) => PROBES.has(request.url.split('?')[0] ?? '');

/**
 * Past the event-loop delay or heap share configured, a request is refused at once (503
 * `overloaded`, Retry-After) rather than queued behind the work that is already late.
 */
async function registerLoadShedding(
  app: FastifyInstance,
  limits: { eventLoopDelayMs: number; heapPercent: number },
): Promise<void> {
  if (limits.eventLoopDelayMs === 0 && limits.heapPercent === 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: limits.eventLoopDelayMs,
    maxHeapUsedBytes: Math.floor((getHeapStatistics().heap_size_limit * limits.heapPercent) / 100),
    sampleInterval: 500,
    pressureHandler: async (request) => {
      if (isProbe(request)) return;
      throw new AppError('unavailable', 'overloaded', 'The server is overloaded; try again shortly.', {
        retryAfter: 5,
      });
    },
  });
}
