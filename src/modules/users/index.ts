// Accounts and sessions: registration, password login with throttling, rotating refresh
// tokens, profiles, the guest → host step, and admin user management.
export { createUsersService, type UsersService } from './users.service.js';
export { usersRoutes } from './users.routes.js';
export { usersGraphql } from './users.graphql.js';
export { PublicProfile, User } from './users.schemas.js';
export { usersConstraints } from './users.errors.js';
