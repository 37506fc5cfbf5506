import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { unauthorized } from '../../platform/errors.js';
import { hashPassword } from '../../platform/auth/hashing.js';
import { eraseRecipient } from '../../platform/mail/index.js';
import { passwordWeakness } from '../../platform/auth/password-strength.js';
import * as repo from './users.repository.js';
import { alreadyHost, weakPassword } from './users.errors.js';
import {
  toAdminUserDto,
  toGuestRatingDto,
  toPublicProfileDto,
  toUserDto,
  type AdminUser,
  type ChangePasswordInput,
  type CloseAccountInput,
  type GuestRating,
  type PublicProfile,
  type UpdateMeInput,
  type User,
} from './users.schemas.js';
import { passwordHints, type UsersCommon, type UsersServiceDeps } from './users.common.js';

/** Not a hash any password verifies against: the closed account can never sign in. */
const UNUSABLE_PASSWORD_HASH = '!closed';
/** A closed account's address: unique, never deliverable (RFC 2606 `.invalid`), freeing the real one. */
const closedAccountEmail = (userId: string) => `closed-${userId}@closed.staylane.invalid`;

/** Where and how to address a user's e-mail. */
export interface UserContact {
  email: string;
  firstName: string;
  /** Their rating as a guest (published host reviews), for e-mails to hosts. */
  guestRating: GuestRating;
}

/** The caller's own account: profile, password, the guest → host step, closure and export. */
export function createUsersAccount(deps: UsersServiceDeps, common: UsersCommon) {
  const { db, clock, audit } = deps;
  const { loadSelf, checkOwnPassword, endSessions } = common;

  return {
    async getMe(ctx: RequestContext): Promise<User> {
      return toUserDto(await loadSelf(ctx));
    },

    async updateMe(input: UpdateMeInput, ctx: RequestContext): Promise<User> {
      const self = await loadSelf(ctx);
      const user = await repo.updateUser(db, self.id, input);
      if (!user) throw unauthorized();
      return toUserDto(user);
    },

    /**
     * Changes the caller's password. A wrong current password counts as a failed login for
     * the account (the same lock-out); every other session ends, the caller's own goes on.
     */
    async changePassword(input: ChangePasswordInput, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      const self = await loadSelf(ctx);
      await checkOwnPassword(self, input.currentPassword, 'currentPassword', 'auth.password_change_failed', ctx);
      const weakness = passwordWeakness(input.newPassword, passwordHints(self));
      if (weakness) throw weakPassword(weakness, 'newPassword');
      const passwordHash = await hashPassword(input.newPassword);
      await withTransaction(db, async (tx, scope) => {
        await repo.updateUser(tx, self.id, { passwordHash });
        // Reset links asked for before the change would undo it.
        await repo.spendUserTokens(tx, self.id, 'password_reset', clock.now());
        const ended = await endSessions(tx, scope, self.id, { exceptSessionId: actor.sessionId });
        await audit.record(
          ctx,
          {
            action: 'auth.password_changed',
            entity: 'user',
            entityId: self.id,
            detail: { sessionsEnded: ended.length },
          },
          tx,
        );
      });
    },

    async becomeHost(ctx: RequestContext): Promise<User> {
      const self = await loadSelf(ctx);
      if (self.role !== 'guest') throw alreadyHost();
      const user = await withTransaction(db, async (tx) => {
        const updated = await repo.updateUserRole(tx, self.id, 'guest', 'host');
        if (!updated) throw alreadyHost();
        await audit.record(
          ctx,
          { action: 'user.role_changed', entity: 'user', entityId: self.id, detail: { from: 'guest', to: 'host' } },
          tx,
        );
        return updated;
      });
      return toUserDto(user);
    },

    /** Checks the caller's own password before closing the account (see checkOwnPassword). */
    async confirmPassword(input: CloseAccountInput, ctx: RequestContext): Promise<void> {
      await checkOwnPassword(await loadSelf(ctx), input.password, 'password', 'auth.password_check_failed', ctx);
    },

    /**
     * The users module's part of closing an account, in the closure's transaction: the
     * personal data is overwritten (name, e-mail, phone, password; the address in the mail
     * delivery log too), every session and e-mailed token ends, and the row stays (same
     * id) for what others and the books keep. Open sockets hear of it after commit.
     */
    async eraseClosedAccount(userId: string, tx: Db, ctx: RequestContext): Promise<void> {
      await withTransaction(tx, async (tx, scope) => {
        const self = await repo.findUserById(tx, userId);
        const closed = await repo.closeUser(tx, userId, {
          email: closedAccountEmail(userId),
          firstName: 'Former',
          lastName: 'member',
          phone: null,
          passwordHash: UNUSABLE_PASSWORD_HASH,
        });
        if (!closed) throw unauthorized();
        if (self) await eraseRecipient(tx, self.email, closed.email);
        await endSessions(tx, scope, userId, {});
        await repo.deleteUserTokens(tx, userId);
        await audit.record(ctx, { action: 'user.closed', entity: 'user', entityId: userId, actorId: userId }, tx);
      });
    },

    /** The caller's profile as stored (the export's `profile` section): no password hash. */
    async *profileOf(userId: string): AsyncGenerator<AdminUser> {
      const user = await repo.findUserById(db, userId);
      if (user) yield toAdminUserDto(user);
    },
  };
}

/** What other modules read of users: e-mail contacts and public profiles, by id. */
export function createUsersDirectory({ db }: Pick<UsersServiceDeps, 'db'>) {
  return {
    /**
     * E-mail address and first name by user id, for other modules' e-mails (job handlers,
     * no caller). Suspended and closed accounts are left out: they receive no mail.
     */
    async getContacts(ids: readonly string[]): Promise<Map<string, UserContact>> {
      const rows = await repo.findContactsByIds(db, ids);
      return new Map(
        rows
          .filter((r) => r.status === 'active')
          .map((r) => [r.id, { email: r.email, firstName: r.firstName, guestRating: toGuestRatingDto(r) }]),
      );
    },

    /** Public profiles by id (GraphQL batch loading of hosts, authors); unknown ids are left out. */
    async getPublicProfiles(ids: readonly string[]): Promise<Map<string, PublicProfile>> {
      const rows = await repo.findPublicProfilesByIds(db, ids);
      return new Map(rows.map((r) => [r.id, toPublicProfileDto(r)]));
    },

    /**
     * Adds a published host review's rating to the guest's rating, inside the publishing
     * transaction `tx`: one atomic UPDATE, exact under concurrent publications.
     */
    async addGuestRating(tx: Db, userId: string, rating: number): Promise<void> {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new RangeError('addGuestRating: 1 to 5');
      if (!(await repo.addGuestRating(tx, userId, rating))) throw new RangeError('addGuestRating: unknown user');
    },
  };
}
