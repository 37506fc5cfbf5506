import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, movableClock, register, registerAdmin, rowsOf, type Session, useTestApp } from '#test/helpers.js';
import { completedStays } from '#test/factories/bookings.js';
import { address, createProperty, uniqueCity } from '#test/factories/properties.js';
import { createJobRunner, createScheduler } from '../../../platform/jobs/index.js';
import type { Property } from '../../properties/index.js';
import type { ReviewPublishedEvent } from '../reviews.events.js';
import { PUBLISH_OVERDUE_REVIEWS } from '../reviews.jobs.js';
import type { PublicReview, Review } from '../reviews.schemas.js';

// Double-blind reviews: a stay's two reviews (the guest's of the place, the host's of the
// guest) are seen by their authors only until both are written or the review window (30
// days after check-out) closes; then both publish at one instant, count in the figures, and
// `review.published` is announced once per review.

const DAY = 86_400_000;
const clock = movableClock();
const testApp = useTestApp({ clock });
let host: Session;
let guest: Session;
let stranger: Session;
let admin: Session;
const announced: ReviewPublishedEvent[] = [];

beforeAll(async () => {
  const { app, container } = testApp();
  [host, guest, stranger, admin] = await Promise.all([
    register(app, { role: 'host' }),
    register(app, { firstName: 'Lea' }),
    register(app),
    registerAdmin(testApp()),
  ]);
  container.events.listen('review.published', async (_tx, event) => {
    announced.push(event);
  });
});

const app = () => testApp().app;
const db = () => testApp().container.database.db;
const place = (): Promise<Property> => createProperty(app(), host, { address: address(uniqueCity()) });

async function stayOf(p: Property, checkOutDaysAgo = 1, guestSession = guest): Promise<string> {
  const [stay] = await completedStays(db(), {
    propertyId: p.id,
    hostId: p.hostId,
    guestIds: [guestSession.user.id],
    checkOutDaysAgo,
  });
  return stay!.id;
}

