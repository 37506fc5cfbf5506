import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { enqueue } from '../../platform/jobs/index.js';

/** The job that turns a confirmed stay into a completed one at its check-out time. */
export const COMPLETE_STAY = 'bookings.complete-stay';
export const CompleteStayPayload = z.object({ bookingId: z.uuid() });

/** Written in the confirming transaction; keyed per booking, so a second confirmation adds nothing. */
export async function enqueueStayCompletion(tx: Db, bookingId: string, checkOutAt: Date): Promise<void> {
  await enqueue(tx, {
    kind: COMPLETE_STAY,
    payload: { bookingId },
    runAt: checkOutAt,
    key: `complete-stay:${bookingId}`,
  });
}
