import type { FastifyInstance } from 'fastify';
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
import type { AnyModule } from '../module.js';

/**
 * GraphQL over HTTP and WebSocket: every module's part of the schema, one cost and rate
 * gate for both transports, and GraphiQL outside production.
 */
export async function registerGraphql(
  app: FastifyInstance,
  container: Container,
  modules: readonly AnyModule[],
  byName: Readonly<Record<string, unknown>>,
  socketLimits: Partial<SocketLimits> | undefined,
) {
  const { config, services } = container;
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
    limits: socketLimits,
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
}
