import { z } from 'zod';
import { requireRole, type RequestContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/types.js';
import { decodeCursor, toPage, type Page } from '../../platform/pagination.js';
import { isoInstant } from '../../platform/validation.js';
import { keysetRows } from '../../platform/db/keyset.js';
import { findAuditRows, insertAuditRow } from './audit.repository.js';
import { toAuditDto, type AdminAuditEntry, type AuditEntry, type ListAuditQuery } from './audit.schemas.js';
import { locate } from '../../platform/geo.js';

export interface AuditEvent {
  action: string;
  entity: string;
  entityId?: string | null;
  /** Overrides the context's actor (e.g. a login failure has none, a login success has the user). */
  actorId?: string | null;
  detail?: Record<string, unknown>;
}

export type AuditService = ReturnType<typeof createAuditService>;

const cursorShape = z.tuple([isoInstant, z.uuid()]);

export function createAuditService(deps: { db: Db }) {
  return {
    /**
     * Writes one audit row through `tx`: the caller's transaction, so the row commits or
     * rolls back with the action it records — or, outside a transaction, the database
     * handle, passed on purpose.
     */
    async record(ctx: RequestContext, event: AuditEvent, tx: Db): Promise<void> {
      await insertAuditRow(tx, {
        actorId: event.actorId === undefined ? (ctx.actor?.id ?? null) : event.actorId,
        action: event.action,
        entity: event.entity,
        entityId: event.entityId ?? null,
        ip: ctx.ip ?? null,
        detail: event.detail ?? {},
      });
    },

    /**
     * Every row about a user, for their personal-data export: what they did (actor), then
     * what was done to their account by others or by no one (failed logins, admin actions).
     */
    async *rowsAboutUser(userId: string): AsyncGenerator<AuditEntry> {
      const keyOf = (r: { at: Date; id: string }) => ({ at: r.at, id: r.id });
      const own = keysetRows((after, limit) => findAuditRows(deps.db, { actorId: userId, after, limit }), keyOf);
      for await (const row of own) yield toAuditDto(row);
      const about = keysetRows(
        (after, limit) =>
          findAuditRows(deps.db, { about: { entity: 'user', entityId: userId, exceptActor: userId }, after, limit }),
        keyOf,
      );
      for await (const row of about) yield toAuditDto(row);
    },

    async list(query: ListAuditQuery, ctx: RequestContext): Promise<Page<AdminAuditEntry>> {
      requireRole(ctx, 'admin');
      const after = query.cursor ? decodeCursor(query.cursor, cursorShape) : undefined;
      const rows = await findAuditRows(deps.db, {
        limit: query.limit + 1,
        after: after && { at: new Date(after[0]), id: after[1] },
        action: query.action,
        actorId: query.actorId,
        entity: query.entity,
        entityId: query.entityId,
        ip: query.ip,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      });
      const page = toPage(rows, query.limit, (r) => [r.at.toISOString(), r.id], toAuditDto);
      const data = await Promise.all(page.data.map(async (e) => ({ ...e, location: await locate(e.ip) })));
      return { data, page: page.page };
    },
  };
}
