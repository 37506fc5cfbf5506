import { and, eq, sql } from 'drizzle-orm';
import { arrayLiteral, recordset, resultRows } from '../db/batch.js';
import type { Db } from '../db/types.js';
import { mailDeliveries, type MailDeliveryRow } from './deliveries.table.js';

export interface DeliveryClaim {
  dedupeKey: string;
  recipient: string;
  subject: string;
  messageId: string;
  /** When the claim is made: a key `sending` long after it is in doubt. */
  at: Date;
  /** The outbox job whose handler sends the message, or null outside a job. */
  jobId: string | null;
}

/**
 * Claims a key for one sender: a new key, or one whose last attempt failed. Returns false
 * when the key is being sent or was sent — by this process or any other.
 */
export async function claimDelivery(db: Db, claim: DeliveryClaim): Promise<boolean> {
  const [claimed] = await claimDeliveries(db, [claim]);
  return claimed!;
}

/**
 * claimDelivery for many keys: new keys in one statement, then a retry's claim of each
 * failed one. Returns, in order, whether each claim is the caller's; a key given twice is
 * claimed (at most) by its first claim.
 */
export async function claimDeliveries(db: Db, claims: readonly DeliveryClaim[]): Promise<boolean[]> {
  if (claims.length === 0) return [];
  const rows = recordset(
    claims.map((c) => ({
      dedupe_key: c.dedupeKey,
      recipient: c.recipient,
      subject: c.subject,
      message_id: c.messageId,
      at: c.at.toISOString(),
      job_id: c.jobId,
    })),
  );
  const inserted = resultRows<{ key: string }>(
    await db.execute(sql`
      insert into ${mailDeliveries} (dedupe_key, recipient, subject, message_id, state, created_at, claimed_at, job_id)
      select dedupe_key, recipient, subject, message_id, 'sending', at, at, job_id
      from jsonb_to_recordset(${rows}::jsonb)
        as c(dedupe_key text, recipient text, subject text, message_id text, at timestamptz, job_id uuid)
      on conflict (dedupe_key) do nothing
      returning dedupe_key as key`),
  );
  const fresh = new Set(inserted.map((r) => r.key));
  const result: boolean[] = [];
  for (const claim of claims) {
    if (fresh.delete(claim.dedupeKey)) {
      result.push(true);
      continue;
    }
    // Only one of several concurrent retries matches `state = 'failed'`.
    const reclaimed = await db
      .update(mailDeliveries)
      .set({
        state: 'sending',
        lastError: null,
        recipient: claim.recipient,
        subject: claim.subject,
        claimedAt: claim.at,
        jobId: claim.jobId,
      })
      .where(and(eq(mailDeliveries.dedupeKey, claim.dedupeKey), eq(mailDeliveries.state, 'failed')))
      .returning({ key: mailDeliveries.dedupeKey });
    result.push(reclaimed.length > 0);
  }
  return result;
}

/**
 * For each key, in order, whether it is sent or being sent: a message whose key is taken
 * is not handed to the transport at all (one statement for many keys).
 */
export async function findTakenKeys(db: Db, keys: readonly string[]): Promise<boolean[]> {
  if (keys.length === 0) return [];
  const rows = resultRows<{ key: string }>(
    await db.execute(sql`
      select ${mailDeliveries.dedupeKey} as key from ${mailDeliveries}
      where ${mailDeliveries.dedupeKey} = any(${arrayLiteral(keys)}::text[])
        and ${mailDeliveries.state} in ('sending', 'sent')`),
  );
  const taken = new Set(rows.map((r) => r.key));
  return keys.map((k) => taken.has(k));
}

/** Marks many keys sent in one statement (each only while it is being sent). */
export async function markDeliveriesSent(db: Db, sent: readonly { dedupeKey: string; at: Date }[]): Promise<void> {
  if (sent.length === 0) return;
  const rows = recordset(sent.map((s) => ({ dedupe_key: s.dedupeKey, at: s.at.toISOString() })));
  await db.execute(sql`
    update ${mailDeliveries}
    set state = 'sent', sent_at = c.at, last_error = null
    from jsonb_to_recordset(${rows}::jsonb) as c(dedupe_key text, at timestamptz)
    where ${mailDeliveries.dedupeKey} = any(${arrayLiteral(sent.map((s) => s.dedupeKey))}::text[])
      and ${mailDeliveries.dedupeKey} = c.dedupe_key and ${mailDeliveries.state} = 'sending'`);
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

/**
 * Replaces an address in the delivery log (its owner closed their account); the keys stay,
 * so an e-mail already sent is still never sent twice.
 */
export async function eraseRecipient(db: Db, recipient: string, replacement: string): Promise<void> {
  await db.update(mailDeliveries).set({ recipient: replacement }).where(eq(mailDeliveries.recipient, recipient));
}
