import type { FastifyInstance } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Container } from './container.js';
import { buildAccountPrivacy } from './account.js';
import { accountRoutes } from './account.routes.js';
import { indexRoutes } from './index.routes.js';
import { opsRoutes } from './ops.routes.js';
import { queueBoardEnabled, queueBoardSessionRoutes, registerQueueBoard } from './queue-board.js';
import { registerRestAuth } from '../http/auth.js';
import { registerIdempotency } from '../http/idempotency.js';
import { registerInputGuard } from '../http/input-guard.js';
import { documentSharedProblems } from '../http/problem.js';
import { serializerCompiler } from '../http/serializer.js';
import type { AnyModule } from '../module.js';

/**
 * The REST API: every module's routes and the account routes, under the shared validator,
 * serializer, authentication, input guard and idempotency keys.
 */
export async function registerRest(
  app: FastifyInstance,
  container: Container,
  modules: readonly AnyModule[],
  byName: Readonly<Record<string, unknown>>,
) {
  const { services } = container;
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
}

/** The index at `/`, health, readiness and metrics, and the queue board when it is enabled. */
export async function registerOperations(app: FastifyInstance, container: Container) {
  await app.register(indexRoutes, { isProduction: container.config.isProduction });
  const ops: FastifyPluginAsyncZod = async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    await scope.register(opsRoutes, { container });
  };
  await app.register(ops);
  if (queueBoardEnabled(container)) await registerQueueBoard(app, container);
}
