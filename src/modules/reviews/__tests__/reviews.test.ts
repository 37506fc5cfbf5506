import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, register, rowsOf, type Session, type TestApp } from '#test/helpers.js';
import { completedStays } from '#test/factories/bookings.js';
import { address, createProperty, search, uniqueCity } from '#test/factories/properties.js';
import type { Property } from '../../properties/index.js';
import type { PublicReview, Review } from '../reviews.schemas.js';

// Reviews over REST: who may review what and when, the place's exact
// rating figures under concurrent reviews, the host's one response and the public list.
// A stay's reviews publish once both sides have written theirs (double-blind: see
// double-blind.test.ts), so most cases here have the host review the guest as well.

let t: TestApp;
let base: string;
let host: Session;
let otherHost: Session;
let guest: Session;
let stranger: Session;

beforeAll(async () => {
  t = await createTestApp();
  // Real HTTP, so that concurrent requests are concurrent connections to the server.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  [host, otherHost, guest, stranger] = await Promise.all([
    register(t.app, { role: 'host' }),
    register(t.app, { role: 'host' }),
    register(t.app, { firstName: 'Rosa' }),
    register(t.app),
  ]);
  return () => t.close();
});

const db = () => t.container.database.db;

async function place(overrides: Record<string, unknown> = {}): Promise<Property> {
  return createProperty(t.app, host, { address: address(uniqueCity()), ...overrides });
}

async function stayOf(p: Property, guestSession = guest, checkOutDaysAgo = 1): Promise<string> {
  const [stay] = await completedStays(db(), {
    propertyId: p.id,
    hostId: p.hostId,
    guestIds: [guestSession.user.id],
    checkOutDaysAgo,
  });
  return stay!.id;
}

const postReview = (bookingId: string, body: unknown, session: Session | null = guest) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${bookingId}/review`,
    headers: session?.auth ?? {},
    payload: body as Record<string, unknown>,
  });

/** The host reviews the guest of the stay (which publishes the guest's review when written). */
const hostReview = (bookingId: string, body: unknown = { rating: 4 }, session: Session | null = host) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${bookingId}/guest-review`,
    headers: session?.auth ?? {},
    payload: body as Record<string, unknown>,
  });

