import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { withTransaction, type TransactionScope } from '../../platform/db/transaction.js';
import { mapConstraintError, unauthorized } from '../../platform/errors.js';
import { newOpaqueToken, verifyPassword } from '../../platform/auth/hashing.js';
import type { JwtService } from '../../platform/auth/jwt.js';
import { accessRevokedTopic, type AccessRevoked, type LiveEvents } from '../../platform/live/live.js';
import type { Mailer } from '../../platform/mail/index.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './users.repository.js';
import * as sessionsRepo from './users.sessions.repository.js';
import { tooManyLoginFailures, usersConstraints, wrongPassword } from './users.errors.js';
import { toUserDto, type AuthResult, type RegisterInput } from './users.schemas.js';
import type { UserRow } from './users.table.js';

// What the users' use cases share: their dependencies, the auth throttle, sign-in,
// the own-password check and the ending of sessions.

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

/** Calls per minute to the auth use cases (register, login, refresh) from one client address. */
export interface AuthLimits {
  perAddressPerMinute: number;
  /** …and for one e-mail from one address (register, login). */
  perEmailPerMinute: number;
}

/** 5 failed logins per e-mail in 15 minutes, then 429 until the window ends. */
export const LOGIN_LOCKOUT = { max: 5, windowMs: 15 * 60_000, exceeded: tooManyLoginFailures };
const MINUTE_MS = 60_000;
const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

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
export type SessionsToEnd = { sessionId: string } | { exceptSessionId?: string };

/** The failed-login counter of an e-mail (logins and own-password checks share it). */
export const failureKey = (email: string) => `login-failures:${email}`;

/** The words a password must not be built on: the account's own name and e-mail. */
export const passwordHints = (user: Pick<UserRow, 'email' | 'firstName' | 'lastName'>) => [
  user.email.split('@')[0] ?? '',
  user.firstName,
  user.lastName,
  `${user.firstName} ${user.lastName}`,
];

/**
 * Counts a mail to `address` that someone other than its owner may have asked for, and
 * says whether it may leave (MAIL_TO_ADDRESS_LIMITS). Counted whether or not the address
 * has an account, so the count tells nothing either.
 */
export async function mayMailAddress(counters: CounterStore, address: string): Promise<boolean> {
  const to = address.trim().toLowerCase();
  for (const limit of MAIL_TO_ADDRESS_LIMITS) {
    const { count } = await counters.increment(`mail-to:${limit.name}:${to}`, limit.windowMs);
    if (count > limit.max) return false;
  }
  return true;
}

/**
 * Inserts the user with a password hashed beforehand (`hashPassword`): the hash takes tens
 * of milliseconds of CPU, which must not be spent inside a transaction holding a connection.
 */
export async function createUser(
  db: Db,
  input: Omit<RegisterInput, 'role' | 'password'> & { role: UserRow['role']; passwordHash: string },
): Promise<UserRow> {
  try {
    return await repo.insertUser(db, {
      email: input.email,
      passwordHash: input.passwordHash,
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone ?? null,
      role: input.role,
    });
  } catch (e) {
    throw mapConstraintError(e, usersConstraints);
  }
}

export type UsersCommon = ReturnType<typeof createUsersCommon>;

export function createUsersCommon(deps: UsersServiceDeps) {
  const { db, counters, clock, jwt, audit, authLimits, publishLive } = deps;
  const refreshTtl = deps.refreshTokenTtlMs ?? THIRTY_DAYS_MS;

  /** The access token names the session, so that it stops working when the session ends. */
  async function tokenPair(user: UserRow, sessionId: string, refreshToken: string): Promise<AuthResult> {
    const accessToken = await jwt.sign({ sub: user.id, role: user.role, sid: sessionId });
    return { user: toUserDto(user), accessToken, refreshToken, expiresIn: jwt.expiresIn };
  }

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

  /** A sign-in: a new session, seen from the caller's address and user agent, and its first tokens. */
  async function startSession(user: UserRow, ctx: RequestContext): Promise<AuthResult> {
    const refresh = newOpaqueToken();
    const expiresAt = new Date(clock.now().getTime() + refreshTtl);
    const session = await withTransaction(db, async (tx) => {
      const created = await sessionsRepo.insertSession(tx, {
        userId: user.id,
        expiresAt,
        ip: ctx.ip ?? null,
        userAgent: ctx.userAgent ?? null,
      });
      await sessionsRepo.insertRefreshToken(tx, {
        userId: user.id,
        familyId: created.id,
        tokenHash: refresh.hash,
        expiresAt,
      });
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
    const ended = await sessionsRepo.revokeSessions(tx, userId, which);
    if (ended.length === 0) return ended;
    // Every session but one: name each, so that the caller's own sockets stay open.
    const events: AccessRevoked[] =
      'sessionId' in which || which.exceptSessionId ? ended.map((sessionId) => ({ sessionId })) : [{}];
    scope.afterCommit(async () => {
      for (const event of events) await publishLive(accessRevokedTopic(userId), { ...event });
    });
    return ended;
  }

  async function loadSelf(ctx: RequestContext): Promise<UserRow> {
    const actor = requireActor(ctx);
    const user = await repo.findUserById(db, actor.id);
    if (!user) throw unauthorized();
    return user;
  }

  return { refreshTtl, tokenPair, throttleAuth, startSession, checkOwnPassword, endSessions, loadSelf };
}
