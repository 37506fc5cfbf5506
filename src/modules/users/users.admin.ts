import { hashPassword } from '../../platform/auth/hashing.js';
import { z } from 'zod';
import { requireRole, systemContext, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/errors.js';
import { passwordWeakness } from '../../platform/auth/password-strength.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import * as repo from './users.repository.js';
import { accountClosed, cannotChangeOwnStatus } from './users.errors.js';
import {
  toAdminUserDto,
  toUserDto,
  type AdminUpdateUserInput,
  type AdminUser,
  type ListUsersQuery,
  type User,
} from './users.schemas.js';
import { createUser, type UsersCommon, type UsersServiceDeps } from './users.common.js';

const usersCursor = z.tuple([isoInstant, z.uuid()]);

/** Admins' work on accounts: listing, suspension and reactivation, creating an admin. */
export function createUsersAdmin(deps: UsersServiceDeps, common: UsersCommon) {
  const { db, audit } = deps;
  const { endSessions } = common;

  return {
    async listUsers(query: ListUsersQuery, ctx: RequestContext): Promise<Page<AdminUser>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, usersCursor) : undefined;
      const rows = await repo.findUsers(db, {
        limit: query.limit + 1,
        after: after && { createdAt: new Date(after[0]), id: after[1] },
        role: query.role,
        status: query.status,
        emailPrefix: query.email?.toLowerCase(),
      });
      return toPage(rows, query.limit, (r) => [r.createdAt.toISOString(), r.id], toAdminUserDto);
    },

    async setUserStatus(id: string, input: AdminUpdateUserInput, ctx: RequestContext): Promise<AdminUser> {
      const admin = requireRole(ctx, 'admin');
      if (admin.id === id) throw cannotChangeOwnStatus();
      const user = await withTransaction(db, async (tx, scope) => {
        const updated = await repo.updateUserStatusUnlessClosed(tx, id, input.status);
        if (!updated) throw (await repo.findUserById(tx, id)) ? accountClosed() : notFound('user');
        // A suspended user's sessions end now, so reactivation does not bring old tokens back;
        // every API process closes the user's open sockets.
        if (input.status === 'suspended') await endSessions(tx, scope, id, {});
        await audit.record(
          ctx,
          {
            action: input.status === 'suspended' ? 'admin.user_suspended' : 'admin.user_reactivated',
            entity: 'user',
            entityId: id,
          },
          tx,
        );
        return updated;
      });
      return toAdminUserDto(user);
    },

    /**
     * Creates an admin account (the `create-admin` command and the ADMIN_EMAIL bootstrap).
     * Returns undefined, changing nothing, when a user with that e-mail already exists.
     */
    async createAdmin(input: {
      email: string;
      password: string;
      firstName?: string;
      lastName?: string;
    }): Promise<User | undefined> {
      const email = input.email.trim().toLowerCase();
      const firstName = input.firstName ?? 'Admin';
      const lastName = input.lastName ?? 'Staylane';
      if (await repo.findUserByEmail(db, email)) return undefined;
      // Judged only when it would be used: loading the strength dictionaries costs start-up time.
      const weakness =
        input.password.length < 10
          ? 'Must be at least 10 characters.'
          : passwordWeakness(input.password, [email.split('@')[0] ?? '', firstName, lastName]);
      if (weakness) {
        throw new AppError('invalid', 'weak_password', weakness, { errors: [{ path: 'password', message: weakness }] });
      }
      try {
        const passwordHash = await hashPassword(input.password);
        const user = await createUser(db, { email, passwordHash, firstName, lastName, role: 'admin' });
        await repo.updateUser(db, user.id, { emailVerified: true });
        await audit.record(
          systemContext(),
          {
            action: 'admin.created',
            entity: 'user',
            entityId: user.id,
            actorId: null,
          },
          db,
        );
        return toUserDto({ ...user, emailVerified: true });
      } catch (e) {
        if (e instanceof AppError && e.code === 'email_taken') return undefined;
        throw e;
      }
    },
  };
}