const respond = (reviewId: string, body: unknown, session: Session | null = host) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/reviews/${reviewId}/response`,
    headers: session?.auth ?? {},
    payload: body as Record<string, unknown>,
  });

const detail = async (id: string) => (await t.app.inject({ url: `/v1/properties/${id}` })).json<Property>();

describe('POST /v1/bookings/{id}/review', () => {
  it('the guest reviews a completed stay: 201, Location, and the place shows the rating once both sides reviewed', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    // Read first, so that the detail is cached before the review.
    expect(await detail(p.id)).toMatchObject({ ratingCount: 0, ratingAverage: null });

    const res = await postReview(bookingId, { rating: 4, comment: '  Quiet and clean.  ' });
    expect(res.statusCode, res.body).toBe(201);
    const review = res.json<Review>();
    expect(review).toMatchObject({
      bookingId,
      propertyId: p.id,
      authorId: guest.user.id,
      rating: 4,
      comment: 'Quiet and clean.',
      hostResponse: null,
      hostRespondedAt: null,
      direction: 'guest_to_host',
      publishedAt: null,
    });
    expect(res.headers.location).toBe(`/v1/reviews/${review.id}`);
    const located = await t.app.inject({ url: res.headers.location as string, headers: guest.auth });
    expect(located.json<PublicReview>()).toMatchObject({ id: review.id, author: { firstName: 'Rosa' } });
    expect(await detail(p.id)).toMatchObject({ ratingCount: 0, ratingAverage: null });

    expect((await hostReview(bookingId)).statusCode).toBe(201);
    expect(await detail(p.id)).toMatchObject({ ratingCount: 1, ratingAverage: 4 });
  });

  it('checks the caller, the booking, the input, then the rules', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    const late = await stayOf(p, guest, 31);
    // A booking still confirmed (its stay not over): not completed.
    const [confirmed] = await completedStays(db(), {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: [guest.user.id],
      checkOutDaysAgo: 60,
    });
    await db().execute(sql`update bookings set status = 'confirmed' where id = ${confirmed!.id}`);
    const ok = { rating: 5 };

    const cases: [string, () => ReturnType<typeof postReview>, number, string?][] = [
      ['no token', () => postReview(bookingId, ok, null), 401],
      ['malformed id', () => postReview('not-a-uuid', ok), 404],
      ['unknown booking', () => postReview(randomUUID(), ok), 404, 'booking_not_found'],
      ["someone else's booking", () => postReview(bookingId, ok, stranger), 404, 'booking_not_found'],
      ['another host', () => postReview(bookingId, ok, otherHost), 404, 'booking_not_found'],
      ['its host', () => postReview(bookingId, ok, host), 403, 'not_booking_guest'],
      ['rating 0', () => postReview(bookingId, { rating: 0 }), 422, 'validation_failed'],
      ['rating 4.5', () => postReview(bookingId, { rating: 4.5 }), 422, 'validation_failed'],
      ['comment too long', () => postReview(bookingId, { rating: 3, comment: 'x'.repeat(2001) }), 422],
      ['unknown field', () => postReview(bookingId, { rating: 3, authorId: stranger.user.id }), 422],
      ['not completed', () => postReview(confirmed!.id, ok), 409, 'stay_not_completed'],
      ['31 days after check-out', () => postReview(late, ok), 422, 'review_window_closed'],
    ];
    for (const [name, call, status, code] of cases) {
      const res = await call();
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (code) expect(res.json<{ code: string }>().code, name).toBe(code);
    }
    expect(await detail(p.id)).toMatchObject({ ratingCount: 0 });

    expect((await postReview(bookingId, { rating: 2, comment: 'x'.repeat(2000) })).statusCode).toBe(201);
    const again = await postReview(bookingId, { rating: 5 });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('already_reviewed');
    expect(await detail(p.id)).toMatchObject({ ratingCount: 0 });
    expect((await hostReview(bookingId)).statusCode).toBe(201);
    expect(await detail(p.id)).toMatchObject({ ratingCount: 1, ratingAverage: 2 });
  });

  it('24 stays of one place reviewed by both sides at once (48 requests): count and average exact; search and detail see them', async () => {
    const city = uniqueCity();
    const p = await place({ address: address(city) });
    const other = await place({ address: address(city) });
    const guests = await Promise.all(Array.from({ length: 24 }, () => register(t.app)));
    const stays = await completedStays(db(), {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: guests.map((g) => g.user.id),
      checkOutDaysAgo: 1,
    });
    const otherStay = await stayOf(other);
    await postReview(otherStay, { rating: 4 });
    await hostReview(otherStay);
    // Both places read (and cached) before: the figures must not come from before the reviews.
    expect(await detail(p.id)).toMatchObject({ ratingCount: 0, ratingAverage: null });
    const before = await search(t.app, { city, sort: 'rating' });
    expect(before.body.data.map((x) => x.id)).toEqual([other.id, p.id]);

    const ratings = stays.map((_, i) => (i % 5) + 1);
    // Each stay's two reviews sent at the same moment: whichever commits second publishes both.
    const answers = await Promise.all(
      stays.flatMap((s, i) => [
        fetch(`${base}/v1/bookings/${s.id}/review`, {
          method: 'POST',
          headers: { ...guests[i]!.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ rating: ratings[i], comment: `Stay ${i}` }),
        }),
        fetch(`${base}/v1/bookings/${s.id}/guest-review`, {
          method: 'POST',
          headers: { ...host.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ rating: 5 }),
        }),
      ]),
    );
    expect(answers.map((a) => a.status)).toEqual(stays.flatMap(() => [201, 201]));
    const [unpublished] = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from reviews where property_id = ${p.id} and published_at is null`,
    );
    expect(unpublished!.n).toBe(0);

    const sum = ratings.reduce((a, b) => a + b, 0);
    const average = Math.round((sum / ratings.length) * 100) / 100;
    const [row] = await rowsOf<{ rating_sum: number; rating_count: number }>(
      db(),
      sql`select rating_sum, rating_count from properties where id = ${p.id}`,
    );
    expect(row).toEqual({ rating_sum: sum, rating_count: 24 });
    expect(await detail(p.id)).toMatchObject({ ratingCount: 24, ratingAverage: average });
    const after = await search(t.app, { city, sort: 'rating' });
    // 24 ratings of 1 to 5 in turn average 2.92: now below the other place's 4.
    expect(after.body.data.map((x) => [x.id, x.ratingCount, x.ratingAverage])).toEqual([
      [other.id, 1, 4],
      [p.id, 24, average],
    ]);
  });

  it('the same stay reviewed 6 times at once: one 201, five 409, counted once', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    expect((await hostReview(bookingId)).statusCode).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fetch(`${base}/v1/bookings/${bookingId}/review`, {
          method: 'POST',
          headers: { ...guest.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ rating: i === 0 ? 5 : 1 }),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await detail(p.id)).ratingCount).toBe(1);
    const [count] = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from reviews where booking_id = ${bookingId} and direction = 'guest_to_host'`,
    );
    expect(count!.n).toBe(1);
  });
});

describe('POST /v1/reviews/{id}/response', () => {
  it("only the place's host, once; concurrent responses store one", async () => {
    const p = await place();
    const stay = await stayOf(p);
    const review = (await postReview(stay, { rating: 5 })).json<Review>();
    expect((await hostReview(stay)).statusCode).toBe(201);

    expect((await respond(review.id, { body: 'Thanks!' }, null)).statusCode).toBe(401);
    expect((await respond('nope', { body: 'Thanks!' })).statusCode).toBe(404);
    expect((await respond(randomUUID(), { body: 'Thanks!' })).json()).toMatchObject({ code: 'review_not_found' });
    expect((await respond(review.id, { body: 'Thanks!' }, guest)).json()).toMatchObject({
      status: 403,
      code: 'not_property_host',
    });
    expect((await respond(review.id, { body: 'Thanks!' }, otherHost)).statusCode).toBe(403);
    expect((await respond(review.id, { body: '   ' })).statusCode).toBe(422);
    expect((await respond(review.id, { body: 'x'.repeat(2001) })).statusCode).toBe(422);

    const answers = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((body) =>
        fetch(`${base}/v1/reviews/${review.id}/response`, {
          method: 'POST',
          headers: { ...host.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ body }),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = (await answers.find((a) => a.status === 200)!.json()) as Review;
    expect(winner.hostResponse).toMatch(/^(One|Two|Three|Four)$/);
    expect(winner.hostRespondedAt).not.toBeNull();
    const loser = (await answers.find((a) => a.status === 409)!.json()) as { code: string };
    expect(loser.code).toBe('already_responded');
    const shown = (await t.app.inject({ url: `/v1/reviews/${review.id}` })).json<Review>();
    expect(shown.hostResponse).toBe(winner.hostResponse);
  });
});

describe('GET /v1/properties/{id}/reviews', () => {
  it('public, newest first, keyset pages; authors as public profiles only', async () => {
    const p = await place();
    const guests = await Promise.all(Array.from({ length: 5 }, () => register(t.app, { firstName: 'Ana' })));
    const stays = await completedStays(db(), {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: guests.map((g) => g.user.id),
      checkOutDaysAgo: 2,
    });
    const written: string[] = [];
    for (const [i, s] of stays.entries()) {
      const res = await postReview(s.id, { rating: 3, comment: `<b>number ${i}</b>` }, guests[i]);
      written.push(res.json<Review>().id);
      expect((await hostReview(s.id, { rating: 2, comment: 'Not on the place’s list' })).statusCode).toBe(201);
    }

    const seen: PublicReview[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await t.app.inject({ url: `/v1/properties/${p.id}/reviews?${qs}` });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ data: PublicReview[]; page: { nextCursor: string | null; hasMore: boolean } }>();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data);
      cursor = body.page.nextCursor;
      expect(body.page.hasMore).toBe(cursor !== null);
    } while (cursor);
    expect(seen.map((r) => r.id)).toEqual([...written].reverse());
    expect(seen[0]!.comment).toBe('<b>number 4</b>');
    expect(seen[0]!.author).toEqual({
      id: guests[4]!.user.id,
      firstName: 'Ana',
      memberSince: expect.any(String) as string,
      guestRating: { average: 2, count: 1 },
    });
    expect(JSON.stringify(seen)).not.toContain('@example.com');

    expect((await t.app.inject({ url: `/v1/properties/${p.id}/reviews?limit=101` })).statusCode).toBe(422);
    expect((await t.app.inject({ url: `/v1/properties/${p.id}/reviews?cursor=garbage` })).statusCode).toBe(422);
    expect((await t.app.inject({ url: `/v1/properties/${randomUUID()}/reviews` })).statusCode).toBe(404);
    const draft = await place({ status: 'draft' });
    expect((await t.app.inject({ url: `/v1/properties/${draft.id}/reviews` })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/v1/properties/${draft.id}/reviews`, headers: host.auth })).json(),
    ).toMatchObject({ data: [] });
  });
});

