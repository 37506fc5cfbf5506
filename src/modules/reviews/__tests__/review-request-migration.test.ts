import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '#test/helpers.js';
import { emptyDatabase, migrateUpTo } from '#test/migrations.js';
import type { Database } from '../../../platform/db/client.js';

// The review request was a bookings e-mail before the reviews module took it over: queued
// rows of the old shape, not yet run, become jobs of the new kind; finished ones stay as they were.

const LAST_BEFORE_MOVE = '0016_reviews';
let database: Database;

beforeAll(async () => {
  database = await emptyDatabase('review_request');
});
afterAll(async () => {
  await database.close();
});

it('gives unfinished review requests of the bookings e-mail kind to the reviews module', async () => {
  await migrateUpTo(database, LAST_BEFORE_MOVE);
  const [pending, dead, done, held] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const oldRow = (id: string, email: string, state: string) =>
    sql`(${id}, 'bookings.send-email', ${JSON.stringify({ email, bookingId: id })}::jsonb, ${state}, ${`job:${email}:${id}`})`;
  await database.db.execute(sql`
    insert into jobs (id, kind, payload, state, dedupe_key) values
      ${oldRow(pending, 'review-request', 'pending')}, ${oldRow(dead, 'review-request', 'dead')},
      ${oldRow(done, 'review-request', 'done')}, ${oldRow(held, 'booking-held', 'pending')}`);

  await database.migrate();

  const rows = await rowsOf<{ id: string; kind: string; payload: unknown; dedupe_key: string }>(
    database.db,
    sql`select id, kind, payload, dedupe_key from jobs`,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of [pending, dead]) {
    expect(byId.get(id)).toEqual({
      id,
      kind: 'reviews.send-review-request',
      payload: { bookingId: id },
      dedupe_key: `job:review-request:${id}`,
    });
  }
  expect(byId.get(done)).toMatchObject({
    kind: 'bookings.send-email',
    payload: { email: 'review-request', bookingId: done },
  });
  expect(byId.get(held)).toMatchObject({
    kind: 'bookings.send-email',
    payload: { email: 'booking-held', bookingId: held },
  });
});