const write = async (path: 'review' | 'guest-review', bookingId: string, rating: number, session: Session) => {
  const res = await app().inject({
    method: 'POST',
    url: `/v1/bookings/${bookingId}/${path}`,
    headers: session.auth,
    payload: { rating, comment: `${path} ${rating}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Review>();
};

const get = (url: string, session?: Session) => app().inject({ url, headers: session?.auth ?? {} });
const ids = (body: { data: { id: string }[] }) => body.data.map((r) => r.id);
const placeList = async (p: Property, session?: Session) =>
  ids((await get(`/v1/properties/${p.id}/reviews`, session)).json());
const guestList = async (session?: Session) => ids((await get(`/v1/users/${guest.user.id}/reviews`, session)).json());
const figures = async (p: Property) => (await get(`/v1/properties/${p.id}`)).json<Property>();
const guestRating = async () => {
  const profiles = await testApp().container.services.users.getPublicProfiles([guest.user.id]);
  return profiles.get(guest.user.id)!.guestRating;
};

const BOOKING_REVIEWS = /* GraphQL */ `
  query ($id: ID!) {
    booking(id: $id) {
      review {
        id
        publishedAt
      }
      guestReview {
        id
        publishedAt
      }
    }
  }
`;

describe('double-blind reviews', () => {
  it('a single review is seen by its author only: not the other side, the public or admins', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    const before = await guestRating();
    const review = await write('review', bookingId, 2, guest);
    expect(review.publishedAt).toBeNull();
    const byHost = await write('guest-review', await stayOf(p, 2), 3, host);
    expect(byHost.publishedAt).toBeNull();

    // The author reads it; no one else does.
    expect((await get(`/v1/reviews/${review.id}`, guest)).statusCode).toBe(200);
    for (const viewer of [host, stranger, admin, undefined]) {
      expect((await get(`/v1/reviews/${review.id}`, viewer)).statusCode).toBe(404);
      expect(await placeList(p, viewer)).toEqual([]);
    }
    expect((await get(`/v1/reviews/${byHost.id}`, host)).statusCode).toBe(200);
    for (const viewer of [guest, stranger, admin, undefined]) {
      expect((await get(`/v1/reviews/${byHost.id}`, viewer)).statusCode).toBe(404);
      expect(await guestList(viewer)).not.toContain(byHost.id);
    }
    // On the booking: the guest sees their own review and not the host's, and the other way round.
    const asGuest = await graphql(app(), BOOKING_REVIEWS, { id: bookingId }, guest.auth);
    expect(asGuest.body.data?.booking).toEqual({ review: { id: review.id, publishedAt: null }, guestReview: null });
    const asHost = await graphql(app(), BOOKING_REVIEWS, { id: bookingId }, host.auth);
    expect(asHost.body.data?.booking).toEqual({ review: null, guestReview: null });
    const asAdmin = await graphql(app(), BOOKING_REVIEWS, { id: bookingId }, admin.auth);
    expect(asAdmin.body.data?.booking).toEqual({ review: null, guestReview: null });

    // Not counted anywhere, nothing announced.
    expect(await figures(p)).toMatchObject({ ratingCount: 0, ratingAverage: null });
    expect(await guestRating()).toEqual(before);
    expect(announced.filter((e) => [review.id, byHost.id].includes(e.review.id))).toEqual([]);
  });

  it('the second review publishes both at one instant: counted once, announced once each', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    const before = await guestRating();
    const first = await write('guest-review', bookingId, 5, host);
    const second = await write('review', bookingId, 4, guest);
    expect(second.publishedAt).not.toBeNull();

    const [a, b] = await rowsOf<{ id: string; published_at: Date; pending: boolean }>(
      db(),
      sql`select id, published_at, pending from reviews where booking_id = ${bookingId} order by direction`,
    );
    expect(a!.pending || b!.pending).toBe(false);
    expect(new Date(a!.published_at).getTime()).toBe(new Date(b!.published_at).getTime());
    expect(new Date(a!.published_at).toISOString()).toBe(second.publishedAt);

    for (const viewer of [host, guest, stranger, admin, undefined]) {
      expect(await placeList(p, viewer)).toEqual([second.id]);
      expect(await guestList(viewer)).toContain(first.id);
      const shown = (await get(`/v1/reviews/${first.id}`, viewer)).json<PublicReview>();
      expect(shown).toMatchObject({ id: first.id, direction: 'host_to_guest', publishedAt: second.publishedAt });
    }
    expect(await figures(p)).toMatchObject({ ratingCount: 1, ratingAverage: 4 });
    expect(await guestRating()).toEqual({
      count: before.count + 1,
      average: Math.round((((before.average ?? 0) * before.count + 5) / (before.count + 1)) * 100) / 100,
    });
    const events = announced.filter((e) => e.review.id === first.id || e.review.id === second.id);
    expect(events.map((e) => [e.review.id, e.direction]).sort()).toEqual(
      [
        [first.id, 'host_to_guest'],
        [second.id, 'guest_to_host'],
      ].sort(),
    );
    expect(events[0]).toMatchObject({ propertyId: p.id, hostId: host.user.id, guestId: guest.user.id });

    // The host's guest review: once per booking.
    const again = await app().inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/guest-review`,
      headers: host.auth,
      payload: { rating: 1 },
    });
    expect(again.json()).toMatchObject({ status: 409, code: 'guest_already_reviewed' });
  });

  it('the host responds only once the review is published', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    const review = await write('review', bookingId, 3, guest);
    const respond = () =>
      app().inject({
        method: 'POST',
        url: `/v1/reviews/${review.id}/response`,
        headers: host.auth,
        payload: { body: 'Thanks' },
      });
    expect((await respond()).json()).toMatchObject({ status: 409, code: 'review_not_published' });
    const byStranger = await app().inject({
      method: 'POST',
      url: `/v1/reviews/${review.id}/response`,
      headers: stranger.auth,
      payload: { body: 'Thanks' },
    });
    expect(byStranger.statusCode).toBe(404);
    const ofGuest = await write('guest-review', bookingId, 4, host);
    expect((await respond()).statusCode).toBe(200);
    // A review of a guest takes no response.
    const onGuestReview = await app().inject({
      method: 'POST',
      url: `/v1/reviews/${ofGuest.id}/response`,
      headers: host.auth,
      payload: { body: 'Hm' },
    });
    expect(onGuestReview.json()).toMatchObject({ status: 409, code: 'review_not_respondable' });
  });

  it('who may write the guest review, and when', async () => {
    const p = await place();
    const bookingId = await stayOf(p);
    const late = await stayOf(p, 31);
    const post = (id: string, session: Session, body: unknown = { rating: 4 }) =>
      app().inject({
        method: 'POST',
        url: `/v1/bookings/${id}/guest-review`,
        headers: session.auth,
        payload: body as Record<string, unknown>,
      });
    expect((await post(bookingId, guest)).json()).toMatchObject({ status: 403, code: 'not_booking_host' });
    expect((await post(bookingId, admin)).json()).toMatchObject({ status: 403, code: 'not_booking_host' });
    expect((await post(bookingId, stranger)).json()).toMatchObject({ status: 404, code: 'booking_not_found' });
    expect((await post(randomUUID(), host)).statusCode).toBe(404);
    expect((await post(bookingId, host, { rating: 6 })).statusCode).toBe(422);
    expect((await post(bookingId, host, { rating: 4, comment: 'x'.repeat(2001) })).statusCode).toBe(422);
    expect((await post(late, host)).json()).toMatchObject({ status: 422, code: 'review_window_closed' });
    expect((await get(`/v1/users/${randomUUID()}/reviews`)).json()).toMatchObject({ code: 'user_not_found' });
    expect((await get(`/v1/users/${guest.user.id}/reviews?limit=101`)).statusCode).toBe(422);
    expect((await get(`/v1/users/${guest.user.id}/reviews?cursor=nope`)).statusCode).toBe(422);
  });
});

