// Accounts and sessions: registration, password login with throttling, rotating refresh
// tokens, profiles, the guest → host step, and admin user management.
import { defineModule } from '../../module.js';
import { auditModule } from '../audit/index.js';
import { usersGraphql } from './users.graphql.js';
import { usersJobs, usersSchedules } from './users.jobs.js';
import { usersRoutes } from './users.routes.js';
import { seedUsers } from './users.seed.js';
import { createUsersService } from './users.service.js';
import { refreshTokens, sessions, users, userTokens } from './users.table.js';
import { usersConstraints } from './users.errors.js';
import { usersSettings } from './users.settings.js';

export type { UserContact, UsersApi } from './users.service.js';
export { CloseAccountInput, GuestRating, PublicProfile } from './users.schemas.js';
export { SEED_EMAIL_DOMAIN, SEED_PASSWORD, seededEmails, type SeededHost, type UsersSeeded } from './users.seed.js';

/** The users' primary key, for other modules' foreign keys. */
export const userIdColumn = () => users.id;

export const usersModule = defineModule({
  name: 'users',
  dependsOn: [auditModule],
  tables: { users, sessions, refreshTokens, userTokens },
  settings: usersSettings,
  openapi: {
    tags: [
      { name: 'auth', description: 'Registration, sign-in and sessions' },
      { name: 'me', description: 'The signed-in user' },
    ],
  },
  constraints: usersConstraints,
  createService: ({ db, counters, config, clock, jwt, audit, mailer, publishLive }) =>
    createUsersService({
      db,
      counters,
      authLimits: {
        perAddressPerMinute: config.authAddressRateLimitPerMinute,
        perEmailPerMinute: config.authRateLimitPerMinute,
      },
      clock,
      jwt,
      audit,
      mailer,
      publishLive,
      publicUrl: config.publicUrl,
    }),
  routes: (service) => (app) => usersRoutes(app, { users: service }),
  jobs: (service) => usersJobs(service),
  schedules: usersSchedules,
  graphql: (service) => usersGraphql(service),
  personalData: (service) => [
    { section: 'profile', rows: (userId) => service.profileOf(userId) },
    { section: 'sessions', rows: (userId) => service.sessionsOf(userId) },
  ],
  onAccountClosed: (service) => (userId, tx, ctx) => service.eraseClosedAccount(userId, tx, ctx),
  seed: (run) => seedUsers(run),
});
