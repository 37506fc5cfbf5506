import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only record of sensitive actions. `actorId` is null for anonymous actors. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_at_id_idx').on(t.at.desc(), t.id.desc()),
    index('audit_log_actor_idx').on(t.actorId),
    // A user's personal-data export reads the rows about them (entity 'user', their id).
    index('audit_log_entity_idx').on(t.entity, t.entityId, t.at.desc(), t.id.desc()),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