describe('the review window closes', () => {
  it('a lone review is published lazily by the first read after the window, as of its end', async () => {
    const p = await place();
    // Checked out 29 days ago: the window closes in a day or so.
    const bookingId = await stayOf(p, 29);
    const review = await write('review', bookingId, 5, guest);
    expect(await placeList(p)).toEqual([]);

    clock.offsetMs = 2 * DAY;
    // No job ran: the read itself publishes what is overdue.
    expect(await placeList(p)).toEqual([review.id]);
    const [row] = await rowsOf<{ published_at: Date; publish_by: Date }>(
      db(),
      sql`select published_at, publish_by from reviews where id = ${review.id}`,
    );
    expect(new Date(row!.published_at).toISOString()).toBe(new Date(row!.publish_by).toISOString());
    expect(await figures(p)).toMatchObject({ ratingCount: 1, ratingAverage: 5 });
    // Read again: published once, counted once.
    expect(await placeList(p)).toEqual([review.id]);
    expect(await figures(p)).toMatchObject({ ratingCount: 1 });
    expect(announced.filter((e) => e.review.id === review.id)).toHaveLength(1);
  });

  it('the scheduled sweep publishes overdue reviews of both directions', async () => {
    const p = await place();
    const [a, b] = [await stayOf(p, 29), await stayOf(p, 29)];
    const ofPlace = await write('review', a, 2, guest);
    const ofGuest = await write('guest-review', b, 3, host);
    const before = await guestRating();

    const { schedules, registry } = testApp().container.jobs;
    expect(schedules.find((s) => s.kind === PUBLISH_OVERDUE_REVIEWS)).toBeDefined();
    clock.offsetMs = 2 * DAY;
    const scheduler = createScheduler({ db: db(), schedules, clock });
    const runner = createJobRunner({ db: db(), registry, clock });
    await scheduler.tick();
    await runner.drainDue();

    const rows = await rowsOf<{ id: string; pending: boolean }>(
      db(),
      sql`select id, pending from reviews where id in (${ofPlace.id}, ${ofGuest.id})`,
    );
    expect(rows.map((r) => r.pending)).toEqual([false, false]);
    expect(announced.filter((e) => [ofPlace.id, ofGuest.id].includes(e.review.id))).toHaveLength(2);
    expect(await guestRating()).toMatchObject({ count: before.count + 1 });
    clock.offsetMs = 0;
    expect(await figures(p)).toMatchObject({ ratingCount: 1, ratingAverage: 2 });
  });
});

