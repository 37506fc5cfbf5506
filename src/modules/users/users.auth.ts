import { z } from 'zod';
import { consumeLimit } from '../../platform/cache/counters.js';
import type { Actor, RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { enqueue } from '../../platform/jobs/index.js';
import {
  burnPasswordCheck,
  hashPassword,
  hashToken,
  newOpaqueToken,
  verifyPassword,
} from '../../platform/auth/hashing.js';
import type { TokenScope } from '../../platform/auth/jwt.js';
import * as repo from './users.repository.js';
import * as sessionsRepo from './users.sessions.repository.js';
import {
  accountSuspended,
  emailTaken,
  invalidAccessToken,
  invalidCredentials,
  invalidRefreshToken,
  refreshTokenReused,
  sessionEnded,
} from './users.errors.js';
import { SEND_VERIFICATION_EMAIL } from './users.mail.js';
import type { AuthResult, LoginInput, RefreshInput, RegisterInput } from './users.schemas.js';
import { createUser, failureKey, LOGIN_LOCKOUT, type UsersCommon, type UsersServiceDeps } from './users.common.js';

const uuid = z.uuid();

/** Signing up and in: registration, password login, refresh-token rotation, bearer tokens. */
export function createUsersAuth(deps: UsersServiceDeps, common: UsersCommon) {
  const { db, counters, clock, jwt, audit } = deps;
  const { throttleAuth, startSession, tokenPair, endSessions, refreshTtl } = common;

  /** A rotated token came back: someone holds a copy. End the session, access tokens included. */
  async function endReusedSession(known: { userId: string; familyId: string }, ctx: RequestContext) {
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
  }

  return {
    async register(input: RegisterInput, ctx: RequestContext): Promise<AuthResult> {
      await throttleAuth(ctx, input.email);
      if (await repo.findUserByEmail(db, input.email)) throw emailTaken();
      const { password, ...profile } = input;
      const passwordHash = await hashPassword(password);
      // The account, its audit row and its verification e-mail commit together.
      const user = await withTransaction(db, async (tx) => {
        const created = await createUser(tx, { ...profile, passwordHash, role: input.role ?? 'guest' });
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
        const rotated = await sessionsRepo.rotateRefreshToken(tx, tokenHash);
        if (!rotated) return undefined;
        const user = await repo.findUserById(tx, rotated.userId);
        if (!user || user.status === 'closed') throw invalidRefreshToken();
        if (user.status === 'suspended') throw accountSuspended();
        // Rotation keeps the session: it is marked used (the only place it is: not every call).
        const refresh = newOpaqueToken();
        const expiresAt = new Date(clock.now().getTime() + refreshTtl);
        const session = await sessionsRepo.touchSession(tx, rotated.familyId, {
          expiresAt,
          ip: ctx.ip ?? null,
          userAgent: ctx.userAgent ?? null,
        });
        if (!session) throw invalidRefreshToken();
        await sessionsRepo.insertRefreshToken(tx, {
          userId: user.id,
          familyId: session.id,
          tokenHash: refresh.hash,
          expiresAt,
        });
        return tokenPair(user, session.id, refresh.token);
      });
      if (result) return result;

      const known = await sessionsRepo.findRefreshTokenByHash(db, tokenHash);
      if (known && known.rotatedAt) {
        await endReusedSession(known, ctx);
        throw refreshTokenReused();
      }
      throw invalidRefreshToken();
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
      const found = await sessionsRepo.findUserAndSession(db, claims.sub, claims.sid);
      if (!found) throw invalidAccessToken();
      // A closed account's tokens die with it, at once.
      if (found.status === 'closed') throw invalidAccessToken();
      if (found.status === 'suspended') throw accountSuspended();
      if (!found.sessionLive) throw sessionEnded();
      return { id: found.id, role: found.role, sessionId: claims.sid };
    },
  };
}
