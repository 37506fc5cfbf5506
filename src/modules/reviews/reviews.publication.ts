import type { Clock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi } from '../properties/index.js';
import type { UsersApi } from '../users/index.js';
import type { PublishReviewEvent } from './reviews.events.js';
import * as repo from './reviews.repository.js';
import { toReviewDto } from './reviews.schemas.js';
import type { ReviewRow } from './reviews.table.js';

/** How many overdue reviews one publishing transaction takes (sweep and lazy reads alike). */
export const PUBLISH_BATCH = 200;
/** How many batches one sweep run publishes at most; the next run takes the rest. */
const SWEEP_MAX_BATCHES = 50;

export interface ReviewPublicationDeps {
  db: Db;
  clock: Clock;
  properties: Pick<PropertiesApi, 'addRating'>;
  users: Pick<UsersApi, 'addGuestRating'>;
  publish: PublishReviewEvent;
}

/**
 * Double-blind publication: a stay's reviews become visible together, when the second is
 * written (in its transaction) or when the review window closes (a periodic sweep, and
 * lazily before any read that would show them). Whatever path publishes a review, the
 * same transaction counts its rating (the place's figures for a guest's review, the
 * guest's rating for a host's) and publishes `review.published`, once: the UPDATE that
 * sets `published_at` only takes unpublished rows.
 */
export function createReviewPublication(deps: ReviewPublicationDeps) {
  const { db, clock, properties, users, publish } = deps;

  /**
   * Counts and announces reviews just published, inside their publishing transaction. The
   * figures' rows are updated in one global order (places by id, then guests by id), so
   * transactions publishing reviews of the same places and guests at once never deadlock.
   */
  async function published(tx: Db, rows: readonly ReviewRow[]): Promise<void> {
    for (const row of [...rows].sort(lockOrder)) {
      if (row.direction === 'guest_to_host') await properties.addRating(tx, row.propertyId, row.rating);
      else await users.addGuestRating(tx, row.guestId ?? row.authorId, row.rating);
      await publish(tx, 'review.published', {
        review: toReviewDto(row),
        propertyId: row.propertyId,
        hostId: row.hostId,
        guestId: row.guestId ?? row.authorId,
        direction: row.direction,
      });
    }
  }

  /** Publishes the overdue reviews within `scope`, a bounded batch per transaction; how many. */
  async function publishOverdueIn(scope: repo.OverdueScope, maxBatches: number): Promise<number> {
    const now = clock.now();
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const rows = await withTransaction(db, async (tx) => {
        const done = await repo.publishOverdue(tx, now, scope, PUBLISH_BATCH);
        await published(tx, done);
        return done;
      });
      total += rows.length;
      if (rows.length < PUBLISH_BATCH) break;
    }
    return total;
  }

  return {
    published,

    /** Inside the writing transaction of a review: publishes the stay's two reviews if both are now written. */
    async publishIfComplete(tx: Db, bookingId: string, now: Date): Promise<readonly ReviewRow[]> {
      const rows = await repo.publishStayIfComplete(tx, bookingId, now);
      await published(tx, rows);
      return rows;
    },

    /**
     * Before a read: publishes what is overdue within `scope`, so that readers never wait
     * for the sweep. Only a cheap existence check when nothing is (the common case).
     */
    async publishOverdueBeforeRead(scope: repo.OverdueScope): Promise<void> {
      if (!(await repo.hasOverdue(db, clock.now(), scope))) return;
      await publishOverdueIn(scope, SWEEP_MAX_BATCHES);
    },

    /** The periodic job: publishes the reviews of every stay whose window has closed, in bounded batches. */
    async publishOverdueReviews(): Promise<number> {
      return publishOverdueIn('all', SWEEP_MAX_BATCHES);
    },
  };
}

/** Places' reviews first, by place id; then guests' reviews, by guest id. */
function lockOrder(a: ReviewRow, b: ReviewRow): number {
  const key = (r: ReviewRow) =>
    r.direction === 'guest_to_host' ? `0:${r.propertyId}` : `1:${r.guestId ?? r.authorId}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

export type ReviewPublication = ReturnType<typeof createReviewPublication>;
