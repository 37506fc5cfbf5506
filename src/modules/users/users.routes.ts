import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { usersAccountRoutes } from './users.account-routes.js';
import { usersAdminRoutes } from './users.admin-routes.js';
import { usersAuthRoutes } from './users.auth-routes.js';
import { usersRecoveryRoutes } from './users.recovery-routes.js';
import type { UsersService } from './users.service.js';

export interface UsersRoutesOptions {
  users: UsersService;
}

/** The users' REST routes, one file per use case, registered in this order (that of the OpenAPI document). */
export const usersRoutes: FastifyPluginAsyncZod<UsersRoutesOptions> = async (app, options) => {
  await usersAuthRoutes(app, options);
  await usersRecoveryRoutes(app, options);
  await usersAccountRoutes(app, options);
  await usersAdminRoutes(app, options);
};
