import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/types.js';
import { mailDeliveries, type MailDeliveryRow } from './deliveries.table.js';

export interface DeliveryClaim {
  dedupeKey: string;
  recipient: string;
  subject: string;
  messageId: string;
  at: Date;
}

/**
 * Claims a key for one sender: a new key, or one whose last attempt failed. Returns false
 * when the key is being sent or was sent — by this process or any other.
 */
export async function claimDelivery(db: Db, claim: DeliveryClaim): Promise<boolean> {
  const inserted = await db
    .insert(mailDeliveries)
    .values({ ...claim, state: 'sending', createdAt: claim.at })
    .onConflictDoNothing({ target: mailDeliveries.dedupeKey })
    .returning({ key: mailDeliveries.dedupeKey });
  if (inserted.length > 0) return true;
  // Only one of several concurrent retries matches `state = 'failed'`.
  const reclaimed = await db
    .update(mailDeliveries)
    .set({ state: 'sending', lastError: null, recipient: claim.recipient, subject: claim.subject })
    .where(and(eq(mailDeliveries.dedupeKey, claim.dedupeKey), eq(mailDeliveries.state, 'failed')))
    .returning({ key: mailDeliveries.dedupeKey });
  return reclaimed.length > 0;
}

export async function markDeliverySent(db: Db, dedupeKey: string, at: Date): Promise<void> {
  await db
    .update(mailDeliveries)
    .set({ state: 'sent', sentAt: at, lastError: null })
    .where(and(eq(mailDeliveries.dedupeKey, dedupeKey), eq(mailDeliveries.state, 'sending')));
}

export async function markDeliveryFailed(db: Db, dedupeKey: string, error: string): Promise<void> {
  await db
    .update(mailDeliveries)
    .set({ state: 'failed', lastError: error })
    .where(and(eq(mailDeliveries.dedupeKey, dedupeKey), eq(mailDeliveries.state, 'sending')));
}

export async function findDelivery(db: Db, dedupeKey: string): Promise<MailDeliveryRow | undefined> {
  const [row] = await db.select().from(mailDeliveries).where(eq(mailDeliveries.dedupeKey, dedupeKey));
  return row;
}
