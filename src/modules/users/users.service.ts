import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, requireRole, systemContext, type Actor, type RequestContext } from '../../platform/context.js';
import { createBatcher } from '../../platform/db/batch.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { enqueue } from '../../platform/jobs/index.js';
import { AppError, mapConstraintError, notFound, unauthorized } from '../../platform/errors.js';
import {
  burnPasswordCheck,
  hashPassword,
  hashToken,
  newOpaqueToken,
  verifyPassword,
} from '../../platform/auth/hashing.js';
import type { JwtService, TokenScope } from '../../platform/auth/jwt.js';
import { accessRevokedTopic, type AccessRevoked, type LiveEvents } from '../../platform/live/live.js';
import { eraseRecipient, publicLink, renderEmail, type Mailer } from '../../platform/mail/index.js';
import { passwordWeakness } from '../../platform/auth/password-strength.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './users.repository.js';
import {
  accountClosed,
  accountSuspended,
  alreadyHost,
  cannotChangeOwnStatus,
  emailTaken,
  invalidCredentials,
  invalidEmailToken,
  invalidRefreshToken,
  refreshTokenReused,
  tooManyLoginFailures,
  usersConstraints,
  weakPassword,
  wrongPassword,
} from './users.errors.js';
import {
  toAdminUserDto,
  toPublicProfileDto,
  toUserDto,
  type AdminUpdateUserInput,
  type AdminUser,
  type AuthResult,
  type CloseAccountInput,
  type ListUsersQuery,
  type LoginInput,
  type PasswordResetConfirmInput,
  type PasswordResetRequestInput,
  type PublicProfile,
  type RefreshInput,
  type RegisterInput,
  type UpdateMeInput,
  type User,
  type VerifyEmailInput,
} from './users.schemas.js';
import type { UserRow, UserTokenPurpose } from './users.table.js';

/** Outbox job kinds of the account e-mails (their handlers are in users.jobs.ts). */
export const SEND_VERIFICATION_EMAIL = 'users.send-verification-email';
export const SEND_PASSWORD_RESET_EMAIL = 'users.send-password-reset-email';

export interface UsersServiceDeps {
  db: Db;
  /** Lock-out and auth limits: a store no cached data can evict. */
  counters: CounterStore;
  authLimits: AuthLimits;
  clock: Clock;
  jwt: JwtService;
  audit: AuditService;
  mailer: Mailer;
  /** Live events: announces ended access (accessRevokedTopic) after commit, so open sockets close. */
  publishLive: LiveEvents['publish'];
  /** Base of the links in e-mails. */
  publicUrl: string;
  refreshTokenTtlMs?: number;
}

/** Where and how to address a user's e-mail. */
export interface UserContact {
  email: string;
  firstName: string;
}

export type UsersService = ReturnType<typeof createUsersService>;

/** Calls per minute to the auth use cases (register, login, refresh) from one client address. */
export interface AuthLimits {
  perAddressPerMinute: number;
  /** …and for one e-mail from one address (register, login). */
  perEmailPerMinute: number;
}

/** 5 failed logins per e-mail in 15 minutes, then 429 until the window ends. */
const LOGIN_LOCKOUT = { max: 5, windowMs: 15 * 60_000, exceeded: tooManyLoginFailures };
const MINUTE_MS = 60_000;
const THIRTY_DAYS_MS = 30 * 24 * 3600_000;
/** Life of the single-use links sent by e-mail (verify the address, reset the password). */
export const EMAIL_TOKEN_TTL_MS = 3600_000;
const usersCursor = z.tuple([isoInstant, z.uuid()]);
/** Not a hash any password verifies against: the closed account can never sign in. */
const UNUSABLE_PASSWORD_HASH = '!closed';
/** A closed account's address: unique, never deliverable (RFC 2606 `.invalid`), freeing the real one. */
const closedAccountEmail = (userId: string) => `closed-${userId}@closed.staylane.invalid`;

