import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const JOB_STATES = ['pending', 'relayed', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * The outbox: every background job is a row, written in the transaction of the change
 * that causes it. A runner claims due rows with a lease (`locked_until`), so a process
 * that dies mid-job leaves a row that becomes claimable again once the lease has passed.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<unknown>().notNull(),
    runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** At most one job per key, ever: cron ticks and once-per-event work. */
    dedupeKey: text('dedupe_key').unique('jobs_dedupe_key_key'),
    state: text('state', { enum: JOB_STATES }).notNull().default('pending'),
    /** Runs started (a claim counts, so a job that keeps killing its process still ends dead). */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    // Only unfinished rows are ever looked up by time; done and dead ones stay out of the index.
    index('jobs_due_idx')
      .on(t.state, t.runAt)
      .where(sql`state in ('pending', 'relayed')`),
    // The admin list: newest first, by keyset.
    index('jobs_created_at_id_idx').on(t.createdAt.desc(), t.id.desc()),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
