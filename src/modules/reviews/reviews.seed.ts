import { randomUUID } from 'node:crypto';
import type { BookingsSeeded } from '../bookings/index.js';
import { addPropertyRatingsBulk } from '../properties/index.js';
import { createRandom, deriveSeed, type Random } from '../../platform/seeding/random.js';
import { DAY_MS, type SeedRun } from '../../platform/seeding/run.js';
import { REVIEW_WINDOW_DAYS } from './reviews.policy.js';
import { insertReviewsBulk } from './reviews.repository.js';
import type { NewReviewRow } from './reviews.table.js';

export interface ReviewsSeeded {
  counts: { reviews?: number; hostResponses?: number };
  summary: string;
}

/** Share of completed stays their guest reviews, and of reviews their host answers. */
const REVIEWED_SHARE = 0.65;
const ANSWERED_SHARE = 0.4;
const HOUR_MS = 3_600_000;

const RATINGS: readonly (readonly [number, number])[] = [
  [5, 52],
  [4, 30],
  [3, 10],
  [2, 5],
  [1, 3],
];
const COMMENTS: Readonly<Record<number, readonly string[]>> = {
  5: [
    'Spotless, quiet and exactly as pictured. We would stay again in a heartbeat.',
    'A wonderful stay: great location, comfortable beds and a very thoughtful host.',
    'Everything we needed and more. Check-in was effortless.',
    'Lovely light-filled place; the neighbourhood cafés were a bonus.',
  ],
  4: [
    'Very good stay overall. The kitchen could use a few more pans.',
    'Comfortable and well located; a little street noise at night.',
    'Nice place and a responsive host. Wi-Fi was a bit slow.',
  ],
  3: ['Decent for the price, but not quite as clean as we hoped.', 'The location was great; the bed less so.'],
  2: ['The photos flatter the place. Check-in instructions arrived late.', 'Noisy and the shower barely worked.'],
  1: ['Not as described, and the host was hard to reach.'],
};
const RESPONSES: Readonly<Record<number, readonly string[]>> = {
  5: ['Thank you so much, you are welcome back any time!', 'What a kind review, thanks for looking after the place.'],
  4: ['Thanks for the feedback! New pans are on their way.', 'Thank you, glad you enjoyed the stay.'],
  3: ['Thanks for the honest review; we have spoken to our cleaners.'],
  2: ['Sorry to hear that. We have fixed the shower and now send instructions a day ahead.'],
  1: ['We are sorry the stay fell short; please reach out so we can make it right.'],
};

const number = new Intl.NumberFormat('en-US');

/**
 * A demo's reviews: on about two thirds of the sampled completed stays (every one of the
 * showcase guest's), written within the review window after check-out, with the host's
 * response on some of them (always on one of the showcase host's), and each rating added
 * to its place's figures as a review written through the API would. Off outside a demo.
 */
export async function seedReviews(run: SeedRun, seeded: { bookings: BookingsSeeded }): Promise<ReviewsSeeded> {
  if (!run.demo) return { counts: {}, summary: '' };
  const { showcase, stays = [] } = seeded.bookings;
  const rng = createRandom(deriveSeed(run.seed, 5));
  const rows: NewReviewRow[] = [];
  let hostAnswered = false;
  for (const stay of stays) {
    if (stay.status !== 'completed') continue;
    const mine = stay.guestId === showcase?.guestId;
    if (!rng.chance(REVIEWED_SHARE) && !mine) continue;
    const latest = Math.min(run.nowMs - HOUR_MS, stay.checkOutMs + REVIEW_WINDOW_DAYS * DAY_MS - HOUR_MS);
    const earliest = stay.checkOutMs + 11 * HOUR_MS;
    if (latest <= earliest) continue;
    const createdAtMs = earliest + Math.floor(rng.next() * Math.min(latest - earliest, 10 * DAY_MS));
    const rating = rng.weighted(RATINGS);
    const answer = rng.chance(ANSWERED_SHARE) || (stay.hostId === showcase?.hostId && !hostAnswered);
    const respondedAtMs = Math.min(createdAtMs + rng.int(1, 72) * HOUR_MS, run.nowMs - 1000);
    if (answer && stay.hostId === showcase?.hostId) hostAnswered = true;
    rows.push({
      id: randomUUID(),
      bookingId: stay.id,
      propertyId: stay.propertyId,
      authorId: stay.guestId,
      hostId: stay.hostId,
      guestId: stay.guestId,
      direction: 'guest_to_host',
      rating,
      comment: pickText(rng, COMMENTS, rating),
      hostResponse: answer ? pickText(rng, RESPONSES, rating) : null,
      hostRespondedAt: answer ? new Date(respondedAtMs) : null,
      createdAt: new Date(createdAtMs),
      // Demo reviews of past stays: published as written (as if both sides had reviewed).
      publishedAt: new Date(createdAtMs),
    });
  }
  run.progress({ phase: 'reviews', done: 0, total: rows.length });
  for (let i = 0; i < rows.length; i += run.batchSize) {
    await insertReviewsBulk(run.db, rows.slice(i, i + run.batchSize));
    run.progress({ phase: 'reviews', done: Math.min(i + run.batchSize, rows.length), total: rows.length });
  }
  await addPropertyRatingsBulk(run.db, ratingsByPlace(rows));
  const responses = rows.filter((r) => r.hostResponse).length;
  return {
    counts: { reviews: rows.length, hostResponses: responses },
    summary: `${number.format(rows.length)} reviews (${number.format(responses)} answered)`,
  };
}

const pickText = (rng: Random, texts: Readonly<Record<number, readonly string[]>>, rating: number) =>
  rng.pick(texts[rating] ?? texts[3]!);

function ratingsByPlace(rows: readonly NewReviewRow[]) {
  const byPlace = new Map<string, { propertyId: string; sum: number; count: number }>();
  for (const r of rows) {
    const place = byPlace.get(r.propertyId) ?? { propertyId: r.propertyId, sum: 0, count: 0 };
    place.sum += r.rating;
    place.count++;
    byPlace.set(r.propertyId, place);
  }
  return [...byPlace.values()];
}
