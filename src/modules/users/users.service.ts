import type { Actor, RequestContext } from '../../platform/context.js';
import type { TokenScope } from '../../platform/auth/jwt.js';
import type { Db } from '../../platform/db/types.js';
import { createUsersAccount, createUsersDirectory, type UserContact } from './users.account.js';
import { createUsersAdmin } from './users.admin.js';
import { createUsersAuth } from './users.auth.js';
import { createUsersCommon, type UsersServiceDeps } from './users.common.js';
import { createUsersMail } from './users.mail.js';
import { createUsersRecovery } from './users.recovery.js';
import type { CloseAccountInput, PublicProfile, User } from './users.schemas.js';
import { createUsersSessions } from './users.sessions.js';

export type { AuthLimits, UsersServiceDeps } from './users.common.js';
export type { UserContact } from './users.account.js';

/**
 * What the rest of the application may call on users: other modules (contacts for their
 * e-mails, public profiles) and the composition (bearer tokens, the closure's password
 * check, the admin bootstrap).
 */
export interface UsersApi {
  /** The acting user of a bearer token, checked against the user and session rows on every call. */
  authenticate(accessToken: string, scope?: TokenScope): Promise<Actor>;
  /** Checks the caller's own password before closing the account. */
  confirmPassword(input: CloseAccountInput, ctx: RequestContext): Promise<void>;
  /** An admin account; undefined, changing nothing, when the e-mail is taken. */
  createAdmin(input: {
    email: string;
    password: string;
    firstName?: string;
    lastName?: string;
  }): Promise<User | undefined>;
  /** E-mail address and first name of active accounts, by user id. */
  getContacts(ids: readonly string[]): Promise<Map<string, UserContact>>;
  /** The signed-in user. */
  getMe(ctx: RequestContext): Promise<User>;
  /** Public profiles by id; unknown ids are left out. */
  getPublicProfiles(ids: readonly string[]): Promise<Map<string, PublicProfile>>;
  /** Adds one published host review's rating (1–5) to the guest's rating, atomically, in `tx`. */
  addGuestRating(tx: Db, userId: string, rating: number): Promise<void>;
}

/** The whole service: the API above plus the use cases the module's own routes, jobs and hooks call. */
export type UsersService = ReturnType<typeof createUsersService>;

/** Accounts and sessions, one factory per use case; the account e-mails' job handlers come from users.mail.ts. */
export function createUsersService(deps: UsersServiceDeps) {
  const common = createUsersCommon(deps);
  const service = {
    ...createUsersMail(deps),
    ...createUsersAuth(deps, common),
    ...createUsersRecovery(deps, common),
    ...createUsersSessions(deps, common),
    ...createUsersAccount(deps, common),
    ...createUsersDirectory(deps),
    ...createUsersAdmin(deps, common),
  };
  return service satisfies UsersApi;
}
