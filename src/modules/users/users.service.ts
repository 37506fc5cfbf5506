import { z } from 'zod';
import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, requireRole, systemContext, type Actor, type RequestContext } from '../../platform/context.js';
import { createBatcher } from '../../platform/db/batch.js';
import type { Db } from '../../platform/db/types.js';
import { keysetRows, mapRows } from '../../platform/db/keyset.js';
import { withTransaction, type TransactionScope } from '../../platform/db/transaction.js';
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
  invalidAccessToken,
  invalidRefreshToken,
  refreshTokenReused,
  sessionEnded,
  tooManyLoginFailures,
  usersConstraints,
  weakPassword,
  wrongPassword,
} from './users.errors.js';
import {
  toAdminUserDto,
  toPublicProfileDto,
  toUserDto,
  toUserSessionDto,
  type AdminUpdateUserInput,
  type AdminUser,
  type AuthResult,
  type CloseAccountInput,
  type ChangePasswordInput,
  type ListSessionsQuery,
  type ListUsersQuery,
  type LoginInput,
  type PasswordResetConfirmInput,
  type PasswordResetRequestInput,
  type PublicProfile,
  type RefreshInput,
  type RegisterInput,
  type UpdateMeInput,
  type User,
  type UserSession,
  type VerifyEmailInput,
  type VerifyEmailResendInput,
} from './users.schemas.js';
import type { UserRow, UserTokenPurpose } from './users.table.js';

/** Outbox job kinds of the account e-mails (their handlers are in users.jobs.ts). */
export const SEND_VERIFICATION_EMAIL = 'users.send-verification-email';
export const SEND_PASSWORD_RESET_EMAIL = 'users.send-password-reset-email';
export const RESEND_VERIFICATION_EMAIL = 'users.resend-verification-email';

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
const sessionsCursor = usersCursor;
const uuid = z.uuid();

/**
 * Mail that anyone can make us send to an address (a reset link, a verification resend):
 * at most one per 2 minutes and 5 per 24 hours for one address, whatever the number of
 * requesting clients. Fixed windows that open with the first mail; the second is checked
 * only once the first lets a mail through, so refused requests do not use up the day.
 */
export const MAIL_TO_ADDRESS_LIMITS = [
  { name: '2m', max: 1, windowMs: 2 * 60_000 },
  { name: '24h', max: 5, windowMs: 24 * 3600_000 },
] as const;