describe('digest section', () => {
  it('hosts with reviews in a window, in keyset pages, and a line per review', async () => {
    const hosts = await Promise.all([1, 2, 3].map(() => register(t.app, { role: 'host' })));
    const from = new Date();
    for (const [i, h] of hosts.entries()) {
      const p = await createProperty(t.app, h, { title: `Cabin number ${i}`, address: address(uniqueCity()) });
      const id = await stayOf(p);
      const comment = i === 0 ? `Lovely <place> ${'and very quiet '.repeat(10)}` : '';
      expect((await postReview(id, { rating: i + 3, comment })).statusCode).toBe(201);
      expect((await hostReview(id, { rating: 5 }, h)).statusCode).toBe(201);
    }
    const to = new Date(Date.now() + 1);
    const { digestSection } = t.container.services.reviews;
    expect(digestSection.name).toBe('Reviews');

    const range = { from, to };
    const ids = hosts.map((h) => h.user.id).sort();
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await digestSection.hostsWithActivity(range, after, 1);
      if (page.length === 0) break;
      expect(page).toHaveLength(1);
      walked.push(...page);
      after = page.at(-1)!;
    }
    // Other tests' hosts may have reviews in the window too; ours are there, ascending, once each.
    expect(walked).toEqual([...walked].sort());
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.filter((id) => ids.includes(id))).toEqual(ids);
    expect(await digestSection.hostsWithActivity({ from: new Date(0), to: from }, null, 100)).not.toContain(ids[0]);

    const first = await digestSection.activityFor(hosts[0]!.user.id, range);
    const comment = `Lovely <place> ${'and very quiet '.repeat(10)}`.replace(/\s+/g, ' ').trim();
    expect(first).toEqual({ count: 1, lines: [`★3 — Cabin number 0: ${comment.slice(0, 80)}…`] });
    expect(await digestSection.activityFor(hosts[2]!.user.id, range)).toEqual({
      count: 1,
      lines: ['★5 — Cabin number 2: '],
    });
    expect(await digestSection.activityFor(hosts[1]!.user.id, { from: new Date(0), to: from })).toEqual({
      count: 0,
      lines: [],
    });
  });

  it('hostsWithActivity can be answered by one ordered scan of reviews_host_published_idx', async () => {
    // The planner is told not to read the table or sort: the plan left must be the index's.
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      return rowsOf<{ 'QUERY PLAN': string }>(
        tx,
        sql`explain select distinct host_id from reviews where host_id > ${randomUUID()} and direction = 'guest_to_host' and not pending and published_at >= ${new Date(0)} and published_at < ${new Date()} order by host_id limit 100`,
      );
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using reviews_host_published_idx/);
    expect(text).not.toMatch(/\bSort\b/);
  });
});

describe('ratings', () => {
  it('addRating refuses what is not 1 to 5 and an unknown place', async () => {
    const { properties } = t.container.services;
    await expect(properties.addRating(db(), randomUUID(), 6)).rejects.toThrow(RangeError);
    await expect(properties.addRating(db(), randomUUID(), 3)).rejects.toMatchObject({ code: 'property_not_found' });
  });
});