export function createUsersService(deps: UsersServiceDeps) {
  const { db, counters, clock, jwt, audit, authLimits, mailer, publicUrl, publishLive } = deps;
  const refreshTtl = deps.refreshTokenTtlMs ?? THIRTY_DAYS_MS;
  const failureKey = (email: string) => `login-failures:${email}`;
  // Verification e-mails that start while one's lookup is under way share the next one.
  const issueVerifyEmailToken = createBatcher(
    (wanted: readonly { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }[]) =>
      repo.insertVerifyEmailTokens(db, wanted),
  );

  /**
   * Throttles the auth use cases in the service, so that REST and GraphQL (aliases
   * included) share one count. Calls without a client address (CLI, jobs) are not limited.
   */
  async function throttleAuth(ctx: RequestContext, email?: string): Promise<void> {
    if (!ctx.ip) return;
    await consumeLimit(counters, `auth:ip:${ctx.ip}`, { max: authLimits.perAddressPerMinute, windowMs: MINUTE_MS });
    if (email) {
      const limit = { max: authLimits.perEmailPerMinute, windowMs: MINUTE_MS };
      await consumeLimit(counters, `auth:ip-email:${ctx.ip}:${email}`, limit);
    }
  }

  async function issueTokens(user: UserRow, familyId: string = randomUUID(), tx: Db = db): Promise<AuthResult> {
    const refresh = newOpaqueToken();
    await repo.insertRefreshToken(tx, {
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(clock.now().getTime() + refreshTtl),
    });
    const accessToken = await jwt.sign({ sub: user.id, role: user.role });
    return { user: toUserDto(user), accessToken, refreshToken: refresh.token, expiresIn: jwt.expiresIn };
  }

  async function loadSelf(ctx: RequestContext): Promise<UserRow> {
    const actor = requireActor(ctx);
    const user = await repo.findUserById(db, actor.id);
    if (!user) throw unauthorized();
    return user;
  }

  async function issueEmailToken(userId: string, purpose: UserTokenPurpose) {
    const { token, hash } = newOpaqueToken();
    const now = clock.now();
    const row = await repo.insertUserToken(db, {
      userId,
      purpose,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS),
      createdAt: now,
    });
    return { id: row.id, token };
  }

  /**
   * The e-mail jobs make their token when they run, so no usable token is ever stored (the
   * outbox keeps ids and addresses only). The de-duplication key is the job's: a job that
   * runs again after its e-mail left sends nothing (its extra token is never seen and expires).
   */
  async function sendVerificationEmail(userId: string, jobId: string): Promise<void> {
    const { token, hash } = newOpaqueToken();
    const now = clock.now();
    const user = await issueVerifyEmailToken({
      userId,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + EMAIL_TOKEN_TTL_MS),
      createdAt: now,
    });
    if (!user) return;
    await mailer.send({
      to: user.email,
      dedupeKey: `verify-email:${jobId}`,
      ...renderEmail({
        subject: 'Confirm your e-mail address',
        paragraphs: [`Hello ${user.firstName},`, 'Please confirm that this is your e-mail address.'],
        action: { label: 'Confirm my e-mail', url: publicLink(publicUrl, '/verify-email', { token }) },
        footer: 'The link works once, for one hour. If you did not create a Staylane account, ignore this e-mail.',
      }),
    });
  }

  async function sendPasswordResetEmail(email: string, jobId: string): Promise<void> {
    const user = await repo.findUserByEmail(db, email);
    if (!user || user.status !== 'active') return;
    const { token } = await issueEmailToken(user.id, 'password_reset');
    await mailer.send({
      to: user.email,
      dedupeKey: `password-reset:${jobId}`,
      ...renderEmail({
        subject: 'Reset your password',
        paragraphs: [`Hello ${user.firstName},`, 'Someone asked to reset the password of your Staylane account.'],
        action: { label: 'Choose a new password', url: publicLink(publicUrl, '/reset-password', { token }) },
        footer:
          'The link works once, for one hour. If you did not ask for this, ignore this e-mail: your password stays as it is.',
      }),
    });
  }

  async function createUser(
    input: Omit<RegisterInput, 'role'> & { role: UserRow['role'] },
    tx: Db = db,
  ): Promise<UserRow> {
    const passwordHash = await hashPassword(input.password);
    try {
      return await repo.insertUser(tx, {
        email: input.email,
        passwordHash,
        firstName: input.firstName,
        lastName: input.lastName,
        phone: input.phone ?? null,
        role: input.role,
      });
    } catch (e) {
      throw mapConstraintError(e, usersConstraints);
    }
  }

  return {
    /** Job handlers: make a token and send its e-mail (see the note on sendVerificationEmail). */
    sendVerificationEmail,
    sendPasswordResetEmail,

    async register(input: RegisterInput, ctx: RequestContext): Promise<AuthResult> {
      await throttleAuth(ctx, input.email);
      if (await repo.findUserByEmail(db, input.email)) throw emailTaken();
      // The account, its audit row and its verification e-mail commit together.
      const user = await withTransaction(db, async (tx) => {
        const created = await createUser({ ...input, role: input.role ?? 'guest' }, tx);
        await audit.record(
          ctx,
          { action: 'user.registered', entity: 'user', entityId: created.id, actorId: created.id },
          tx,
        );
        await enqueue(tx, { kind: SEND_VERIFICATION_EMAIL, payload: { userId: created.id }, runAt: clock.now() });
        return created;
      });
      return issueTokens(user);
    },

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
      // Queued whatever the address: the look-up happens in the job, so the answer tells nothing.
      await enqueue(db, { kind: SEND_PASSWORD_RESET_EMAIL, payload: { email: input.email }, runAt: clock.now() });
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
      const weakness = passwordWeakness(input.password, [
        owner.email.split('@')[0] ?? '',
        owner.firstName,
        owner.lastName,
        `${owner.firstName} ${owner.lastName}`,
      ]);
      if (weakness) throw weakPassword(weakness);
      const passwordHash = await hashPassword(input.password);
      await withTransaction(db, async (tx) => {
        const now = clock.now();
        // The check above was a read: only this conditional UPDATE decides who spends it.
        const token = await repo.consumeUserToken(tx, tokenHash, 'password_reset', now);
        if (!token) throw invalidEmailToken();
        await repo.updateUser(tx, token.userId, { passwordHash, emailVerified: true });
        await repo.spendUserTokens(tx, token.userId, 'password_reset', now);
        await repo.revokeUserRefreshTokens(tx, token.userId);
        await audit.record(
          ctx,
          { action: 'auth.password_reset', entity: 'user', entityId: token.userId, actorId: token.userId },
          tx,
        );
      });
      await counters.reset(failureKey(owner.email));
    },

    async login(input: LoginInput, ctx: RequestContext): Promise<AuthResult> {
      await throttleAuth(ctx, input.email);
      // Count the attempt before checking the password: parallel attempts each get their own
      // number, so no more than LOGIN_LOCKOUT.max passwords are ever checked per window.
      const key = failureKey(input.email);
      const attempt = await consumeLimit(counters, key, LOGIN_LOCKOUT);

      const user = await repo.findUserByEmail(db, input.email);
      const ok = user
        ? await verifyPassword(user.passwordHash, input.password)
        : (await burnPasswordCheck(input.password), false);
      if (!user || !ok) {
        await audit.record(
          ctx,
          {
            action: 'auth.login_failed',
            entity: 'user',
            entityId: user?.id ?? null,
            actorId: null,
            detail: { failures: attempt },
          },
          db,
        );
        throw invalidCredentials();
      }
      if (user.status === 'closed') throw invalidCredentials();
      if (user.status === 'suspended') throw accountSuspended();
      await counters.reset(key);
      await audit.record(ctx, { action: 'auth.login', entity: 'user', entityId: user.id, actorId: user.id }, db);
      return issueTokens(user);
    },

    async refresh(input: RefreshInput, ctx: RequestContext): Promise<AuthResult> {
      await throttleAuth(ctx);
      const tokenHash = hashToken(input.refreshToken);
      const result = await withTransaction(db, async (tx) => {
        const rotated = await repo.rotateRefreshToken(tx, tokenHash);
        if (!rotated) return undefined;
        const user = await repo.findUserById(tx, rotated.userId);
        if (!user || user.status === 'closed') throw invalidRefreshToken();
        if (user.status === 'suspended') throw accountSuspended();
        return issueTokens(user, rotated.familyId, tx);
      });
      if (result) return result;

      const known = await repo.findRefreshTokenByHash(db, tokenHash);
      if (known && known.rotatedAt) {
        // A rotated token came back: someone holds a copy. End every session of the family.
        await repo.revokeRefreshTokenFamily(db, known.familyId);
        await audit.record(
          ctx,
          {
            action: 'auth.refresh_reused',
            entity: 'user',
            entityId: known.userId,
            actorId: null,
            detail: { familyId: known.familyId },
          },
          db,
        );
        throw refreshTokenReused();
      }
      throw invalidRefreshToken();
    },

    /** Revokes the session the refresh token belongs to. Idempotent: unknown tokens are ignored. */
    async logout(input: RefreshInput, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      const known = await repo.findRefreshTokenByHash(db, hashToken(input.refreshToken));
      if (known && known.userId === actor.id) {
        await repo.revokeRefreshTokenFamily(db, known.familyId);
        await audit.record(ctx, { action: 'auth.logout', entity: 'user', entityId: actor.id }, db);
      }
    },

    /**
     * Resolves a bearer token to the acting user. The user is read on every call so that a
     * suspension or role change takes effect at once, not when the token expires. A scoped
     * token (its audience) is accepted only where that scope is asked for.
     */
    async authenticate(accessToken: string, scope?: TokenScope): Promise<Actor> {
      const claims = await jwt.verify(accessToken, scope);
      if (!claims) throw unauthorized('The access token is invalid or expired.', 'invalid_token');
      const user = await repo.findUserById(db, claims.sub);
      // A closed account's tokens die with it, at once.
      if (!user || user.status === 'closed')
        throw unauthorized('The access token is invalid or expired.', 'invalid_token');
      if (user.status === 'suspended') throw accountSuspended();
      return { id: user.id, role: user.role };
    },

    async getMe(ctx: RequestContext): Promise<User> {
      return toUserDto(await loadSelf(ctx));
    },

    /** Public profiles by id (GraphQL batch loading of hosts, authors); unknown ids are left out. */
    /**
     * E-mail address and first name by user id, for other modules' e-mails (job handlers,
     * no caller). Suspended and closed accounts are left out: they receive no mail.
     */
    async getContacts(ids: readonly string[]): Promise<Map<string, UserContact>> {
      const rows = await repo.findContactsByIds(db, ids);
      return new Map(
        rows.filter((r) => r.status === 'active').map((r) => [r.id, { email: r.email, firstName: r.firstName }]),
      );
    },

    async getPublicProfiles(ids: readonly string[]): Promise<Map<string, PublicProfile>> {
      const rows = await repo.findPublicProfilesByIds(db, ids);
      return new Map(rows.map((r) => [r.id, toPublicProfileDto(r)]));
    },

    async updateMe(input: UpdateMeInput, ctx: RequestContext): Promise<User> {
      const self = await loadSelf(ctx);
      const user = await repo.updateUser(db, self.id, input);
      if (!user) throw unauthorized();
      return toUserDto(user);
    },

    /**
     * Checks the caller's own password before a grave step (closing the account): 403
     * `wrong_password` when wrong. Counted with the failed logins of the account's e-mail,
     * so guessing here spends the same 5-in-15-minutes budget (then 429).
     */
    async confirmPassword(input: CloseAccountInput, ctx: RequestContext): Promise<void> {
      const self = await loadSelf(ctx);
      const key = failureKey(self.email);
      const attempt = await consumeLimit(counters, key, LOGIN_LOCKOUT);
      if (!(await verifyPassword(self.passwordHash, input.password))) {
        await audit.record(
          ctx,
          { action: 'auth.password_check_failed', entity: 'user', entityId: self.id, detail: { failures: attempt } },
          db,
        );
        throw wrongPassword();
      }
      await counters.reset(key);
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
        await repo.revokeUserRefreshTokens(tx, userId);
        await repo.deleteUserTokens(tx, userId);
        await audit.record(ctx, { action: 'user.closed', entity: 'user', entityId: userId, actorId: userId }, tx);
        scope.afterCommit(() => publishLive(accessRevokedTopic(userId), {} satisfies AccessRevoked));
      });
    },

    /** The caller's profile as stored (the export's `profile` section): no password hash. */
    async *profileOf(userId: string): AsyncGenerator<AdminUser> {
      const user = await repo.findUserById(db, userId);
      if (user) yield toAdminUserDto(user);
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
      const user = await withTransaction(db, async (tx, { afterCommit }) => {
        const updated = await repo.updateUserStatusUnlessClosed(tx, id, input.status);
        if (!updated) throw (await repo.findUserById(tx, id)) ? accountClosed() : notFound('user');
        // A suspended user's sessions end now; access tokens are refused by authenticate(),
        // and every API process closes the user's open sockets.
        if (input.status === 'suspended') {
          await repo.revokeUserRefreshTokens(tx, id);
          afterCommit(() => publishLive(accessRevokedTopic(id), {} satisfies AccessRevoked));
        }
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
     * Deletes refresh tokens that have expired (an hourly job), in batches of `batch`;
     * returns how many. An expired token is refused anyway, so this only keeps the table small.
     */
    async purgeExpiredRefreshTokens(batch = 1_000): Promise<number> {
      let total = 0;
      for (;;) {
        const deleted = await repo.purgeExpiredRefreshTokens(db, clock.now(), batch);
        total += deleted;
        if (deleted < batch) return total;
      }
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
        const user = await createUser({ email, password: input.password, firstName, lastName, role: 'admin' });
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