/** Which sessions of a user to end: one, or every one but (optionally) the caller's own. */
type SessionsToEnd = { sessionId: string } | { exceptSessionId?: string };

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

  /** The access token names the session, so that it stops working when the session ends. */
  async function tokenPair(user: UserRow, sessionId: string, refreshToken: string): Promise<AuthResult> {
    const accessToken = await jwt.sign({ sub: user.id, role: user.role, sid: sessionId });
    return { user: toUserDto(user), accessToken, refreshToken, expiresIn: jwt.expiresIn };
  }

  /** A sign-in: a new session, seen from the caller's address and user agent, and its first tokens. */
  async function startSession(user: UserRow, ctx: RequestContext): Promise<AuthResult> {
    const refresh = newOpaqueToken();
    const expiresAt = new Date(clock.now().getTime() + refreshTtl);
    const session = await withTransaction(db, async (tx) => {
      const created = await repo.insertSession(tx, {
        userId: user.id,
        expiresAt,
        ip: ctx.ip ?? null,
        userAgent: ctx.userAgent ?? null,
      });
      await repo.insertRefreshToken(tx, { userId: user.id, familyId: created.id, tokenHash: refresh.hash, expiresAt });
      return created;
    });
    return tokenPair(user, session.id, refresh.token);
  }

  /**
   * Checks the caller's own password before a grave step (changing it, closing the account):
   * 403 `wrong_password` naming `path` when wrong. Counted with the failed logins of the
   * account's e-mail, so guessing here spends the same 5-in-15-minutes budget (then 429).
   */
  async function checkOwnPassword(
    self: UserRow,
    password: string,
    path: 'password' | 'currentPassword',
    failedAction: string,
    ctx: RequestContext,
  ): Promise<void> {
    const key = failureKey(self.email);
    const attempt = await consumeLimit(counters, key, LOGIN_LOCKOUT);
    if (await verifyPassword(self.passwordHash, password)) return counters.reset(key);
    await audit.record(
      ctx,
      { action: failedAction, entity: 'user', entityId: self.id, detail: { failures: attempt } },
      db,
    );
    throw wrongPassword(path);
  }

  /**
   * Ends sessions of `userId` within the caller's transaction and, once it commits, tells the
   * API processes so that open sockets of those sessions close. Returns the ids it ended.
   */
  async function endSessions(tx: Db, scope: TransactionScope, userId: string, which: SessionsToEnd) {
    const ended = await repo.revokeSessions(tx, userId, which);
    if (ended.length === 0) return ended;
    // Every session but one: name each, so that the caller's own sockets stay open.
    const events: AccessRevoked[] =
      'sessionId' in which || which.exceptSessionId ? ended.map((sessionId) => ({ sessionId })) : [{}];
    scope.afterCommit(async () => {
      for (const event of events) await publishLive(accessRevokedTopic(userId), { ...event });
    });
    return ended;
  }

  /**
   * Counts a mail to `address` that someone other than its owner may have asked for, and
   * says whether it may leave (MAIL_TO_ADDRESS_LIMITS). Counted whether or not the address
   * has an account, so the count tells nothing either.
   */
  async function mayMailAddress(address: string): Promise<boolean> {
    const to = address.trim().toLowerCase();
    for (const limit of MAIL_TO_ADDRESS_LIMITS) {
      const { count } = await counters.increment(`mail-to:${limit.name}:${to}`, limit.windowMs);
      if (count > limit.max) return false;
    }
    return true;
  }

  /** The words a password must not be built on: the account's own name and e-mail. */
  const passwordHints = (user: Pick<UserRow, 'email' | 'firstName' | 'lastName'>) => [
    user.email.split('@')[0] ?? '',
    user.firstName,
    user.lastName,
    `${user.firstName} ${user.lastName}`,
  ];

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
      return startSession(user, ctx);
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
      // Past the address's mail limit nothing is queued, and the answer is the same.
      if (!(await mayMailAddress(input.email))) return;
      // Queued whatever the address: the look-up happens in the job, so the answer tells nothing.
      await enqueue(db, { kind: SEND_PASSWORD_RESET_EMAIL, payload: { email: input.email }, runAt: clock.now() });
    },

    /**
     * Sends the verification e-mail again to an unverified account. Answers alike whatever
     * the address, and shares the per-address mail limit with password resets.
     */
    async resendVerificationEmail(input: VerifyEmailResendInput, ctx: RequestContext): Promise<void> {
      await throttleAuth(ctx, input.email);
      if (!(await mayMailAddress(input.email))) return;
      await enqueue(db, { kind: RESEND_VERIFICATION_EMAIL, payload: { email: input.email }, runAt: clock.now() });
    },

    /** Job handler of a resend: nothing for an unknown, verified or suspended account. */
    async resendVerificationEmailTo(email: string, jobId: string): Promise<void> {
      const user = await repo.findUserByEmail(db, email);
      if (!user || user.emailVerified || user.status === 'suspended') return;
      await sendVerificationEmail(user.id, jobId);
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
      return startSession(user, ctx);
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
        // Rotation keeps the session: it is marked used (the only place it is: not every call).
        const refresh = newOpaqueToken();
        const expiresAt = new Date(clock.now().getTime() + refreshTtl);
        const session = await repo.touchSession(tx, rotated.familyId, {
          expiresAt,
          ip: ctx.ip ?? null,
          userAgent: ctx.userAgent ?? null,
        });
        if (!session) throw invalidRefreshToken();
        await repo.insertRefreshToken(tx, {
          userId: user.id,
          familyId: session.id,
          tokenHash: refresh.hash,
          expiresAt,
        });
        return tokenPair(user, session.id, refresh.token);
      });
      if (result) return result;

      const known = await repo.findRefreshTokenByHash(db, tokenHash);
      if (known && known.rotatedAt) {
        // A rotated token came back: someone holds a copy. End the session, access tokens included.
        await withTransaction(db, async (tx, scope) => {
          await endSessions(tx, scope, known.userId, { sessionId: known.familyId });
          await audit.record(
            ctx,
            {
              action: 'auth.refresh_reused',
              entity: 'user',
              entityId: known.userId,
              actorId: null,
              detail: { sessionId: known.familyId },
            },
            tx,
          );
        });
        throw refreshTokenReused();
      }
      throw invalidRefreshToken();
    },

    /** Revokes the session the refresh token belongs to. Idempotent: unknown tokens are ignored. */
    async logout(input: RefreshInput, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      const known = await repo.findRefreshTokenByHash(db, hashToken(input.refreshToken));
      if (known && known.userId === actor.id) {
        await withTransaction(db, async (tx, scope) => {
          await endSessions(tx, scope, actor.id, { sessionId: known.familyId });
          await audit.record(ctx, { action: 'auth.logout', entity: 'user', entityId: actor.id }, tx);
        });
      }
    },

    /** Ends every session of the caller, this one included; their access tokens stop at once. */
    async logoutAll(ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      await withTransaction(db, async (tx, scope) => {
        const ended = await endSessions(tx, scope, actor.id, {});
        await audit.record(
          ctx,
          { action: 'auth.logout_all', entity: 'user', entityId: actor.id, detail: { sessions: ended.length } },
          tx,
        );
      });
    },

    /** The caller's live sessions, newest first. */
    async listSessions(query: ListSessionsQuery, ctx: RequestContext): Promise<Page<UserSession>> {
      const actor = requireActor(ctx);
      const after = query.cursor ? decodeCursor(query.cursor, sessionsCursor) : undefined;
      const rows = await repo.findLiveSessions(db, actor.id, {
        now: clock.now(),
        limit: query.limit + 1,
        after: after && { createdAt: new Date(after[0]), id: after[1] },
      });
      return toPage(
        rows,
        query.limit,
        (r) => [r.createdAt.toISOString(), r.id],
        (r) => toUserSessionDto(r, actor.sessionId),
      );
    },

    /** Ends one of the caller's sessions (404 for another user's or an unknown one). */
    async endSession(sessionId: string, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      await withTransaction(db, async (tx, scope) => {
        const ended = await endSessions(tx, scope, actor.id, { sessionId });
        if (ended.length === 0) throw notFound('session');
        await audit.record(
          ctx,
          { action: 'auth.session_ended', entity: 'user', entityId: actor.id, detail: { sessionId } },
          tx,
        );
      });
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

    /**
     * Resolves a bearer token to the acting user. The user and the token's session are read
     * on every call (one statement, two primary keys) so that a suspension, a role change or
     * an ended session takes effect at once, not when the token expires. A scoped token (its
     * audience) is accepted only where that scope is asked for.
     *
     * A token without a session (`sid`) is refused, scoped or not: only tokens issued before
     * sessions existed lack one, and they are at most 15 minutes old. Their clients refresh
     * (the migration made every refresh-token family a session) and get one that names it;
     * accepting them would keep open, for those 15 minutes, the very gap sessions close.
     * The queue board's cookie names the session of the token it was traded for.
     */
    async authenticate(accessToken: string, scope?: TokenScope): Promise<Actor> {
      const claims = await jwt.verify(accessToken, scope);
      if (!claims?.sid || !uuid.safeParse(claims.sid).success || !uuid.safeParse(claims.sub).success) {
        throw invalidAccessToken();
      }
      const found = await repo.findUserAndSession(db, claims.sub, claims.sid);
      if (!found) throw invalidAccessToken();
      // A closed account's tokens die with it, at once.
      if (found.status === 'closed') throw invalidAccessToken();
      if (found.status === 'suspended') throw accountSuspended();
      if (!found.sessionLive) throw sessionEnded();
      return { id: found.id, role: found.role, sessionId: claims.sid };
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

    /** The caller's live sessions (the export's `sessions` section): no token hashes. */
    sessionsOf(userId: string): AsyncGenerator<UserSession> {
      const page = (after: { createdAt: Date; id: string } | undefined, limit: number) =>
        repo.findLiveSessions(db, userId, { now: clock.now(), limit, after });
      return mapRows(
        keysetRows(page, (r) => ({ createdAt: r.createdAt, id: r.id })),
        (r) => toUserSessionDto(r, undefined),
      );
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
     * Deletes refresh tokens and sessions that have expired (an hourly job), in batches of
     * `batch`; returns how many rows. An expired token or session is refused anyway, so this
     * only keeps the tables small.
     */
    async purgeExpiredRefreshTokens(batch = 1_000): Promise<number> {
      let total = 0;
      for (const purge of [repo.purgeExpiredRefreshTokens, repo.purgeExpiredSessions]) {
        for (;;) {
          const deleted = await purge(db, clock.now(), batch);
          total += deleted;
          if (deleted < batch) break;
        }
      }
      return total;
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