// Exact under concurrency: on PostgreSQL these run on many connections at once.
describe('publication under concurrency', () => {
  async function staysOf(p: Property, guestSession: Session, n: number, checkOutDaysAgo: number) {
    const made = await completedStays(db(), {
      propertyId: p.id,
      hostId: p.hostId,
      guestIds: Array.from({ length: n }, () => guestSession.user.id),
      checkOutDaysAgo,
    });
    return made.map((s) => s.id);
  }

  const post = (path: string, bookingId: string, rating: number, session: Session) =>
    app().inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/${path}`,
      headers: session.auth,
      payload: { rating },
    });

  it('both sides of 16 stays write at once: every stay published, the guest rating and the place exact', async () => {
    const p = await place();
    const traveller = await register(app());
    const stays = await staysOf(p, traveller, 16, 1);
    const hostRatings = stays.map((_, i) => (i % 5) + 1);
    const answers = await Promise.all(
      stays.flatMap((id, i) => [post('review', id, 3, traveller), post('guest-review', id, hostRatings[i]!, host)]),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(stays.flatMap(() => [201, 201]));

    const [pending] = await rowsOf<{ n: number }>(
      db(),
      sql`select count(*)::int as n from reviews where property_id = ${p.id} and pending`,
    );
    expect(pending!.n).toBe(0);
    const [user] = await rowsOf<{ guest_rating_sum: number; guest_rating_count: number }>(
      db(),
      sql`select guest_rating_sum, guest_rating_count from users where id = ${traveller.user.id}`,
    );
    const sum = hostRatings.reduce((x, y) => x + y, 0);
    expect(user).toEqual({ guest_rating_sum: sum, guest_rating_count: 16 });
    const profile = (await testApp().container.services.users.getPublicProfiles([traveller.user.id])).get(
      traveller.user.id,
    );
    expect(profile!.guestRating).toEqual({ count: 16, average: Math.round((sum / 16) * 100) / 100 });
    expect(await figures(p)).toMatchObject({ ratingCount: 16, ratingAverage: 3 });
    expect(announced.filter((e) => e.propertyId === p.id)).toHaveLength(32);
  });

  it('sweeps and readers racing over 16 overdue reviews publish and count each once', async () => {
    const p = await place();
    const traveller = await register(app());
    // Checked out 1 to 16 days ago: every window has closed 31 days on.
    const stays = await staysOf(p, traveller, 16, 1);
    const written = await Promise.all(stays.map((id) => post('guest-review', id, 4, host)));
    expect(written.map((w) => w.statusCode)).toEqual(stays.map(() => 201));
    clock.offsetMs = 31 * DAY;
    const { reviews } = testApp().container.services;
    await Promise.all([
      reviews.publishOverdueReviews(),
      reviews.publishOverdueReviews(),
      reviews.publishOverdueReviews(),
      get(`/v1/users/${traveller.user.id}/reviews`),
      get(`/v1/users/${traveller.user.id}/reviews`),
      reviews.listUserReviews(traveller.user.id, { limit: 20 }),
    ]);
    const [user] = await rowsOf<{ guest_rating_sum: number; guest_rating_count: number }>(
      db(),
      sql`select guest_rating_sum, guest_rating_count from users where id = ${traveller.user.id}`,
    );
    expect(user).toEqual({ guest_rating_sum: 64, guest_rating_count: 16 });
    expect(announced.filter((e) => e.guestId === traveller.user.id)).toHaveLength(16);
    const page = (await get(`/v1/users/${traveller.user.id}/reviews?limit=10`)).json<{
      data: PublicReview[];
      page: { nextCursor: string | null };
    }>();
    expect(page.data).toHaveLength(10);
    expect(page.data[0]).toMatchObject({ direction: 'host_to_guest', author: { id: host.user.id } });
    const rest = (await get(`/v1/users/${traveller.user.id}/reviews?limit=10&cursor=${page.page.nextCursor}`)).json<{
      data: PublicReview[];
    }>();
    expect(new Set([...page.data, ...rest.data].map((r) => r.id)).size).toBe(16);
  });
});
