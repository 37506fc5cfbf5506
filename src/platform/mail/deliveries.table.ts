import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const MAIL_DELIVERY_STATES = ['sending', 'sent', 'failed'] as const;

/**
 * One row per de-duplication key: the claim that makes every e-mail leave at most once.
 * A key is claimed (`sending`) once the transport is ready to send it (for SMTP: a
 * connection is open); `sent` is final, `failed` may be claimed again by a retry. A key
 * `sending` long after its claim is in doubt, until an admin resolves it.
 */
export const mailDeliveries = pgTable(
  'mail_deliveries',
  {
    dedupeKey: text('dedupe_key').primaryKey(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    state: text('state', { enum: MAIL_DELIVERY_STATES }).notNull(),
    messageId: text('message_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    /** When the current (or last) sender claimed the key: a key `sending` long past it is in doubt. */
    claimedAt: timestamp('claimed_at', { withTimezone: true, precision: 3 }),
    /** The outbox job whose handler claimed the key, so an admin can send it again. */
    jobId: uuid('job_id'),
  },
  (t) => [
    index('mail_deliveries_created_at_idx').on(t.createdAt),
    // Closing an account erases its address from the log.
    index('mail_deliveries_recipient_idx').on(t.recipient),
    // Keys in doubt (claimed long ago, still `sending`) are found without reading the log.
    index('mail_deliveries_sending_idx')
      .on(t.claimedAt)
      .where(sql`${t.state} = 'sending'`),
  ],
);

export type MailDeliveryRow = typeof mailDeliveries.$inferSelect;
