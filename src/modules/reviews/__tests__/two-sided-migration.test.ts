import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '#test/helpers.js';
import pg from 'pg';
import { emptyDatabase } from '#test/migrations.js';
import { migrationsFolder, type Database } from '../../../platform/db/client.js';
import { applyMigrations, readMigrations, type MigrationSession } from '../../../platform/db/migrator.js';
import { violatedConstraint } from '../../../platform/errors.js';
import * as repo from '../reviews.repository.js';
import { toReviewDto } from '../reviews.schemas.js';

// Reviews went both ways and double-blind: a database with guests' reviews written before,
// migrated, keeps every one public as of its creation, counted once in its place's figures
// (not again), and the one-review rule becomes one per booking and direction.

const LAST_BEFORE_TWO_SIDED = '0030_search_price_indexes';
let database: Database;

/**
 * The migrations up to `lastTag`, through the project's migrator (the files after 0021 may
 * run outside a transaction, which drizzle's own migrator cannot do).
 */
async function migrateThrough(lastTag: string): Promise<void> {
  const all = await readMigrations(migrationsFolder);
  const upTo = all.slice(0, all.findIndex((m) => m.tag === lastTag) + 1);
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite') {
    const lite = client as {
      query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
      exec(text: string): Promise<{ rows: Record<string, unknown>[] }[]>;
    };
    const session: MigrationSession = {
      query: async (text, params) =>
        params ? (await lite.query(text, params)).rows : ((await lite.exec(text)).at(-1)?.rows ?? []),
    };
    await applyMigrations(session, upTo);
    return;
  }
  const one = new pg.Client({ connectionString: (client as pg.Pool).options.connectionString });
  await one.connect();
  try {
    await applyMigrations({ query: (text, params) => one.query(text, params).then((r) => r.rows) }, upTo);
  } finally {
    await one.end();
  }
}

beforeAll(async () => {
  database = await emptyDatabase('two_sided_reviews');
});
afterAll(async () => {
  await database.close();
});

it('keeps existing reviews published as of their creation, counted once', async () => {
  await migrateThrough(LAST_BEFORE_TWO_SIDED);
  const db = database.db;
  const [hostId, guestId, propertyId, bookingId, reviewId] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  await db.execute(sql`
    insert into users (id, email, password_hash, first_name, last_name, role) values
      (${hostId}, 'host@example.com', 'x', 'H', 'O', 'host'),
      (${guestId}, 'guest@example.com', 'x', 'G', 'U', 'guest')`);
  // The place's figures already hold the review's rating, as the old review route left them.
  await db.execute(sql`
    insert into properties (id, host_id, title, property_type, address_line1, city, country, latitude, longitude,
                            timezone, currency, nightly_price, max_guests, status, rating_sum, rating_count)
    values (${propertyId}, ${hostId}, 'A place', 'house', '1 Main St', 'Lisbon', 'PT', 38.7, -9.1,
            'Europe/Lisbon', 'EUR', 10000, 2, 'listed', 4, 1)`);
  await db.execute(sql`
    insert into bookings (id, property_id, guest_id, host_id, check_in, check_out, guests, nights, currency,
                          cancellation_policy, timezone, nightly_price, subtotal, discount, cleaning_fee,
                          service_fee, total, status)
    values (${bookingId}, ${propertyId}, ${guestId}, ${hostId}, '2026-01-01', '2026-01-02', 1, 1, 'EUR',
            'moderate', 'Europe/Lisbon', 10000, 10000, 0, 0, 1200, 11200, 'completed')`);
  await db.execute(sql`
    insert into reviews (id, booking_id, property_id, author_id, host_id, rating, comment, created_at)
    values (${reviewId}, ${bookingId}, ${propertyId}, ${guestId}, ${hostId}, 4, 'Lovely', '2026-01-03T10:00:00Z')`);

  await database.migrate();

  const listed = await repo.listPropertyReviews(db, { propertyId, limit: 10 });
  expect(listed.map(toReviewDto)).toEqual([
    expect.objectContaining({
      id: reviewId,
      direction: 'guest_to_host',
      rating: 4,
      publishedAt: '2026-01-03T10:00:00.000Z',
    }),
  ]);
  // Nothing waits for publication, so nothing is counted again.
  expect(await repo.hasOverdue(db, new Date('2030-01-01'), 'all')).toBe(false);
  expect(await rowsOf(db, sql`select rating_sum, rating_count from properties where id = ${propertyId}`)).toEqual([
    { rating_sum: 4, rating_count: 1 },
  ]);
  expect(await rowsOf(db, sql`select guest_rating_sum, guest_rating_count from users where id = ${guestId}`)).toEqual([
    { guest_rating_sum: 0, guest_rating_count: 0 },
  ]);

  // The host may now review the guest of the same booking; a second guest's review is refused.
  const row = (direction: string) => ({
    bookingId,
    propertyId,
    authorId: direction === 'guest_to_host' ? guestId : hostId,
    hostId,
    guestId,
    direction: direction as 'guest_to_host' | 'host_to_guest',
    rating: 5,
    pending: true,
    publishBy: new Date('2026-02-01T11:00:00Z'),
  });
  await repo.insertReview(db, row('host_to_guest'));
  const refused = await repo.insertReview(db, row('guest_to_host')).catch((e: unknown) => e);
  expect(violatedConstraint(refused)).toBe('reviews_booking_direction_idx');
});
