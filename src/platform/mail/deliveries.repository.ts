import { and, eq, sql } from 'drizzle-orm';
import { recordset } from '../db/batch.js';
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
// Once per e-mail: prepared once per database handle (Drizzle builds it once, PostgreSQL
// plans it once per connection).
const preparedInsertClaim = new WeakMap<Db, ReturnType<typeof prepareInsertClaim>>();
const prepareInsertClaim = (db: Db) =>
  db
    .insert(mailDeliveries)
    .values({
      dedupeKey: sql.placeholder('dedupeKey'),
      recipient: sql.placeholder('recipient'),
      subject: sql.placeholder('subject'),
      messageId: sql.placeholder('messageId'),
      state: 'sending',
      createdAt: sql`${sql.placeholder('at')}::timestamptz`,
    })
    .onConflictDoNothing({ target: mailDeliveries.dedupeKey })
    .returning({ key: mailDeliveries.dedupeKey })
    .prepare('claim_mail_delivery');

export async function claimDelivery(db: Db, claim: DeliveryClaim): Promise<boolean> {
  let insert = preparedInsertClaim.get(db);
  if (!insert) preparedInsertClaim.set(db, (insert = prepareInsertClaim(db)));
  const inserted = await insert.execute({ ...claim, at: claim.at.toISOString() });
  if (inserted.length > 0) return true;
  // Only one of several concurrent retries matches `state = 'failed'`.
  const reclaimed = await db
    .update(mailDeliveries)
    .set({ state: 'sending', lastError: null, recipient: claim.recipient, subject: claim.subject })
    .where(and(eq(mailDeliveries.dedupeKey, claim.dedupeKey), eq(mailDeliveries.state, 'failed')))
    .returning({ key: mailDeliveries.dedupeKey });
  return reclaimed.length > 0;
}

/** Marks many keys sent in one statement (each only while it is being sent). */
export async function markDeliveriesSent(db: Db, sent: readonly { dedupeKey: string; at: Date }[]): Promise<void> {
  if (sent.length === 0) return;
  const rows = recordset(sent.map((s) => ({ dedupe_key: s.dedupeKey, at: s.at.toISOString() })));
  await db.execute(sql`
    update ${mailDeliveries}
    set state = 'sent', sent_at = c.at, last_error = null
    from jsonb_to_recordset(${rows}::jsonb) as c(dedupe_key text, at timestamptz)
    where ${mailDeliveries.dedupeKey} = c.dedupe_key and ${mailDeliveries.state} = 'sending'`);
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
