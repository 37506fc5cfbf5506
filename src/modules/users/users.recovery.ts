import type { RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { enqueue } from '../../platform/jobs/index.js';
import { hashPassword, hashToken } from '../../platform/auth/hashing.js';
import { passwordWeakness } from '../../platform/auth/password-strength.js';
import * as repo from './users.repository.js';
import { invalidEmailToken, weakPassword } from './users.errors.js';
import { RESEND_VERIFICATION_EMAIL, SEND_PASSWORD_RESET_EMAIL } from './users.mail.js';
import {
  toUserDto,
  type PasswordResetConfirmInput,
  type PasswordResetRequestInput,
  type User,
  type VerifyEmailInput,
  type VerifyEmailResendInput,
} from './users.schemas.js';
import { failureKey, mayMailAddress, passwordHints, type UsersCommon, type UsersServiceDeps } from './users.common.js';

/** The e-mailed links: verifying the address and resetting a forgotten password. */
export function createUsersRecovery(deps: UsersServiceDeps, common: UsersCommon) {
  const { db, counters, clock, audit } = deps;
  const { throttleAuth, endSessions } = common;

  return {
    /** Spends a verify-email token and marks the address verified. 422 `invalid_token` otherwise. */
    async verifyEmail(input: VerifyEmailInput, ctx: RequestContext): Promise<User> {
      await throttleAuth(ctx);
      const user = await withTransaction(db, async (tx) => {
        const token = await repo.consumeUserToken(tx, hashToken(input.token), 'verify_email', clock.now());
        if (!token) throw invalidEmailToken();
        const updated = await repo.updateUser(tx, token.userId, { emailVerified: true });
        if (!updated) throw invalidEmailToken();
        await audit.record(
          ctx,
          { action: 'user.email_verified', entity: 'user', entityId: updated.id, actorId: updated.id },
          tx,
        );
        return updated;
      });
      return toUserDto(user);
    },

    /**
     * Always resolves the same way, whether or not the e-mail has an account: the look-up
     * and the e-mail happen after the response, so the answer and its timing tell nothing.
     */
    async requestPasswordReset(input: PasswordResetRequestInput, ctx: RequestContext): Promise<void> {
      await throttleAuth(ctx, input.email);
      // Past the address's mail limit nothing is queued, and the answer is the same.
      if (!(await mayMailAddress(counters, input.email))) return;
      // Queued whatever the address: the look-up happens in the job, so the answer tells nothing.
      await enqueue(db, { kind: SEND_PASSWORD_RESET_EMAIL, payload: { email: input.email }, runAt: clock.now() });
    },

    /**
     * Sends the verification e-mail again to an unverified account. Answers alike whatever
     * the address, and shares the per-address mail limit with password resets.
     */
    async resendVerificationEmail(input: VerifyEmailResendInput, ctx: RequestContext): Promise<void> {
      await throttleAuth(ctx, input.email);
      if (!(await mayMailAddress(counters, input.email))) return;
      await enqueue(db, { kind: RESEND_VERIFICATION_EMAIL, payload: { email: input.email }, runAt: clock.now() });
    },

    /**
     * Spends a reset token and sets the new password; every session of the account ends and
     * the other reset links die. Proves the mailbox too, so the address counts as verified.
     */
    async confirmPasswordReset(input: PasswordResetConfirmInput, ctx: RequestContext): Promise<void> {
      await throttleAuth(ctx);
      const tokenHash = hashToken(input.token);
      const live = await repo.findLiveUserToken(db, tokenHash, 'password_reset', clock.now());
      const owner = live && (await repo.findUserById(db, live.userId));
      if (!owner) throw invalidEmailToken();
      const weakness = passwordWeakness(input.password, passwordHints(owner));
      if (weakness) throw weakPassword(weakness);
      const passwordHash = await hashPassword(input.password);
      await withTransaction(db, async (tx, scope) => {
        const now = clock.now();
        // The check above was a read: only this conditional UPDATE decides who spends it.
        const token = await repo.consumeUserToken(tx, tokenHash, 'password_reset', now);
        if (!token) throw invalidEmailToken();
        await repo.updateUser(tx, token.userId, { passwordHash, emailVerified: true });
        await repo.spendUserTokens(tx, token.userId, 'password_reset', now);
        // Every session, and with them every access token issued, ends with the old password.
        await endSessions(tx, scope, token.userId, {});
        await audit.record(
          ctx,
          { action: 'auth.password_reset', entity: 'user', entityId: token.userId, actorId: token.userId },
          tx,
        );
      });
      await counters.reset(failureKey(owner.email));
    },
  };
}
