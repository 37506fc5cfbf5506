import { z } from 'zod';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { keysetRows, mapRows } from '../../platform/db/keyset.js';
import { withTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/errors.js';
import { hashToken } from '../../platform/auth/hashing.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import * as sessionsRepo from './users.sessions.repository.js';
import { toUserSessionDto, type ListSessionsQuery, type RefreshInput, type UserSession } from './users.schemas.js';
import type { UsersCommon, UsersServiceDeps } from './users.common.js';

const sessionsCursor = z.tuple([isoInstant, z.uuid()]);

/** The caller's sessions: signing out of one or all, listing and ending them, the hourly purge. */
export function createUsersSessions(deps: UsersServiceDeps, common: UsersCommon) {
  const { db, clock, audit } = deps;
  const { endSessions } = common;

  return {
    /** Revokes the session the refresh token belongs to. Idempotent: unknown tokens are ignored. */
    async logout(input: RefreshInput, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      const known = await sessionsRepo.findRefreshTokenByHash(db, hashToken(input.refreshToken));
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
      const rows = await sessionsRepo.findLiveSessions(db, actor.id, {
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

    /** The caller's live sessions (the export's `sessions` section): no token hashes. */
    sessionsOf(userId: string): AsyncGenerator<UserSession> {
      const page = (after: { createdAt: Date; id: string } | undefined, limit: number) =>
        sessionsRepo.findLiveSessions(db, userId, { now: clock.now(), limit, after });
      return mapRows(
        keysetRows(page, (r) => ({ createdAt: r.createdAt, id: r.id })),
        (r) => toUserSessionDto(r, undefined),
      );
    },

    /**
     * Deletes refresh tokens and sessions that have expired (an hourly job), in batches of
     * `batch`; returns how many rows. An expired token or session is refused anyway, so this
     * only keeps the tables small.
     */
    async purgeExpiredRefreshTokens(batch = 1_000): Promise<number> {
      let total = 0;
      for (const purge of [sessionsRepo.purgeExpiredRefreshTokens, sessionsRepo.purgeExpiredSessions]) {
        for (;;) {
          const deleted = await purge(db, clock.now(), batch);
          total += deleted;
          if (deleted < batch) break;
        }
      }
      return total;
    },
  };
}
