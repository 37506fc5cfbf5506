import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RawServerDefault,
} from 'fastify';
import type { DestinationStream } from 'pino';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type FastifyPluginAsyncZod,
} from 'fastify-type-provider-zod';
import mercurius from 'mercurius';
import type { Container } from './container.js';
import { buildGraphqlContext } from '../graphql/context.js';
import { graphqlErrorFormatter } from '../graphql/errors.js';
import { createGraphqlGate } from '../graphql/gate.js';
import { graphiqlRoutes } from '../graphql/graphiql.js';
import { GRAPHQL_COST_PER_REQUEST } from '../graphql/limits.js';
import { assembleSchema } from '../graphql/schema.js';
import { socketGuard, type SocketLimits } from '../graphql/socket-guard.js';
import { createMemorySocketRegistry, createRedisSocketRegistry } from '../graphql/socket-registry.js';
import { guardSubscriptionResolvers, subscriptionOptions } from '../graphql/subscriptions.js';
import { buildAccountPrivacy } from './account.js';
import { accountRoutes } from './account.routes.js';
import { registerRestAuth } from '../http/auth.js';
import { handleFrameworkError, registerErrorHandling } from '../http/error-handler.js';
import { registerIdempotency } from '../http/idempotency.js';
import { documentSharedProblems } from '../http/problem.js';
import { registerInputGuard } from '../http/input-guard.js';
import { serializerCompiler } from '../http/serializer.js';
import { opsRoutes } from './ops.routes.js';
import { queueBoardEnabled, queueBoardSessionRoutes, registerQueueBoard } from './queue-board.js';
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
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
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
    exposedHeaders: ['x-request-id', 'location', 'etag', 'retry-after', 'idempotent-replayed'],
  });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    redis: container.redis,
    nameSpace: `${container.redisPrefix}rl:`,
    skipOnError: true,
    errorResponseBuilder: (_request, ctx) =>
      new AppError('rate_limited', 'rate_limited', `Too many requests; retry in ${ctx.after}.`, {
        retryAfter: Math.ceil(ctx.ttl / 1000),
      }),
  });

  const zodTransform = createJsonSchemaTransform({ skipList: ['/graphql', '/docs', '/docs/*'] });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Staylane API',
        version: '1',
        description:
          'REST API of Staylane, a property-rental marketplace. Errors are `application/problem+json` (RFC 9457). Lists are keyset-paginated with `limit` and an opaque `cursor`.',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'auth', description: 'Registration, sign-in and sessions' },
        { name: 'me', description: 'The signed-in user' },
        { name: 'properties', description: 'Listings, calendars and search' },
        { name: 'bookings', description: 'Quotes, bookings, holds and cancellations' },
        { name: 'payments', description: 'Checkout, provider webhooks and refunds' },
        { name: 'messages', description: 'Conversations between guests and hosts' },
        { name: 'reviews', description: 'Reviews of completed stays and hosts’ responses' },
        { name: 'admin', description: 'Administration (admins only)' },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
    },
    // GraphiQL's routes carry no schema, which the zod transform would pass through.
    transform: (doc) =>
      doc.url.startsWith('/graphiql') ? { schema: { hide: true }, url: doc.url } : zodTransform(doc),
    transformObject: jsonSchemaTransformObject,
  });

  const rest: FastifyPluginAsyncZod = async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    registerRestAuth(scope, (token) => services.users.authenticate(token));
    registerInputGuard(scope);
    documentSharedProblems(scope);
    // After authentication: keys belong to the signed-in user.
    registerIdempotency(scope, { db: container.database.db, clock: container.clock });
    for (const module of modules) {
      if (module.routes) await scope.register(module.routes(byName[module.name]));
    }
    const account = buildAccountPrivacy(modules, byName, {
      db: container.database.db,
      clock: container.clock,
      confirmPassword: (input, ctx) => services.users.confirmPassword(input, ctx),
    });
    await scope.register(accountRoutes, { account });
    await scope.register(queueBoardSessionRoutes, { container });
  };
  await app.register(rest);

  const ops: FastifyPluginAsyncZod = async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    await scope.register(opsRoutes, { container });
  };
  await app.register(ops);
  if (queueBoardEnabled(container)) await registerQueueBoard(app, container);

  const graphql = assembleSchema(
    modules.flatMap((module) => (module.graphql ? [module.graphql(byName[module.name], byName)] : [])),
  );
  const authenticate = (token: string) => services.users.authenticate(token);
  // One gate for both transports: mercurius applies it over HTTP, the socket guard on the socket.
  const gate = createGraphqlGate({
    counters: container.counters,
    budgetPerMinute: config.rateLimitPerMinute * GRAPHQL_COST_PER_REQUEST,
    isProduction: config.isProduction,
    // The per-address request counter of the rate limit: each mutation of a request counts in it.
    requestLimiter: app.createRateLimit(),
  });
  const errorFormatter = graphqlErrorFormatter({ hideSuggestions: config.isProduction });
  const socketRegistry = container.redis
    ? createRedisSocketRegistry(container.redis, container.redisPrefix)
    : createMemorySocketRegistry();
  app.addHook('onClose', async () => socketRegistry.close());
  const sockets = socketGuard({
    gate,
    schema: () => app.graphql.schema,
    authenticate,
    emitter: container.live.emitter,
    registry: socketRegistry,
    errorFormatter,
    limits: options.socketLimits,
  });
  sockets.register(app);
  await app.register(mercurius, {
    schema: graphql.schema,
    resolvers: guardSubscriptionResolvers(graphql.resolvers),
    loaders: graphql.loaders,
    context: buildGraphqlContext(authenticate),
    errorFormatter,
    // Mercurius' page loads React and GraphiQL from a CDN; ours serves them (below).
    graphiql: false,
    graphql: { parseOptions: gate.parseOptions },
    // Its query caches keep up to 1,024 parsed documents each (valid and failed ones), over
    // a megabyte for a query near maxTokens: a client sending distinct large queries could
    // make the server hold gigabytes. Parsing and validating again costs well under a millisecond.
    cache: false,
    validationRules: gate.validationRules,
    subscription: subscriptionOptions({
      emitter: container.live.emitter,
      authenticate,
      guardOf: sockets.of,
    }),
  });
  for (const hook of gate.preParsing) app.graphql.addHook('preParsing', hook);
  for (const hook of gate.preExecution) app.graphql.addHook('preExecution', hook);
  if (!config.isProduction) await app.register(graphiqlRoutes, { endpoint: '/graphql' });

  // Swagger UI's page and scripts are files of this origin (no inline script); its bundle
  // sets a few inline styles as it renders, so styles alone allow inline. "Try it out" may
  // call the API's public origin; no validator badge is fetched from elsewhere.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", new URL(config.publicUrl).origin],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, () => app.swagger());
  return app;
}
