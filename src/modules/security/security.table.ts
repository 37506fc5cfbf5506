import { cidr, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Addresses and CIDR ranges refused on every route but the liveness probe. */
export const blockedIps = pgTable(
  'blocked_ips',
  {
    /** Normalised by PostgreSQL: `203.0.113.7/32`, `2001:db8::/32`. */
    range: cidr('range').primaryKey(),
    reason: text('reason'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('blocked_ips_created_at_idx').on(t.createdAt.desc(), t.range)],
);

/**
 * Requests per client address per hour, summed from every API process's counts (each
 * process adds its own every few seconds); the hourly sweep reads the last full hour.
 */
export const ipActivity = pgTable(
  'ip_activity',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    ip: text('ip').notNull(),
    requests: integer('requests').notNull().default(0),
    /** Requests to admin routes refused with 401 or 403. */
    adminProbes: integer('admin_probes').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'ip_activity_pkey', columns: [t.hour, t.ip] })],
);

/** Addresses the hourly sweep flagged: too many requests in an hour, or admin routes probed. */
export const suspiciousIps = pgTable(
  'suspicious_ips',
  {
    ip: text('ip').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    requests: integer('requests').notNull(),
    adminProbes: integer('admin_probes').notNull(),
    flaggedAt: timestamp('flagged_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'suspicious_ips_pkey', columns: [t.hour, t.ip] })],
);

export type BlockedIpRow = typeof blockedIps.$inferSelect;
export type SuspiciousIpRow = typeof suspiciousIps.$inferSelect;
